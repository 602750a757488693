package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
)

// A list's cells can be edited in place: GET /o/{object}/{id}/cell/{field}
// answers the cell with the field's control (or, with cancel=1, the cell
// as shown); POST saves the value and answers the cell as shown, or the
// control again with the error next to it (422).

// cellData is one cell of a list: shown, or being edited.
type cellData struct {
	Base  string
	ID    rapport.ID
	Name  string
	First bool // the row's first cell, which links to the record
	C     listCell
	Error string
}

// Control is the editor's input for the field, labelled for screen
// readers by the field and record.
func (d cellData) Control() template.HTML {
	f := d.C.Field
	esc := template.HTMLEscapeString
	id := "edit-" + string(d.ID) + "-" + f.Name
	label := fieldLabel(f)
	if d.Name != "" {
		label += " of " + d.Name
	}
	if f.Type == metadata.TypeCheckbox {
		checked := ""
		if v, _ := d.C.Value.(bool); v {
			checked = " checked"
		}
		return template.HTML(`<input type="hidden" name="` + esc(f.Name) + `" value="false"><input type="checkbox" id="` + id + `" name="` + esc(f.Name) + `" value="true" aria-label="` + esc(label) + `" autofocus` + checked + `>`)
	}
	attrs := ` id="` + id + `" name="` + esc(f.Name) + `" aria-label="` + esc(label) + `" autofocus`
	if f.Required {
		attrs += ` required aria-required="true"`
	}
	if d.Error != "" {
		attrs += ` aria-invalid="true" aria-describedby="` + id + `-err"`
	}
	return template.HTML(d.C.control(id, attrs))
}

// TD is the cell as shown: its value (a link to the record in the
// row's first cell) and, if the user may edit it, a pencil. A double
// click or the pencil asks for the editor. It is built here rather than
// in a template: a page has hundreds of cells.
func (d cellData) TD() template.HTML {
	esc := template.HTMLEscapeString
	f := d.C.Field
	var b strings.Builder
	b.Grow(256)
	editURL := d.Base + "/" + string(d.ID) + "/cell/" + url.PathEscape(f.Name)
	b.WriteString(`<td id="cell-` + string(d.ID) + "-" + esc(f.Name) + `"`)
	class := ""
	if d.C.Numeric() {
		class = "num "
	}
	if d.C.Editable {
		class += "editable"
	}
	if class != "" {
		b.WriteString(` class="` + strings.TrimSpace(class) + `"`)
	}
	if d.C.Editable {
		b.WriteString(` hx-get="` + esc(editURL) + `" hx-trigger="dblclick" hx-target="this" hx-swap="outerHTML"`)
	}
	b.WriteString(">")
	if d.First {
		b.WriteString(`<a href="/r/` + string(d.ID) + `">`)
		if d.C.Value == nil || d.C.Value == "" {
			b.WriteString("(no name)")
		} else if f.Type.IsReference() {
			b.WriteString(esc(d.C.text()))
		} else {
			b.WriteString(string(d.C.HTML()))
		}
		b.WriteString("</a>")
	} else {
		b.WriteString(string(d.C.HTML()))
	}
	if d.C.Editable {
		label := "Edit " + fieldLabel(f)
		if d.Name != "" {
			label += " of " + d.Name
		}
		b.WriteString(`<button type="button" class="pencil" title="Edit" aria-label="` + esc(label) + `" hx-get="` + esc(editURL) + `" hx-target="closest td" hx-swap="outerHTML">✎</button>`)
	}
	b.WriteString("</td>")
	return template.HTML(b.String())
}

// ErrID is the id of the editor's error message.
func (d cellData) ErrID() string { return "edit-" + string(d.ID) + "-" + d.C.Field.Name + "-err" }

// cellTarget resolves the object, record ID and field of a cell route, or
// answers 404 or 403.
func (a *App) cellTarget(w http.ResponseWriter, r *http.Request, s *session) (*metadata.Schema, *metadata.Object, rapport.ID, *metadata.Field, bool) {
	sch, obj, ok := a.listObject(w, r, s)
	if !ok {
		return nil, nil, "", nil, false
	}
	id, err := rapport.ParseID(r.PathValue("id"))
	if err != nil || !strings.HasPrefix(string(id), obj.KeyPrefix) {
		a.renderError(w, r, s, http.StatusNotFound, "That record was not found.")
		return nil, nil, "", nil, false
	}
	f := obj.Field(r.PathValue("field"))
	if f == nil || !listable(s, obj, f) {
		a.renderError(w, r, s, http.StatusNotFound, "There is no such field to show.")
		return nil, nil, "", nil, false
	}
	return sch, obj, id, f, true
}

// canEditCell reports whether the user may change a field of an object's
// records in place, and if not why.
func canEditCell(s *session, obj *metadata.Object, f *metadata.Field) (bool, string) {
	if !obj.Updateable || (s.Policy != nil && !s.Policy.Object(obj.Name).Edit) {
		return false, "You don't have permission to edit " + obj.PluralLabel + "."
	}
	if !inlineEditable(s, obj, f) {
		return false, "You can't change " + fieldLabel(f) + " here."
	}
	return true, ""
}

// readCell reads one field of one record as a list cell.
func (a *App) readCell(ctx context.Context, s *session, sch *metadata.Schema, obj *metadata.Object, id rapport.ID, f *metadata.Field) (cellData, error) {
	fields := []string{"Id", f.Name}
	if obj.NameField != "" && !strings.EqualFold(obj.NameField, f.Name) {
		if nf := obj.Field(obj.NameField); nf != nil && readable(s, obj, nf) {
			fields = append(fields, nf.Name)
		}
	}
	if p := refPath(sch, f); p != "" {
		fields = append(fields, p)
	}
	res, err := a.query.Run(ctx, "SELECT "+strings.Join(fields, ", ")+" FROM "+obj.Name+" WHERE Id = "+soqlString(string(id)), query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		return cellData{}, err
	}
	if len(res.Records) != 1 {
		return cellData{}, &rapport.Error{Code: rapport.NotFound}
	}
	rows := a.listRows(ctx, s, sch, obj, []*metadata.Field{f}, res.Records)
	d := rows[0].Cells[0]
	d.First = columnsFirst(s, obj, f)
	return d, nil
}

// columnsFirst guesses whether a field is shown as a row's first cell, the
// one that links to the record: the name field is.
func columnsFirst(s *session, obj *metadata.Object, f *metadata.Field) bool {
	return strings.EqualFold(f.Name, obj.NameField)
}

// cellEditor answers a cell with its editor, or as shown (cancel=1).
func (a *App) cellEditor(w http.ResponseWriter, r *http.Request, s *session) {
	sch, obj, id, f, ok := a.cellTarget(w, r, s)
	if !ok {
		return
	}
	d, err := a.readCell(r.Context(), s, sch, obj, id, f)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	if r.URL.Query().Get("cancel") != "" {
		a.renderFragment(w, r, s, http.StatusOK, "list", "list_td_frag", d)
		return
	}
	if ok, why := canEditCell(s, obj, f); !ok {
		a.renderError(w, r, s, http.StatusForbidden, why)
		return
	}
	a.renderFragment(w, r, s, http.StatusOK, "list", "list_td_edit", d)
}

// cellSave saves a cell's new value.
func (a *App) cellSave(w http.ResponseWriter, r *http.Request, s *session) {
	sch, obj, id, f, ok := a.cellTarget(w, r, s)
	if !ok {
		return
	}
	if ok, why := canEditCell(s, obj, f); !ok {
		a.renderError(w, r, s, http.StatusForbidden, why)
		return
	}
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		a.renderError(w, r, s, http.StatusBadRequest, "The form could not be read.")
		return
	}
	loc := s.User.Location
	vals, errs := formValues(r.PostForm, []*metadata.Field{f}, loc)
	d, err := a.readCell(ctx, s, sch, obj, id, f)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	if _, sent := vals[f.Name]; !sent && len(errs) == 0 {
		errs = map[string]string{f.Name: "Enter a value."}
	}
	if msg := errs[f.Name]; msg != "" {
		d.Error = msg
		d.C.Value = r.PostForm.Get(f.Name)
		a.renderFragment(w, r, s, http.StatusUnprocessableEntity, "list", "list_td_edit", d)
		return
	}
	res, err := a.records.Update(ctx, obj.Name, []map[string]any{{"Id": string(id), f.Name: vals[f.Name]}}, recordOptions())
	if err == nil && len(res) == 1 {
		err = res[0].Err
	}
	if err != nil {
		switch rapport.ErrorCode(err) {
		case rapport.Internal, "":
			a.serverError(w, r, err)
			return
		case rapport.InsufficientAccess, rapport.InsufficientAccessCrossRef, rapport.NotFound, rapport.EntityIsDeleted:
			a.failed(w, r, s, err)
			return
		}
		byField, top := fieldErrors(err)
		d.Error = byField[f.Name]
		if d.Error == "" {
			d.Error = top
		}
		if d.Error == "" {
			d.Error = message(err)
		}
		d.C.Value = vals[f.Name]
		a.renderFragment(w, r, s, http.StatusUnprocessableEntity, "list", "list_td_edit", d)
		return
	}
	if d, err = a.readCell(ctx, s, sch, obj, id, f); err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.renderFragment(w, r, s, http.StatusOK, "list", "list_td_frag", d)
}

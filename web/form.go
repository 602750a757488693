package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// A formSection is a titled group of a form's controls.
type formSection struct {
	Title string
	Cells []cell
}

// formData is what a new, edit or clone form shows.
type formData struct {
	Obj      *metadata.Object
	Heading  string
	Action   string
	Cancel   string
	Submit   string
	Sections []formSection
	// Error is a message for the whole form; field errors are in cells.
	Error string
}

// nameParts orders the parts of a compound name in a form.
var nameParts = []string{"Salutation", "FirstName", "MiddleName", "LastName", "Suffix"}

// formLayout returns the fields a user may fill in a form for obj, in
// sections as record pages show them: Information (owner and name parts
// first) and Address.
func formLayout(s *session, obj *metadata.Object, creating bool) []formSectionFields {
	info := formSectionFields{Title: "Information"}
	addr := formSectionFields{Title: "Address"}
	ok := func(f *metadata.Field) bool {
		return editable(s, obj, f, creating) && f.Writable(creating) && f.Storage() != metadata.StoreNone
	}
	if f := obj.Field(metadata.FieldOwnerID); f != nil && ok(f) {
		info.Fields = append(info.Fields, f)
	}
	for _, n := range nameParts {
		if f := obj.Field(n); f != nil && f.Compound == "Name" && ok(f) {
			info.Fields = append(info.Fields, f)
		}
	}
	var byCompound = map[string][]*metadata.Field{}
	var compounds []string
	for _, f := range obj.LiveFields() {
		if f.Name == metadata.FieldOwnerID || (f.Compound == "Name" && slices.Contains(nameParts, f.Name)) || !ok(f) {
			continue
		}
		if part, shown := isAddressPart(f); part {
			if shown {
				if _, seen := byCompound[f.Compound]; !seen {
					compounds = append(compounds, f.Compound)
				}
				byCompound[f.Compound] = append(byCompound[f.Compound], f)
			}
			continue
		}
		info.Fields = append(info.Fields, f)
	}
	for _, c := range compounds {
		addr.Fields = append(addr.Fields, byCompound[c]...)
	}
	var out []formSectionFields
	for _, sec := range []formSectionFields{info, addr} {
		if len(sec.Fields) > 0 {
			out = append(out, sec)
		}
	}
	return out
}

type formSectionFields struct {
	Title  string
	Fields []*metadata.Field
}

func allFields(secs []formSectionFields) []*metadata.Field {
	var out []*metadata.Field
	for _, s := range secs {
		out = append(out, s.Fields...)
	}
	return out
}

// formCells fills a form's sections with values, the names of referenced
// records and errors.
func formCells(s *session, secs []formSectionFields, values map[string]any, refs, errs map[string]string) []formSection {
	out := make([]formSection, len(secs))
	for i, sec := range secs {
		out[i].Title = sec.Title
		for _, f := range sec.Fields {
			c := newCell(s, f, values[f.Name], refs[f.Name])
			c.Error = errs[f.Name]
			out[i].Cells = append(out[i].Cells, c)
		}
	}
	return out
}

// refNames reads the names of the records the reference fields among
// values point at.
func (a *App) refNames(ctx context.Context, sch *metadata.Schema, fields []*metadata.Field, values map[string]any) map[string]string {
	out := map[string]string{}
	byObject := map[*metadata.Object][]string{}
	for _, f := range fields {
		if !f.Type.IsReference() || values[f.Name] == nil {
			continue
		}
		id, err := rapport.ParseID(record.FormatValue(values[f.Name]))
		if err != nil {
			continue
		}
		if o := sch.ByPrefix(id.Prefix()); o != nil && o.NameField != "" {
			byObject[o] = append(byObject[o], string(id))
		}
	}
	names := map[string]string{}
	for o, ids := range byObject {
		recs, err := a.records.Get(ctx, o.Name, ids, []string{o.NameField}, false)
		if err != nil {
			continue
		}
		for _, r := range recs {
			if r != nil {
				names[string(r.ID)] = displayString(r.Values[o.NameField])
			}
		}
	}
	for _, f := range fields {
		if f.Type.IsReference() && values[f.Name] != nil {
			if n := names[record.FormatValue(values[f.Name])]; n != "" {
				out[f.Name] = n
			}
		}
	}
	return out
}

// newValues are a new record's starting values: defaults, then what the
// query string sets (a related list's New passes the parent).
func newValues(s *session, obj *metadata.Object, fields []*metadata.Field, q url.Values) map[string]any {
	vals := map[string]any{}
	for _, f := range fields {
		switch {
		case f.Name == metadata.FieldOwnerID:
			vals[f.Name] = s.Principal.UserID
		case f.Type == metadata.TypeCheckbox:
			vals[f.Name] = f.DefaultValue == "true"
		case f.Type == metadata.TypePicklist || f.Type == metadata.TypeMultiPicklist:
			if v, ok := f.Picklist.DefaultValue(); ok {
				vals[f.Name] = v
			} else if f.DefaultValue != "" {
				vals[f.Name] = f.DefaultValue
			}
		case f.DefaultValue != "":
			vals[f.Name] = f.DefaultValue
		}
	}
	pre, _ := formValues(q, fields, s.User.Location)
	for k, v := range pre {
		if v != nil {
			vals[k] = v
		}
	}
	return vals
}

// objectFor finds the object a form is for, or answers that there is none
// the user may create.
func (a *App) objectFor(w http.ResponseWriter, r *http.Request, s *session) (*metadata.Schema, *metadata.Object, bool) {
	sch, err := a.records.Schema(r.Context(), s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return nil, nil, false
	}
	obj := sch.Object(r.PathValue("object"))
	if obj == nil || obj.Deleted {
		a.renderError(w, r, s, http.StatusNotFound, "There is no object of that name.")
		return nil, nil, false
	}
	if !obj.Createable || (s.Policy != nil && !s.Policy.Object(obj.Name).Create) {
		a.renderError(w, r, s, http.StatusForbidden, "You don't have access to create "+strings.ToLower(obj.PluralLabel)+".")
		return nil, nil, false
	}
	return sch, obj, true
}

func (a *App) newForm(w http.ResponseWriter, r *http.Request, s *session) {
	sch, obj, ok := a.objectFor(w, r, s)
	if !ok {
		return
	}
	secs := formLayout(s, obj, true)
	vals := newValues(s, obj, allFields(secs), r.URL.Query())
	a.renderForm(w, r, s, http.StatusOK, obj, "New "+obj.Label, "/o/"+url.PathEscape(obj.Name)+"/new", backTo(r, "/o/"+url.PathEscape(obj.Name), vals, obj),
		formCells(s, secs, vals, a.refNames(r.Context(), sch, allFields(secs), vals), nil), "")
}

// backTo is where a form's Cancel goes: the parent a related list's New
// came from, else fallback.
func backTo(r *http.Request, fallback string, vals map[string]any, obj *metadata.Object) string {
	for k := range r.URL.Query() {
		if f := obj.Field(k); f != nil && f.Type.IsReference() && vals[f.Name] != nil {
			return "/r/" + url.PathEscape(record.FormatValue(vals[f.Name]))
		}
	}
	return fallback
}

func (a *App) renderForm(w http.ResponseWriter, r *http.Request, s *session, status int, obj *metadata.Object, heading, action, cancel string, secs []formSection, msg string) {
	submit := "Save"
	a.render(w, r, s, status, "form", heading, formData{Obj: obj, Heading: heading, Action: action, Cancel: cancel, Submit: submit, Sections: secs, Error: msg})
}

// submitted reads a form's values; those that cannot be read are errors,
// kept as entered to show again.
func submitted(r *http.Request, s *session, fields []*metadata.Field) (map[string]any, map[string]string) {
	r.ParseForm()
	vals, errs := formValues(r.PostForm, fields, s.User.Location)
	for name := range errs {
		vals[name] = strings.TrimSpace(r.PostForm.Get(name))
	}
	return vals, errs
}

// saveErrors splits a failed save's error into messages by field and one
// for the form, moving those of fields the form does not show to the top.
func saveErrors(err error, fields []*metadata.Field) (map[string]string, string) {
	byField, msg := fieldErrors(err)
	shown := map[string]bool{}
	for _, f := range fields {
		shown[f.Name] = true
	}
	for name, m := range byField {
		if !shown[name] {
			delete(byField, name)
			if msg == "" {
				msg = m
			}
		}
	}
	if msg == "" && len(byField) > 0 {
		msg = "Review the errors on this page."
	}
	return byField, msg
}

func asDomain(err error, re **rapport.Error) bool {
	return errors.As(err, re) && (*re).Code != rapport.Internal
}

// refused reports whether a save failed for want of access: such a failure
// is a page of its own, not a form to correct.
func refused(err error) bool {
	return statusOf(rapport.ErrorCode(err)) == http.StatusForbidden
}

// recordName is the name a new record will be known by, for messages.
func recordName(obj *metadata.Object, vals map[string]any) string {
	if v := vals[obj.NameField]; v != nil && v != "" {
		return displayString(v)
	}
	var parts []string
	for _, n := range []string{"FirstName", "LastName"} {
		if v := vals[n]; v != nil && v != "" {
			parts = append(parts, displayString(v))
		}
	}
	return strings.Join(parts, " ")
}

func savedMessage(obj *metadata.Object, name, verb string) string {
	if name == "" {
		return obj.Label + " " + verb + "."
	}
	return obj.Label + " \u201c" + name + "\u201d " + verb + "."
}

func (a *App) createSubmit(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	sch, obj, ok := a.objectFor(w, r, s)
	if !ok {
		return
	}
	secs := formLayout(s, obj, true)
	fields := allFields(secs)
	vals, errs := submitted(r, s, fields)
	action := "/o/" + url.PathEscape(obj.Name) + "/new"
	cancel := "/o/" + url.PathEscape(obj.Name)
	if len(errs) > 0 {
		a.renderForm(w, r, s, http.StatusUnprocessableEntity, obj, "New "+obj.Label, action, cancel,
			formCells(s, secs, vals, a.refNames(ctx, sch, fields, vals), errs), "Review the errors on this page.")
		return
	}
	rec := map[string]any{}
	for k, v := range vals {
		if v != nil {
			rec[k] = v
		}
	}
	id, err := oneResult(a.records.Create(ctx, obj.Name, []map[string]any{rec}, recordOptions()))
	if err != nil {
		var re *rapport.Error
		if !asDomain(err, &re) {
			a.serverError(w, r, err)
			return
		}
		if refused(err) {
			a.failed(w, r, s, err)
			return
		}
		byField, msg := saveErrors(err, fields)
		a.renderForm(w, r, s, http.StatusUnprocessableEntity, obj, "New "+obj.Label, action, cancel,
			formCells(s, secs, vals, a.refNames(ctx, sch, fields, vals), byField), msg)
		return
	}
	a.redirect(w, r, "/r/"+string(id), savedMessage(obj, recordName(obj, vals), "was created"))
}

// editable record: load it and check the user may edit it.
func (a *App) editableRecord(w http.ResponseWriter, r *http.Request, s *session) (*metadata.Schema, *loaded, bool) {
	ctx := r.Context()
	sch, err := a.records.Schema(ctx, s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return nil, nil, false
	}
	l, err := a.loadRecord(ctx, s, sch, r.PathValue("id"))
	if err != nil {
		a.failed(w, r, s, err)
		return nil, nil, false
	}
	if l.Deleted {
		a.renderError(w, r, s, http.StatusConflict, "This record is in the recycle bin. Restore it to change it.")
		return nil, nil, false
	}
	if !a.recordAccess(ctx, s, l).Edit {
		a.renderError(w, r, s, http.StatusForbidden, "You don't have access to edit this "+strings.ToLower(l.Obj.Label)+".")
		return nil, nil, false
	}
	return sch, l, true
}

func (a *App) editForm(w http.ResponseWriter, r *http.Request, s *session) {
	_, l, ok := a.editableRecord(w, r, s)
	if !ok {
		return
	}
	secs := formLayout(s, l.Obj, false)
	a.renderForm(w, r, s, http.StatusOK, l.Obj, "Edit "+l.Name(), "/r/"+string(l.ID)+"/edit", "/r/"+string(l.ID),
		formCells(s, secs, l.Values, l.Refs, nil), "")
}

// changed reports whether a form's value differs from the stored one. A
// date-time entered to the minute equals a stored one in the same minute.
func changed(f *metadata.Field, old, v any) bool {
	nv, err := record.Coerce(f, v)
	if err != nil {
		return true
	}
	if f.Type == metadata.TypeDateTime {
		ot, ok1 := asTime(old)
		nt, ok2 := asTime(nv)
		if ok1 && ok2 {
			return !ot.Truncate(time.Minute).Equal(nt.Truncate(time.Minute))
		}
	}
	if (old == nil || old == "") && (nv == nil || nv == "") {
		return false
	}
	return !record.Equal(old, nv)
}

func (a *App) editSubmit(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	sch, l, ok := a.editableRecord(w, r, s)
	if !ok {
		return
	}
	secs := formLayout(s, l.Obj, false)
	fields := allFields(secs)
	vals, errs := submitted(r, s, fields)
	action, cancel := "/r/"+string(l.ID)+"/edit", "/r/"+string(l.ID)
	shown := map[string]any{}
	for k, v := range l.Values {
		shown[k] = v
	}
	for k, v := range vals {
		shown[k] = v
	}
	if len(errs) > 0 {
		a.renderForm(w, r, s, http.StatusUnprocessableEntity, l.Obj, "Edit "+l.Name(), action, cancel,
			formCells(s, secs, shown, a.refNames(ctx, sch, fields, shown), errs), "Review the errors on this page.")
		return
	}
	rec := map[string]any{}
	for _, f := range fields {
		if v, ok := vals[f.Name]; ok && changed(f, l.Values[f.Name], v) {
			rec[f.Name] = v
		}
	}
	if len(rec) == 0 {
		a.redirect(w, r, "/r/"+string(l.ID), "No changes to save.")
		return
	}
	rec[metadata.FieldID] = string(l.ID)
	if err := firstErr(a.records.Update(ctx, l.Obj.Name, []map[string]any{rec}, recordOptions())); err != nil {
		var re *rapport.Error
		if !asDomain(err, &re) {
			a.serverError(w, r, err)
			return
		}
		if refused(err) {
			a.failed(w, r, s, err)
			return
		}
		byField, msg := saveErrors(err, fields)
		a.renderForm(w, r, s, http.StatusUnprocessableEntity, l.Obj, "Edit "+l.Name(), action, cancel,
			formCells(s, secs, shown, a.refNames(ctx, sch, fields, shown), byField), msg)
		return
	}
	name := l.Name()
	if n := recordName(l.Obj, vals); n != "" && vals[l.Obj.NameField] != nil {
		name = n
	}
	a.redirect(w, r, "/r/"+string(l.ID), savedMessage(l.Obj, name, "was saved"))
}

// cloneForm is the new form filled with a record's values.
func (a *App) cloneForm(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	sch, err := a.records.Schema(ctx, s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	l, err := a.loadRecord(ctx, s, sch, r.PathValue("id"))
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	if !l.Obj.Createable || (s.Policy != nil && !s.Policy.Object(l.Obj.Name).Create) {
		a.renderError(w, r, s, http.StatusForbidden, "You don't have access to create "+strings.ToLower(l.Obj.PluralLabel)+".")
		return
	}
	secs := formLayout(s, l.Obj, true)
	vals := map[string]any{}
	for _, f := range allFields(secs) {
		if v := l.Values[f.Name]; v != nil {
			vals[f.Name] = v
		}
	}
	a.renderForm(w, r, s, http.StatusOK, l.Obj, "Clone "+l.Name(), "/o/"+url.PathEscape(l.Obj.Name)+"/new", "/r/"+string(l.ID),
		formCells(s, secs, vals, l.Refs, nil), "")
}

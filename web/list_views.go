package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
)

// A listView is one choice of a list's view picker: a built-in view (all,
// my, recent) or a view saved as a ListView record.
type listView struct {
	ID        string // "all", "my", "recent", or the ListView's ID
	Name      string
	Saved     bool
	Owner     rapport.ID
	Shared    bool
	Columns   []string
	Filters   []condition
	SortField string
	SortDesc  bool
	// Editable is whether the user may change or delete the view: their
	// own, or any if they are an administrator.
	Editable bool
}

// A condition is one filter of a saved view, as ListView.Filters stores
// it (a JSON list).
type condition struct {
	Field string `json:"field"`
	Op    string `json:"op"`
	Value string `json:"value"`
}

// operators are the conditions' operators, in the order forms offer them.
var operators = []struct{ Op, Label string }{
	{"equals", "equals"},
	{"notEqual", "not equal to"},
	{"lessThan", "less than"},
	{"greaterThan", "greater than"},
	{"contains", "contains"},
	{"startsWith", "starts with"},
}

// views are the list views of an object the user may pick: the built-in
// ones, then (if saved) their own and shared saved views by name.
func (a *App) views(ctx context.Context, s *session, obj *metadata.Object, saved bool) ([]*listView, error) {
	out := []*listView{{ID: "all", Name: "All " + obj.PluralLabel}}
	if obj.Field(metadata.FieldOwnerID) != nil {
		out = append(out, &listView{ID: "my", Name: "My " + obj.PluralLabel})
	}
	out = append(out, &listView{ID: "recent", Name: "Recently Viewed"})
	if !saved {
		return out, nil
	}
	sys := systemCtx(ctx, s)
	me := soqlString(string(s.Principal.UserID))
	res, err := a.query.Run(sys, "SELECT Id, Name, Columns, Filters, SortField, SortDescending, IsShared, OwnerId FROM ListView WHERE SobjectType = "+
		soqlString(obj.Name)+" AND (OwnerId = "+me+" OR IsShared = true) ORDER BY Name, Id LIMIT 200", query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		return nil, err
	}
	for _, rec := range res.Records {
		out = append(out, viewOf(s, rec))
	}
	return out, nil
}

func viewOf(s *session, rec *query.Record) *listView {
	get := func(n string) string {
		v, _ := rec.Get(n)
		if v == nil {
			return ""
		}
		return record.FormatValue(v)
	}
	v := &listView{ID: string(rec.ID), Name: get("Name"), Saved: true, Owner: rapport.ID(get("OwnerId")),
		Shared: get("IsShared") == "true", SortField: get("SortField"), SortDesc: get("SortDescending") == "true"}
	for _, c := range strings.Split(get("Columns"), ",") {
		if c = strings.TrimSpace(c); c != "" {
			v.Columns = append(v.Columns, c)
		}
	}
	if f := get("Filters"); f != "" {
		_ = json.Unmarshal([]byte(f), &v.Filters) // a malformed list filters nothing
	}
	v.Editable = v.Owner == s.Principal.UserID || s.User.Admin
	return v
}

// systemCtx is ctx acting as the system, in the user's org and name: list
// views are written this way, with their owner checked here.
func systemCtx(ctx context.Context, s *session) context.Context {
	return rapport.WithPrincipal(ctx, rapport.Principal{OrgID: s.Principal.OrgID, UserID: s.Principal.UserID, System: true})
}

// filterable reports whether a field can be a condition of a view.
func filterable(s *session, obj *metadata.Object, f *metadata.Field) bool {
	return !f.Deleted && f.Stored() && readable(s, obj, f) &&
		f.Type != metadata.TypeLongTextArea && f.Type != metadata.TypeHTML && f.Type != metadata.TypeTime
}

// conditionsSOQL compiles a view's conditions to a SOQL condition, each
// value a literal of its field's type. A condition that cannot be
// compiled is an InvalidField or MalformedQuery error saying why.
func conditionsSOQL(s *session, obj *metadata.Object, conds []condition) (string, error) {
	var parts []string
	for _, c := range conds {
		p, err := conditionSOQL(s, obj, c)
		if err != nil {
			return "", err
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " AND "), nil
}

func conditionSOQL(s *session, obj *metadata.Object, c condition) (string, error) {
	f := obj.Field(c.Field)
	if f == nil || !filterable(s, obj, f) {
		return "", &rapport.Error{Code: rapport.InvalidField, Message: fmt.Sprintf("there is no field %q to filter by", c.Field), Fields: []string{c.Field}}
	}
	bad := func(format string, args ...any) error {
		return &rapport.Error{Code: rapport.MalformedQuery, Message: fieldLabel(f) + ": " + fmt.Sprintf(format, args...), Fields: []string{f.Name}}
	}
	st := f.Storage()
	text := st == metadata.StoreText
	val := strings.TrimSpace(c.Value)
	switch c.Op {
	case "equals", "notEqual":
		op := " = "
		if c.Op == "notEqual" {
			op = " != "
		}
		if val == "" {
			return f.Name + op + "null", nil
		}
		if f.Type == metadata.TypeMultiPicklist {
			if c.Op == "equals" {
				return f.Name + " INCLUDES (" + soqlString(val) + ")", nil
			}
			return f.Name + " EXCLUDES (" + soqlString(val) + ")", nil
		}
		lit, err := literal(s, f, val)
		if err != nil {
			return "", err
		}
		return f.Name + op + lit, nil
	case "lessThan", "greaterThan":
		if st == metadata.StoreBool || st == metadata.StoreID || f.Type == metadata.TypeMultiPicklist || f.Type == metadata.TypePicklist {
			return "", bad("less than and greater than compare numbers, dates and text")
		}
		if val == "" {
			return "", bad("enter a value to compare with")
		}
		lit, err := literal(s, f, val)
		if err != nil {
			return "", err
		}
		if c.Op == "lessThan" {
			return f.Name + " < " + lit, nil
		}
		return f.Name + " > " + lit, nil
	case "contains", "startsWith":
		if !text || f.Type == metadata.TypeMultiPicklist {
			return "", bad("contains and starts with work on text fields")
		}
		if val == "" {
			return "", bad("enter the text to look for")
		}
		if c.Op == "contains" {
			return f.Name + " LIKE " + soqlLike("%", val, "%"), nil
		}
		return f.Name + " LIKE " + soqlLike("", val, "%"), nil
	}
	return "", bad("choose an operator")
}

// literal is a value typed by a person as a SOQL literal of a field's
// type: text quoted, numbers, dates and booleans checked and unquoted.
func literal(s *session, f *metadata.Field, raw string) (string, error) {
	bad := func(want string) error {
		return &rapport.Error{Code: rapport.MalformedQuery, Message: fmt.Sprintf("%s: %q is not %s", fieldLabel(f), raw, want), Fields: []string{f.Name}}
	}
	switch displayType(f).Storage() {
	case metadata.StoreDecimal:
		clean := strings.NewReplacer(",", "", "$", "", "%", "", " ", "").Replace(raw)
		n, err := strconv.ParseFloat(clean, 64)
		if err != nil || clean == "" || strings.ContainsAny(clean, "eEinfINFaA") {
			return "", bad("a number")
		}
		return strconv.FormatFloat(n, 'f', -1, 64), nil
	case metadata.StoreBool:
		switch strings.ToLower(raw) {
		case "true", "yes", "1", "checked":
			return "true", nil
		case "false", "no", "0", "unchecked":
			return "false", nil
		}
		return "", bad("true or false")
	case metadata.StoreDate:
		if len(raw) > 10 {
			if t, ok := asTime(raw); ok {
				return t.UTC().Format(record.DateLayout), nil
			}
		}
		t, err := time.Parse(record.DateLayout, raw)
		if err != nil {
			return "", bad("a date (YYYY-MM-DD)")
		}
		return t.Format(record.DateLayout), nil
	case metadata.StoreDateTime:
		if t, ok := asTime(raw); ok {
			return t.UTC().Format("2006-01-02T15:04:05.000Z"), nil
		}
		loc := time.UTC
		if s != nil && s.User.Location != nil {
			loc = s.User.Location
		}
		for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", record.DateLayout} {
			if t, err := time.ParseInLocation(layout, raw, loc); err == nil {
				return t.UTC().Format("2006-01-02T15:04:05.000Z"), nil
			}
		}
		return "", bad("a date and time (YYYY-MM-DD hh:mm)")
	case metadata.StoreID:
		if _, err := rapport.ParseID(raw); err != nil {
			return "", bad("a record ID")
		}
		return soqlString(raw), nil
	}
	return soqlString(raw), nil
}

// formatLiteral is a value read from a query in the form literal reads.
func formatLiteral(v any) string { return record.FormatValue(v) }

// viewFormData is the data of the new/edit view form.
type viewFormData struct {
	Object  *metadata.Object
	Base    string
	View    *listView
	New     bool
	Fields  []*metadata.Field // readable, listable fields for columns and sort
	Filters []*metadata.Field // fields conditions can use
	Slots   []string          // chosen columns, with empty slots to add more
	Conds   []condRow
	Error   string
}

// A condRow is one row of the conditions in a view's form.
type condRow struct {
	I       int
	C       condition
	Field   *metadata.Field
	Fields  []*metadata.Field
	Options []struct{ Op, Label string }
	Error   string
	Base    string
}

// valueControl is the value input of a condition: the picklist's values
// for a picklist, true/false for a checkbox, else a typed input.
func (c condRow) ValueControl() template.HTML { return template.HTML(c.valueControl()) }

func (c condRow) valueControl() string {
	id := "cond-" + strconv.Itoa(c.I) + "-value"
	name := "cond_value"
	esc := template.HTMLEscapeString
	attrs := ` id="` + id + `" name="` + name + `" aria-label="Value of condition ` + strconv.Itoa(c.I+1) + `"`
	f := c.Field
	if f != nil && (f.Type == metadata.TypePicklist || f.Type == metadata.TypeMultiPicklist) {
		var b strings.Builder
		b.WriteString(`<select` + attrs + `><option value="">--None--</option>`)
		for _, pv := range picklistValues(f, c.C.Value) {
			b.WriteString(`<option value="` + esc(pv.Value) + `"`)
			if pv.Value == c.C.Value {
				b.WriteString(" selected")
			}
			b.WriteString(">" + esc(labelOf(pv)) + "</option>")
		}
		b.WriteString("</select>")
		return b.String()
	}
	if f != nil && f.Type == metadata.TypeCheckbox {
		sel := func(v string) string {
			if strings.EqualFold(c.C.Value, v) {
				return " selected"
			}
			return ""
		}
		return `<select` + attrs + `><option value="true"` + sel("true") + `>True</option><option value="false"` + sel("false") + `>False</option></select>`
	}
	typ, extra := "text", ""
	if f != nil {
		switch f.Storage() {
		case metadata.StoreDecimal:
			extra = ` inputmode="decimal"`
		case metadata.StoreDate:
			typ = "date"
		case metadata.StoreDateTime:
			typ = "datetime-local"
		}
	}
	return `<input type="` + typ + `"` + attrs + ` value="` + esc(c.C.Value) + `"` + extra + `>`
}

// viewForm shows the form to create a view or change one.
func (a *App) viewForm(w http.ResponseWriter, r *http.Request, s *session) {
	_, obj, ok := a.listObject(w, r, s)
	if !ok {
		return
	}
	v := &listView{Shared: false}
	isNew := r.PathValue("view") == ""
	if !isNew {
		var found bool
		if v, found = a.savedView(w, r, s, obj, r.PathValue("view")); !found {
			return
		}
	}
	a.renderViewForm(w, r, s, obj, v, isNew, nil, "", http.StatusOK)
}

func (a *App) renderViewForm(w http.ResponseWriter, r *http.Request, s *session, obj *metadata.Object, v *listView, isNew bool, condErrs map[int]string, msg string, status int) {
	d := viewFormData{Object: obj, Base: "/o/" + url.PathEscape(obj.Name), View: v, New: isNew, Error: msg}
	for _, f := range obj.Fields {
		if listable(s, obj, f) && f.Type != metadata.TypeID {
			d.Fields = append(d.Fields, f)
		}
		if filterable(s, obj, f) {
			d.Filters = append(d.Filters, f)
		}
	}
	d.Slots = append(d.Slots, v.Columns...)
	if isNew && len(d.Slots) == 0 {
		for _, f := range columnsOf(s, obj, nil) {
			d.Slots = append(d.Slots, f.Name)
		}
	}
	n := min(max(len(d.Slots)+3, 6), 15)
	for len(d.Slots) < n {
		d.Slots = append(d.Slots, "")
	}
	conds := append([]condition(nil), v.Filters...)
	for len(conds) < max(len(v.Filters)+2, 3) {
		conds = append(conds, condition{Op: "equals"})
	}
	for i, c := range conds {
		d.Conds = append(d.Conds, condRow{I: i, C: c, Field: obj.Field(c.Field), Fields: d.Filters, Options: operators, Error: condErrs[i], Base: d.Base})
	}
	title := "New list view"
	if !isNew {
		title = "Edit " + v.Name
	}
	a.render(w, r, s, status, "list_view", title, d)
}

// conditionRow answers htmx when a condition's field changes: the row
// again, with the value control of the new field.
func (a *App) conditionRow(w http.ResponseWriter, r *http.Request, s *session) {
	_, obj, ok := a.listObject(w, r, s)
	if !ok {
		return
	}
	q := r.URL.Query()
	i, _ := strconv.Atoi(q.Get("i"))
	c := condition{Field: q.Get("cond_field"), Op: q.Get("cond_op"), Value: q.Get("cond_value")}
	var fields []*metadata.Field
	for _, f := range obj.Fields {
		if filterable(s, obj, f) {
			fields = append(fields, f)
		}
	}
	f := obj.Field(c.Field)
	if f != nil && !filterable(s, obj, f) {
		f = nil
	}
	if f == nil || f.Type == metadata.TypeCheckbox {
		c.Value = "" // a value typed for another field does not fit
	}
	a.renderFragment(w, r, s, http.StatusOK, "list_view", "view_cond_frag", condRow{I: i, C: c, Field: f, Fields: fields, Options: operators, Base: "/o/" + url.PathEscape(obj.Name)})
}

// savedView reads the view named by the URL that the user may change, or
// answers 404 or 403.
func (a *App) savedView(w http.ResponseWriter, r *http.Request, s *session, obj *metadata.Object, id string) (*listView, bool) {
	if _, err := rapport.ParseID(id); err != nil {
		a.renderError(w, r, s, http.StatusNotFound, "That list view was not found.")
		return nil, false
	}
	res, err := a.query.Run(systemCtx(r.Context(), s), "SELECT Id, Name, Columns, Filters, SortField, SortDescending, IsShared, OwnerId FROM ListView WHERE Id = "+
		soqlString(id)+" AND SobjectType = "+soqlString(obj.Name), query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		a.serverError(w, r, err)
		return nil, false
	}
	if len(res.Records) != 1 {
		a.renderError(w, r, s, http.StatusNotFound, "That list view was not found. It may have been deleted.")
		return nil, false
	}
	v := viewOf(s, res.Records[0])
	if !v.Shared && v.Owner != s.Principal.UserID && !s.User.Admin {
		a.renderError(w, r, s, http.StatusNotFound, "That list view was not found. It may have been deleted.")
		return nil, false
	}
	if !v.Editable {
		a.renderError(w, r, s, http.StatusForbidden, "Only the owner of “"+v.Name+"” or an administrator can change it.")
		return nil, false
	}
	return v, true
}

// viewSave creates or changes a saved view from its form.
func (a *App) viewSave(w http.ResponseWriter, r *http.Request, s *session) {
	_, obj, ok := a.listObject(w, r, s)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		a.renderError(w, r, s, http.StatusBadRequest, "The form could not be read.")
		return
	}
	isNew := r.PostForm.Get("view") == ""
	v := &listView{}
	if !isNew {
		var found bool
		if v, found = a.savedView(w, r, s, obj, r.PostForm.Get("view")); !found {
			return
		}
	}
	f := r.PostForm
	v.Name = strings.TrimSpace(f.Get("name"))
	v.Shared = f.Get("shared") == "true"
	v.Columns = nil
	seen := map[string]bool{}
	for _, c := range f["column"] {
		if fld := obj.Field(c); fld != nil && listable(s, obj, fld) && !seen[fld.Name] {
			seen[fld.Name] = true
			v.Columns = append(v.Columns, fld.Name)
		}
	}
	v.Filters = nil
	fields, ops, vals := f["cond_field"], f["cond_op"], f["cond_value"]
	condErrs := map[int]string{}
	for i, name := range fields {
		if name == "" {
			continue
		}
		c := condition{Field: name}
		if i < len(ops) {
			c.Op = ops[i]
		}
		if i < len(vals) {
			c.Value = strings.TrimSpace(vals[i])
		}
		if _, err := conditionSOQL(s, obj, c); err != nil {
			condErrs[len(v.Filters)] = message(err)
		}
		v.Filters = append(v.Filters, c)
	}
	v.SortField, v.SortDesc = "", f.Get("sort_dir") == "desc"
	if sf := obj.Field(f.Get("sort")); sf != nil && listable(s, obj, sf) && sortable(sf) {
		v.SortField = sf.Name
	}
	msg := ""
	switch {
	case v.Name == "":
		msg = "Give the view a name."
	case len([]rune(v.Name)) > 40:
		msg = "A view's name can have at most 40 characters."
	case len(condErrs) > 0:
		msg = "Some conditions need fixing."
	}
	if msg != "" {
		a.renderViewForm(w, r, s, obj, v, isNew, condErrs, msg, http.StatusUnprocessableEntity)
		return
	}
	filters := ""
	if len(v.Filters) > 0 {
		b, _ := json.Marshal(v.Filters)
		filters = string(b)
	}
	rec := map[string]any{"Name": v.Name, "Columns": strings.Join(v.Columns, ","), "Filters": filters,
		"SortField": v.SortField, "SortDescending": v.SortDesc, "IsShared": v.Shared}
	for k, x := range rec {
		if x == "" {
			rec[k] = nil
		}
	}
	sys := systemCtx(r.Context(), s)
	var res []record.Result
	var err error
	if isNew {
		rec["SobjectType"] = obj.Name
		rec["OwnerId"] = string(s.Principal.UserID)
		res, err = a.records.Create(sys, "ListView", []map[string]any{rec}, recordOptions())
	} else {
		rec["Id"] = v.ID
		res, err = a.records.Update(sys, "ListView", []map[string]any{rec}, recordOptions())
	}
	if err == nil && len(res) == 1 {
		err = res[0].Err
	}
	if err != nil {
		if rapport.ErrorCode(err) == rapport.Internal || rapport.ErrorCode(err) == "" {
			a.serverError(w, r, err)
			return
		}
		a.renderViewForm(w, r, s, obj, v, isNew, nil, message(err), http.StatusUnprocessableEntity)
		return
	}
	id := v.ID
	if isNew {
		id = string(res[0].ID)
	}
	http.Redirect(w, r, "/o/"+url.PathEscape(obj.Name)+"?view="+url.QueryEscape(id)+"&flash="+url.QueryEscape("Saved the view “"+v.Name+"”."), http.StatusSeeOther)
}

// viewDelete deletes a saved view.
func (a *App) viewDelete(w http.ResponseWriter, r *http.Request, s *session) {
	_, obj, ok := a.listObject(w, r, s)
	if !ok {
		return
	}
	v, found := a.savedView(w, r, s, obj, r.PostFormValue("view"))
	if !found {
		return
	}
	res, err := a.records.Delete(systemCtx(r.Context(), s), []string{v.ID}, recordOptions())
	if err == nil && len(res) == 1 {
		err = res[0].Err
	}
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	http.Redirect(w, r, "/o/"+url.PathEscape(obj.Name)+"?flash="+url.QueryEscape("Deleted the view “"+v.Name+"”."), http.StatusSeeOther)
}

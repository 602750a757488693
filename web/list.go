package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/security"
)

// List views show the records of any object, a page at a time. Pages are
// read by keyset: each page starts after the (sort value, Id) of the last
// row of the page before, so that page 3,000 of a 170,000-row object costs
// what page 1 does. Totals are not counted past countCap.
const (
	pageSize = 50
	// countCap is how many rows the first page of a list counts at most
	// ("500+" beyond).
	countCap = 500
	// recentCap is how many recently viewed records a list shows.
	recentCap = 100
)

// listRoutes adds the list views and the opportunity pipeline.
func (a *App) listRoutes(page func(pattern string, h handlerFunc)) {
	page("GET /o/{object}", a.listPage)
	page("GET /o/{object}/views/new", a.viewForm)
	page("GET /o/{object}/views/condition", a.conditionRow)
	page("GET /o/{object}/views/{view}", a.viewForm)
	page("POST /o/{object}/views", a.viewSave)
	page("POST /o/{object}/views/delete", a.viewDelete)
	page("GET /o/{object}/{id}/cell/{field}", a.cellEditor)
	page("POST /o/{object}/{id}/cell/{field}", a.cellSave)
	page("POST /o/{object}/mass", a.massAction)
	a.kanbanRoutes(page)
}

// defaultColumns are the columns of the standard objects' built-in views.
// Other objects show their name and their first few fields.
var defaultColumns = map[string][]string{
	"Account":     {"Name", "BillingCity", "Phone", "Industry", "OwnerId"},
	"Contact":     {"Name", "AccountId", "Title", "Email", "Phone"},
	"Opportunity": {"Name", "AccountId", "StageName", "Amount", "CloseDate", "OwnerId"},
	"Lead":        {"Name", "Company", "Status", "Email"},
	"Case":        {"CaseNumber", "Subject", "Status", "Priority"},
	"Campaign":    {"Name", "Type", "Status", "StartDate"},
	"Contract":    {"ContractNumber", "AccountId", "Status", "StartDate"},
	"Task":        {"Subject", "ActivityDate", "Status", "Priority", "OwnerId"},
	"Event":       {"Subject", "StartDateTime", "Location", "OwnerId"},
	// A member is named by its contact or lead.
	"CampaignMember": {"LeadOrContactId", "CampaignId", "Type", "Status", "HasResponded"},
}

// listable reports whether a field can be a column of a list.
func listable(s *session, obj *metadata.Object, f *metadata.Field) bool {
	if f.Deleted || !(f.Stored() || f.Type == metadata.TypeFormula) || !readable(s, obj, f) {
		return false
	}
	return f.Type != metadata.TypeHTML && f.Type != metadata.TypeLongTextArea
}

// columnsOf resolves column names to the fields the user may read, in
// order, or the object's default columns when there are none.
func columnsOf(s *session, obj *metadata.Object, names []string) []*metadata.Field {
	var out []*metadata.Field
	seen := map[string]bool{}
	add := func(n string) {
		f := obj.Field(n)
		if f == nil || seen[f.Name] || !listable(s, obj, f) {
			return
		}
		seen[f.Name] = true
		out = append(out, f)
	}
	for _, n := range names {
		add(n)
	}
	if len(out) > 0 {
		return out
	}
	if d, ok := defaultColumns[obj.Name]; ok {
		for _, n := range d {
			add(n)
		}
		return out
	}
	if obj.NameField != "" {
		add(obj.NameField)
	}
	for _, f := range obj.Fields {
		if len(out) >= 5 {
			break
		}
		if f.System || f.Name == metadata.FieldOwnerID || f.Compound != "" || f.Type == metadata.TypeID {
			continue
		}
		add(f.Name)
	}
	if obj.Field(metadata.FieldOwnerID) != nil {
		add(metadata.FieldOwnerID)
	}
	return out
}

// A listColumn is a column header: its field and how clicking it sorts.
type listColumn struct {
	Field *metadata.Field
	// Sort is the header's aria-sort: ascending, descending or none.
	Sort    string
	SortURL string
	Numeric bool
}

// A listCell is one cell of a list row, with whether the user may edit it
// in place.
type listCell struct {
	cell
	Editable bool
}

// A listRow is one record of a list.
type listRow struct {
	ID    rapport.ID
	Name  string
	Cells []cellData
}

// listState is what a list's URL says: the view, the sort, the search and
// the page.
type listState struct {
	View   string
	Sort   string
	Desc   bool
	Query  string
	After  string // cursor: the page starts after this row
	Before string // cursor: the page ends before this row
}

// params are the state as URL parameters; page cursors are left out.
func (st listState) params() url.Values {
	v := url.Values{}
	if st.View != "" && st.View != "all" {
		v.Set("view", st.View)
	}
	if st.Sort != "" {
		v.Set("sort", st.Sort)
		if st.Desc {
			v.Set("dir", "desc")
		} else {
			v.Set("dir", "asc")
		}
	}
	if st.Query != "" {
		v.Set("q", st.Query)
	}
	return v
}

func (st listState) url(base string, extra ...string) string {
	v := st.params()
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if e := v.Encode(); e != "" {
		return base + "?" + e
	}
	return base
}

type listData struct {
	Object  *metadata.Object
	Base    string // /o/{object}
	State   listState
	Views   []*listView
	View    *listView
	Columns []listColumn
	Rows    []listRow
	// Count is how many rows the list has, as shown: "12 items",
	// "500+ items".
	Count      string
	Next, Prev string
	Error      string
	// CanCreate etc. are the user's object permissions, for buttons.
	CanCreate, CanEdit, CanDelete bool
	// Mass is whether rows can be selected for mass actions.
	Mass bool
	// Pipeline links the opportunity pipeline.
	Pipeline bool
	// Here is the list's URL without its page, to come back to.
	Here string
	// SortLabel says what the list is sorted by.
	SortLabel string
	// OwnerInput is the new owner's lookup of the mass owner change.
	OwnerInput template.HTML
}

// listPage shows a list view of an object: the whole page, or to htmx
// just the table.
func (a *App) listPage(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	sch, obj, ok := a.listObject(w, r, s)
	if !ok {
		return
	}
	q := r.URL.Query()
	st := listState{View: q.Get("view"), Sort: q.Get("sort"), Desc: q.Get("dir") == "desc",
		Query: strings.TrimSpace(q.Get("q")), After: q.Get("after"), Before: q.Get("before")}
	if st.View == "" {
		st.View = "all"
	}
	d := &listData{Object: obj, Base: "/o/" + url.PathEscape(obj.Name), State: st, Pipeline: obj.Name == "Opportunity"}
	if s.Policy == nil {
		d.CanCreate, d.CanEdit, d.CanDelete = true, true, true
	} else {
		p := s.Policy.Object(obj.Name)
		d.CanCreate, d.CanEdit, d.CanDelete = p.Create && obj.Createable, p.Edit && obj.Updateable, p.Delete && obj.Deletable
	}
	d.Mass = d.CanDelete || (d.CanEdit && obj.Field(metadata.FieldOwnerID) != nil)
	if d.Mass && d.CanEdit && obj.Field(metadata.FieldOwnerID) != nil {
		d.OwnerInput = newCell(s, ownerField(), nil, "").Input()
	}
	// A table swap of a built-in view needs no saved views: no picker.
	fragment := r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "list-table"
	builtIn := st.View == "all" || st.View == "my" || st.View == "recent"
	views, err := a.views(ctx, s, obj, !(fragment && builtIn))
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	d.Views = views
	for _, v := range views {
		if v.ID == st.View {
			d.View = v
		}
	}
	if d.View == nil {
		a.renderError(w, r, s, http.StatusNotFound, "That list view was not found. It may have been deleted.")
		return
	}
	err = a.fillList(ctx, s, sch, d)
	d.Here = d.State.url(d.Base)
	if err != nil {
		if rapport.ErrorCode(err) == rapport.Internal || rapport.ErrorCode(err) == "" {
			a.serverError(w, r, err)
			return
		}
		d.Error = message(err)
	}
	if fragment {
		a.renderFragment(w, r, s, http.StatusOK, "list", "list_table", d)
		return
	}
	a.render(w, r, s, http.StatusOK, "list", obj.PluralLabel, d)
}

// listObject finds the object of a list route, or answers 404 or 403.
func (a *App) listObject(w http.ResponseWriter, r *http.Request, s *session) (*metadata.Schema, *metadata.Object, bool) {
	sch, err := a.records.Schema(r.Context(), s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return nil, nil, false
	}
	obj := sch.Object(r.PathValue("object"))
	if obj == nil {
		a.renderError(w, r, s, http.StatusNotFound, "There is no object named "+r.PathValue("object")+".")
		return nil, nil, false
	}
	if s.Policy != nil && !s.Policy.Object(obj.Name).Read {
		a.renderError(w, r, s, http.StatusForbidden, "You don't have access to "+obj.PluralLabel+". Ask your administrator for access.")
		return nil, nil, false
	}
	return sch, obj, true
}

// sortPath is the SOQL path a column sorts by: a reference sorts by the
// referenced record's name.
func sortPath(sch *metadata.Schema, f *metadata.Field) string {
	if p := refPath(sch, f); p != "" {
		return p
	}
	return f.Name
}

// sortField is the field a path's values have: the name field of the
// referenced object for a reference path.
func sortField(sch *metadata.Schema, f *metadata.Field) *metadata.Field {
	if refPath(sch, f) == "" {
		return f
	}
	if len(f.ReferenceTo) == 1 {
		if t := sch.Object(f.ReferenceTo[0]); t != nil {
			if nf := t.Field(t.NameField); nf != nil {
				return nf
			}
		}
	}
	return &metadata.Field{Name: "Name", Type: metadata.TypeText}
}

func sortable(f *metadata.Field) bool {
	switch f.Type {
	case metadata.TypeLongTextArea, metadata.TypeHTML, metadata.TypeMultiPicklist, metadata.TypeFormula:
		return false
	}
	return true
}

// fillList reads one page of the list in d.
func (a *App) fillList(ctx context.Context, s *session, sch *metadata.Schema, d *listData) error {
	obj, st, v := d.Object, &d.State, d.View
	cols := columnsOf(s, obj, v.Columns)
	// The sort: the URL's, else the view's, else the name field.
	var sortF *metadata.Field
	if st.Sort != "" {
		if f := obj.Field(st.Sort); f != nil && listable(s, obj, f) && sortable(f) {
			sortF = f
		} else {
			st.Sort = ""
		}
	}
	if sortF == nil && v.SortField != "" {
		if f := obj.Field(v.SortField); f != nil && listable(s, obj, f) && sortable(f) {
			sortF, st.Desc = f, v.SortDesc
		}
	}
	if sortF == nil && v.ID == "recent" {
		sortF = nil // most recently viewed first
	} else if sortF == nil {
		if f := obj.Field(obj.NameField); f != nil && readable(s, obj, f) && sortable(f) {
			sortF, st.Desc = f, false
		} else {
			sortF, st.Desc = obj.Field("Id"), false
		}
	}
	if sortF != nil {
		d.SortLabel = fieldLabel(sortF)
		if st.Desc {
			d.SortLabel += " (descending)"
		}
	}
	for _, f := range cols {
		c := listColumn{Field: f, Sort: "none", Numeric: newCell(s, f, nil, "").Numeric()}
		if sortable(f) {
			next := listState{View: st.View, Query: st.Query, Sort: f.Name}
			if sortF != nil && f.Name == sortF.Name {
				if st.Desc {
					c.Sort = "descending"
				} else {
					c.Sort = "ascending"
					next.Desc = true
				}
			}
			c.SortURL = next.url(d.Base)
		}
		d.Columns = append(d.Columns, c)
	}

	// SELECT
	fields := []string{"Id"}
	seen := map[string]bool{"id": true}
	add := func(p string) {
		if p != "" && !seen[strings.ToLower(p)] {
			seen[strings.ToLower(p)] = true
			fields = append(fields, p)
		}
	}
	if nf := obj.Field(obj.NameField); nf != nil && readable(s, obj, nf) {
		add(nf.Name)
	}
	for _, f := range cols {
		add(f.Name)
		add(refPath(sch, f))
	}
	path := ""
	if sortF != nil {
		path = sortPath(sch, sortF)
		add(path)
	}

	// WHERE
	var where []string
	switch v.ID {
	case "my":
		where = append(where, "OwnerId = "+soqlString(string(s.Principal.UserID)))
	case "recent":
		ids, err := a.recentIDs(ctx, s, obj)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			d.Count = "0 items"
			return nil
		}
		quoted := make([]string, len(ids))
		for i, id := range ids {
			quoted[i] = soqlString(string(id))
		}
		where = append(where, "Id IN ("+strings.Join(quoted, ", ")+")")
		defer func() {
			if st.Sort == "" && v.SortField == "" {
				sortByIDs(d.Rows, ids)
			}
		}()
	}
	if len(v.Filters) > 0 {
		w, err := conditionsSOQL(s, obj, v.Filters)
		if err != nil {
			return err
		}
		where = append(where, w)
	}
	if st.Query != "" && obj.NameField != "" {
		where = append(where, obj.NameField+" LIKE "+soqlLike("%", st.Query, "%"))
	}
	base := where

	if v.ID == "recent" {
		// At most recentCap rows: one page, no cursor.
		soql := "SELECT " + strings.Join(fields, ", ") + " FROM " + obj.Name + " WHERE " + strings.Join(where, " AND ") + orderBy(path, st.Desc, false) + " LIMIT " + itoa(recentCap)
		res, err := a.query.Run(ctx, soql, query.Options{BatchSize: query.MinBatchSize})
		if err != nil {
			return err
		}
		d.Rows = a.listRows(ctx, s, sch, obj, cols, res.Records)
		d.Count = countText(len(d.Rows), false)
		return nil
	}

	// Keyset: after the cursor, or before it read backwards.
	backwards := false
	if c, ok := decodeCursor(st.After); ok {
		k, err := keyset(s, sch, sortF, path, c, st.Desc)
		if err != nil {
			return err
		}
		where = append(where, k)
	} else if c, ok := decodeCursor(st.Before); ok {
		k, err := keyset(s, sch, sortF, path, c, !st.Desc)
		if err != nil {
			return err
		}
		where = append(where, k)
		backwards = true
	}
	soql := "SELECT " + strings.Join(fields, ", ") + " FROM " + obj.Name
	if len(where) > 0 {
		soql += " WHERE " + strings.Join(where, " AND ")
	}
	soql += orderBy(path, st.Desc != backwards, true) + " LIMIT " + itoa(pageSize+1)
	res, err := a.query.Run(ctx, soql, query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		return err
	}
	recs := res.Records
	more := len(recs) > pageSize
	if more {
		recs = recs[:pageSize]
	}
	if backwards {
		slices.Reverse(recs)
	}
	d.Rows = a.listRows(ctx, s, sch, obj, cols, recs)
	if len(recs) > 0 {
		first, last := recs[0], recs[len(recs)-1]
		hasNext, hasPrev := more, st.After != ""
		if backwards {
			hasNext, hasPrev = true, more
		}
		if hasNext {
			d.Next = st.url(d.Base, "after", encodeCursor(last, path))
		}
		if hasPrev {
			d.Prev = st.url(d.Base, "before", encodeCursor(first, path))
		}
	}
	switch {
	case st.After != "" || st.Before != "":
		d.Count = "More than " + itoa(pageSize) + " items"
	case !more:
		d.Count = countText(len(recs), false)
	case st.Query != "":
		// A search for a rare name would read every row to count the few
		// it finds: a full page says so instead.
		d.Count = countText(pageSize, true)
	default:
		d.Count = a.count(ctx, obj, base)
	}
	return nil
}

// count counts a list's rows up to countCap: reading that many IDs costs
// little; counting 170,000 rows on every page would not.
func (a *App) count(ctx context.Context, obj *metadata.Object, where []string) string {
	soql := "SELECT Id FROM " + obj.Name
	if len(where) > 0 {
		soql += " WHERE " + strings.Join(where, " AND ")
	}
	soql += " LIMIT " + itoa(countCap+1)
	res, err := a.query.Run(ctx, soql, query.Options{BatchSize: countCap + 1})
	if err != nil {
		return countText(pageSize, true)
	}
	n := len(res.Records)
	return countText(min(n, countCap), n > countCap)
}

func countText(n int, more bool) string {
	s := groupDigits(float64(n), 0)
	if more {
		s += "+"
	}
	if n == 1 && !more {
		return s + " item"
	}
	return s + " items"
}

// orderBy is a list's ORDER BY: ascending with nulls first, descending
// with nulls last (the exact reverse, so that keyset pages can be read
// backwards), and the Id as tiebreak in the same direction.
func orderBy(path string, desc, withID bool) string {
	if path == "" {
		return ""
	}
	dir, idDir := " ASC NULLS FIRST", " ASC"
	if desc {
		dir, idDir = " DESC NULLS LAST", " DESC"
	}
	if path == "Id" {
		return " ORDER BY Id" + idDir
	}
	s := " ORDER BY " + path + dir
	if withID {
		s += ", Id" + idDir
	}
	return s
}

// A cursor is where a keyset page starts: the sort value and Id of a row.
type cursor struct {
	Value *string    `json:"v"`
	ID    rapport.ID `json:"id"`
}

func encodeCursor(rec *query.Record, path string) string {
	c := cursor{ID: rec.ID}
	if path != "Id" {
		if v, _ := pathValue(rec, path); v != nil {
			s := formatLiteral(v)
			c.Value = &s
		}
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, bool) {
	var c cursor
	if s == "" {
		return c, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil {
		return c, false
	}
	if _, err := rapport.ParseID(string(c.ID)); err != nil {
		return c, false
	}
	return c, true
}

// keyset is the condition of the rows after a cursor in the list's order:
// sort value past the cursor's, or equal with a greater Id. The first
// conjunct lets the database seek in the sort index.
func keyset(s *session, sch *metadata.Schema, f *metadata.Field, path string, c cursor, desc bool) (string, error) {
	id := soqlString(string(c.ID))
	gt, ge := " > ", " >= "
	if desc {
		gt, ge = " < ", " <= "
	}
	if path == "Id" {
		return "Id" + gt + id, nil
	}
	if c.Value == nil {
		if desc { // nulls last: only nulls with a lesser Id follow
			return "(" + path + " = null AND Id" + gt + id + ")", nil
		}
		return "((" + path + " = null AND Id" + gt + id + ") OR " + path + " != null)", nil
	}
	lit, err := literal(s, sortField(sch, f), *c.Value)
	if err != nil {
		return "", err
	}
	k := "(" + path + ge + lit + " AND (" + path + gt + lit + " OR Id" + gt + id + "))"
	if desc {
		k = "(" + k + " OR " + path + " = null)"
	}
	return k, nil
}

// recentIDs are the records of an object the user viewed last, newest
// first.
func (a *App) recentIDs(ctx context.Context, s *session, obj *metadata.Object) ([]rapport.ID, error) {
	items, err := a.recent(ctx, s, obj.Name, recentCap)
	if err != nil {
		return nil, err
	}
	ids := make([]rapport.ID, 0, len(items))
	for _, it := range items {
		if _, err := rapport.ParseID(string(it.ID)); err == nil {
			ids = append(ids, it.ID)
		}
	}
	return ids, nil
}

func sortByIDs(rows []listRow, ids []rapport.ID) {
	pos := map[rapport.ID]int{}
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortStableFunc(rows, func(a, b listRow) int { return pos[a.ID] - pos[b.ID] })
}

// listRows makes rows of records, marking the cells the user may edit in
// place.
func (a *App) listRows(ctx context.Context, s *session, sch *metadata.Schema, obj *metadata.Object, cols []*metadata.Field, recs []*query.Record) []listRow {
	canEdit := obj.Updateable && (s.Policy == nil || s.Policy.Object(obj.Name).Edit)
	edit := make([]bool, len(cols))
	for i, f := range cols {
		edit[i] = canEdit && inlineEditable(s, obj, f)
	}
	rows := rowsOf(sch, s, obj, cols, recs)
	// Sharing may leave some rows read-only: no pencil where a save would
	// be refused.
	var rowEdit map[rapport.ID]bool
	if canEdit && s.Policy != nil && !s.Policy.Object(obj.Name).ModifyAll && !s.Policy.Has(security.ModifyAllData) && len(rows) > 0 {
		ids := make([]rapport.ID, len(rows))
		for i, rw := range rows {
			ids[i] = rw.ID
		}
		var err error
		if rowEdit, err = a.records.Editable(ctx, obj.Name, ids); err != nil {
			a.log.WarnContext(ctx, "list rows' edit access", "object", obj.Name, "error", err)
			rowEdit = map[rapport.ID]bool{}
		}
	}
	base := "/o/" + url.PathEscape(obj.Name)
	out := make([]listRow, len(rows))
	for i, rw := range rows {
		lr := listRow{ID: rw.ID, Name: rw.Name, Cells: make([]cellData, len(rw.Cells))}
		for j, c := range rw.Cells {
			ok := edit[j] && (rowEdit == nil || rowEdit[rw.ID])
			lr.Cells[j] = cellData{Base: base, ID: rw.ID, Name: rw.Name, First: j == 0, C: listCell{cell: c, Editable: ok}}
		}
		out[i] = lr
	}
	return out
}

// inlineEditable reports whether a field can be edited in a list's cell.
func inlineEditable(s *session, obj *metadata.Object, f *metadata.Field) bool {
	return editable(s, obj, f, false) && f.Type != metadata.TypeMultiPicklist
}

package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/security"
)

// recordRoutes adds record pages, forms and their actions.
func (a *App) recordRoutes(page func(pattern string, h handlerFunc)) {
	page("GET /o/{object}/new", a.newForm)
	page("POST /o/{object}/new", a.createSubmit)
	page("GET /r/{id}", a.recordPage)
	page("GET /r/{id}/edit", a.editForm)
	page("POST /r/{id}/edit", a.editSubmit)
	page("GET /r/{id}/clone", a.cloneForm)
	page("POST /r/{id}/delete", a.deleteRecord)
	page("POST /r/{id}/restore", a.restoreRecord)
	page("GET /r/{id}/related/{rel}", a.relatedPage)
	page("GET /r/{id}/timeline", a.timelineFragment)
	page("POST /r/{id}/log-call", a.logCall)
	page("POST /r/{id}/task", a.newTask)
	page("POST /r/{id}/note", a.newNote)
	page("GET /r/{id}/convert", a.convertForm)
	page("POST /r/{id}/convert", a.convertSubmit)
}

// keyFields are the fields a record page's header shows, by object; other
// objects show their first few fields.
var keyFields = map[string][]string{
	"Account":        {"Type", "Phone", "Website", "OwnerId"},
	"Opportunity":    {"AccountId", "CloseDate", "Amount", "StageName", "OwnerId"},
	"Contact":        {"AccountId", "Title", "Email", "Phone"},
	"Lead":           {"Company", "Status", "Email"},
	"Case":           {"Status", "Priority", "ContactId"},
	"Campaign":       {"Status", "Type", "StartDate", "EndDate", "NumberOfContacts", "NumberOfResponses"},
	"Contract":       {"AccountId", "Status", "StartDate", "ContractTerm"},
	"Task":           {"Status", "ActivityDate", "Priority", "WhoId", "WhatId"},
	"Event":          {"StartDateTime", "EndDateTime", "Location", "WhoId", "WhatId"},
	"CampaignMember": {"LeadOrContactId", "CampaignId", "Type", "Status", "HasResponded"},
}

// hiddenDetails are system fields the details section leaves out.
var hiddenDetails = map[string]bool{
	metadata.FieldID: true, metadata.FieldSystemModstamp: true, metadata.FieldIsDeleted: true,
	"LastViewedDate": true, "LastReferencedDate": true, "MasterRecordId": true,
}

// activityObjects show on a record's timeline, not in its related lists;
// setupObjects are not listed on business records.
var (
	activityObjects = map[string]bool{"Task": true, "Event": true, "EmailMessage": true, "Note": true}
	setupObjects    = map[string]bool{
		"Organization": true, "User": true, "Profile": true, "UserRole": true, "Group": true, "GroupMember": true,
		"PermissionSet": true, "PermissionSetAssignment": true, "ObjectPermissions": true, "FieldPermissions": true,
		"RecentView": true, "SetupAuditTrail": true, "ListView": true,
	}
)

// A loaded is one record read for a page: its values by field, with the
// names of the records its references point at.
type loaded struct {
	Obj     *metadata.Object
	ID      rapport.ID
	Deleted bool
	Values  map[string]any
	Refs    map[string]string // reference field → referenced record's name
}

// Name is the record's name, or its ID when it has none.
func (l *loaded) Name() string {
	if l.Obj.NameField != "" {
		if v := l.Values[l.Obj.NameField]; v != nil && v != "" {
			return displayString(v)
		}
	}
	return string(l.ID)
}

func (l *loaded) cell(s *session, f *metadata.Field) cell {
	return newCell(s, f, l.Values[f.Name], l.Refs[f.Name])
}

// canReadAll reports whether the user may read every object a reference
// points at, so that the reference's name can be selected.
func canReadAll(s *session, sch *metadata.Schema, targets []string) bool {
	for _, t := range targets {
		if sch.Object(t) == nil {
			return false
		}
		if s.Policy != nil && !s.Policy.Object(t).Read {
			return false
		}
	}
	return len(targets) > 0
}

// selectList is the SOQL select list of fields and, for references, the
// referenced record's name.
func selectList(s *session, sch *metadata.Schema, fields []*metadata.Field) []string {
	out := []string{"Id"}
	seen := map[string]bool{"Id": true}
	add := func(p string) {
		if !seen[strings.ToLower(p)] {
			seen[strings.ToLower(p)] = true
			out = append(out, p)
		}
	}
	for _, f := range fields {
		if f.Storage() == metadata.StoreNone {
			continue
		}
		add(f.Name)
		if p := refPath(sch, f); p != "" && canReadAll(s, sch, f.ReferenceTo) {
			add(p)
		}
	}
	return out
}

// loadRecord reads one record with every field the user may read, deleted
// records included. A record that is not there, or that the user may not
// see, is NotFound.
func (a *App) loadRecord(ctx context.Context, s *session, sch *metadata.Schema, id string) (*loaded, error) {
	rid, err := rapport.ParseID(id)
	if err != nil {
		return nil, rapport.Errorf(rapport.NotFound, "")
	}
	obj := sch.ByPrefix(rid.Prefix())
	if obj == nil || obj.Deleted {
		return nil, rapport.Errorf(rapport.NotFound, "")
	}
	if s.Policy != nil && !s.Policy.Object(obj.Name).Read {
		return nil, rapport.Errorf(rapport.InsufficientAccess, "You don't have access to %s.", strings.ToLower(obj.PluralLabel))
	}
	var fields []*metadata.Field
	for _, f := range obj.LiveFields() {
		if readable(s, obj, f) {
			fields = append(fields, f)
		}
	}
	sel := selectList(s, sch, fields)
	if obj.Field(metadata.FieldIsDeleted) != nil {
		sel = append(sel, metadata.FieldIsDeleted)
	}
	soql := "SELECT " + strings.Join(dedupe(sel), ", ") + " FROM " + obj.Name + " WHERE Id = " + soqlString(string(rid)) + " LIMIT 1"
	res, err := a.query.Run(ctx, soql, query.Options{BatchSize: query.MinBatchSize, All: true})
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, rapport.Errorf(rapport.NotFound, "")
	}
	rec := res.Records[0]
	l := &loaded{Obj: obj, ID: rid, Values: map[string]any{}, Refs: map[string]string{}}
	for _, f := range fields {
		v, _ := rec.Get(f.Name)
		l.Values[f.Name] = v
		if p := refPath(sch, f); p != "" {
			if n, ok := pathValue(rec, p); ok && n != nil {
				l.Refs[f.Name] = displayString(n)
			}
		}
	}
	if d, ok := rec.Get(metadata.FieldIsDeleted); ok {
		l.Deleted, _ = d.(bool)
	}
	return l, nil
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0]
	for _, x := range xs {
		if k := strings.ToLower(x); !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

// access is what the user may do with one record.
type access struct {
	Edit, Delete, Create bool
}

// recordAccess says whether the user may edit and delete a record: the
// object permission, and the record's sharing for users without Modify
// All.
func (a *App) recordAccess(ctx context.Context, s *session, l *loaded) access {
	if s.Policy == nil {
		return access{Edit: true, Delete: true, Create: true}
	}
	op := s.Policy.Object(l.Obj.Name)
	acc := access{Edit: op.Edit && l.Obj.Updateable, Delete: op.Delete && l.Obj.Deletable, Create: op.Create && l.Obj.Createable}
	if !acc.Edit && !acc.Delete {
		return acc
	}
	if op.ModifyAll || s.Policy.Has(security.ModifyAllData) {
		return acc
	}
	if owner, ok := l.Values[metadata.FieldOwnerID].(rapport.ID); ok && owner == s.Principal.UserID && l.Obj.Sharing() != metadata.SharingControlledByParent {
		return acc
	}
	x, err := a.records.Explain(ctx, s.Principal.UserID, string(l.ID))
	if err != nil {
		a.log.WarnContext(ctx, "record access", "error", err)
		return access{Create: acc.Create}
	}
	acc.Edit = acc.Edit && x.Edit
	acc.Delete = acc.Delete && x.Delete
	return acc
}

// A detailItem is one entry of a record's details: a field's value, or a
// composed value (an address, who created the record and when).
type detailItem struct {
	Label string
	Value template.HTML
	Wide  bool
}

// A section is a titled group of a record's details.
type section struct {
	Title string
	Items []detailItem
}

// Filled are the section's items that have a value, shown first.
func (s section) Filled() []detailItem { return s.pick(true) }

// Blank are the items without a value, folded away: a standard object has
// dozens of fields most records leave empty.
func (s section) Blank() []detailItem { return s.pick(false) }

func (s section) pick(filled bool) []detailItem {
	var out []detailItem
	for _, it := range s.Items {
		if (it.Value != "") == filled {
			out = append(out, it)
		}
	}
	return out
}

// addressSuffixes are the parts of a compound address shown and edited, in
// order.
var addressSuffixes = []string{"Street", "City", "State", "PostalCode", "Country"}

// isAddressPart reports whether f is a part of a compound address, and
// whether it is one that forms show.
func isAddressPart(f *metadata.Field) (part, shown bool) {
	if f.Compound == "" || !strings.HasSuffix(f.Compound, "Address") {
		return false, false
	}
	for _, s := range addressSuffixes {
		if strings.HasSuffix(f.Name, s) {
			return true, true
		}
	}
	return true, false
}

// addressLabel is the label of a compound address: Billing Address.
func addressLabel(compound string) string {
	p := strings.TrimSuffix(compound, "Address")
	if p == "" {
		return "Address"
	}
	return p + " Address"
}

// details lays out a record's readable fields in sections: Information,
// Address and System Information.
func details(s *session, l *loaded) []section {
	obj := l.Obj
	info := section{Title: "Information"}
	addr := section{Title: "Address"}
	sys := section{Title: "System Information"}
	addresses := map[string][]*metadata.Field{}
	var order []string
	for _, f := range obj.LiveFields() {
		if hiddenDetails[f.Name] || !readable(s, obj, f) {
			continue
		}
		if f.Compound == "Name" && obj.Field("Name") != nil {
			continue // shown as the full name
		}
		if part, shown := isAddressPart(f); part {
			if shown {
				if _, ok := addresses[f.Compound]; !ok {
					order = append(order, f.Compound)
				}
				addresses[f.Compound] = append(addresses[f.Compound], f)
			}
			continue
		}
		switch f.Name {
		case metadata.FieldCreatedDate, metadata.FieldLastModifiedDate:
			continue
		case metadata.FieldCreatedByID, metadata.FieldLastModifiedByID:
			label := "Created By"
			date := metadata.FieldCreatedDate
			if f.Name == metadata.FieldLastModifiedByID {
				label, date = "Last Modified By", metadata.FieldLastModifiedDate
			}
			v := l.cell(s, f).HTML()
			if df := obj.Field(date); df != nil && readable(s, obj, df) && l.Values[date] != nil {
				v += template.HTML(", ") + l.cell(s, df).HTML()
			}
			sys.Items = append(sys.Items, detailItem{Label: label, Value: v})
			continue
		case metadata.FieldOwnerID:
			sys.Items = append(sys.Items, detailItem{Label: "Owner", Value: l.cell(s, f).HTML()})
			continue
		}
		c := l.cell(s, f)
		wide := f.Type == metadata.TypeLongTextArea || f.Type == metadata.TypeHTML
		it := detailItem{Label: fieldLabel(f), Value: c.HTML(), Wide: wide}
		if f.NameField || f.Name == obj.NameField {
			// The name leads the details, wherever the object declares it.
			info.Items = append([]detailItem{it}, info.Items...)
			continue
		}
		info.Items = append(info.Items, it)
	}
	for _, comp := range order {
		addr.Items = append(addr.Items, detailItem{Label: addressLabel(comp), Value: formatAddress(l, addresses[comp])})
	}
	var out []section
	for _, sec := range []section{info, addr, sys} {
		if len(sec.Items) > 0 {
			out = append(out, sec)
		}
	}
	return out
}

// formatAddress shows an address on lines: street, city state postal
// code, country.
func formatAddress(l *loaded, parts []*metadata.Field) template.HTML {
	get := func(suffix string) string {
		for _, f := range parts {
			if strings.HasSuffix(f.Name, suffix) {
				if v := l.Values[f.Name]; v != nil {
					return strings.TrimSpace(displayString(v))
				}
			}
		}
		return ""
	}
	var lines []string
	if st := get("Street"); st != "" {
		lines = append(lines, strings.Split(st, "\n")...)
	}
	cityLine := strings.TrimSpace(strings.Join(nonEmpty(get("City"), strings.TrimSpace(get("State")+" "+get("PostalCode"))), ", "))
	if cityLine != "" {
		lines = append(lines, cityLine)
	}
	if c := get("Country"); c != "" {
		lines = append(lines, c)
	}
	for i, ln := range lines {
		lines[i] = template.HTMLEscapeString(ln)
	}
	return template.HTML(strings.Join(lines, "<br>"))
}

func nonEmpty(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			out = append(out, x)
		}
	}
	return out
}

// headerFields are the key fields of a record page's header.
func headerFields(s *session, l *loaded) []detailItem {
	obj := l.Obj
	names := keyFields[obj.Name]
	if names == nil {
		for _, f := range obj.LiveFields() {
			if f.System || f.NameField || f.ReadOnly || f.Compound != "" || f.Name == metadata.FieldOwnerID {
				continue
			}
			names = append(names, f.Name)
			if len(names) == 4 {
				break
			}
		}
	}
	var out []detailItem
	for _, n := range names {
		f := obj.Field(n)
		if f == nil || !readable(s, obj, f) {
			continue
		}
		out = append(out, detailItem{Label: fieldLabel(f), Value: l.cell(s, f).HTML()})
	}
	return out
}

// A relatedList is a record's children of one relationship.
type relatedList struct {
	Name    string // relationship name: Contacts
	Title   string
	Child   *metadata.Object
	Field   *metadata.Field
	Columns []*metadata.Field
	Rows    []row
	Count   int
	// CountMore says there are more than Count.
	CountMore bool
	// More says there are more rows than shown.
	More   bool
	NewURL string
	AllURL string
	Err    string
}

// relationships are the child relationships a record page lists: named,
// of business objects the user may read, activities left to the timeline.
func relationships(s *session, sch *metadata.Schema, obj *metadata.Object) []metadata.ChildRelationship {
	var out []metadata.ChildRelationship
	seen := map[string]bool{}
	for _, cr := range sch.ChildRelationships(obj) {
		if cr.Name == "" || seen[cr.Name] || cr.Child.Deleted || cr.Field.Deleted || activityObjects[cr.Child.Name] || setupObjects[cr.Child.Name] {
			continue
		}
		if s.Policy != nil && (!s.Policy.Object(cr.Child.Name).Read || !s.Policy.Field(cr.Child, cr.Field).Read) {
			continue
		}
		seen[cr.Name] = true
		out = append(out, cr)
	}
	return out
}

// relatedColumns are the columns of a related list: the child's name and
// its key fields, without the reference to the parent.
func relatedColumns(s *session, cr metadata.ChildRelationship, n int) []*metadata.Field {
	child := cr.Child
	var cols []*metadata.Field
	add := func(f *metadata.Field) {
		if f == nil || f == cr.Field || !readable(s, child, f) || len(cols) >= n {
			return
		}
		for _, c := range cols {
			if c == f {
				return
			}
		}
		cols = append(cols, f)
	}
	if child.NameField != "" {
		add(child.Field(child.NameField))
	}
	for _, name := range keyFields[child.Name] {
		add(child.Field(name))
	}
	for _, f := range child.LiveFields() {
		if f.System || f.Compound != "" || f.ReadOnly || f.Type == metadata.TypeLongTextArea || f.Type == metadata.TypeHTML || f.Name == metadata.FieldOwnerID {
			continue
		}
		add(f)
	}
	return cols
}

// relatedCountCap bounds the rows a related list counts.
const relatedCountCap = 2000

// related reads the first rows of one relationship of a record: limit rows
// and whether there are more, with a count only when there are.
func (a *App) related(ctx context.Context, s *session, sch *metadata.Schema, l *loaded, cr metadata.ChildRelationship, limit, ncols int) relatedList {
	rl := relatedList{Name: cr.Name, Title: cr.Child.PluralLabel, Child: cr.Child, Field: cr.Field,
		AllURL: "/r/" + string(l.ID) + "/related/" + url.PathEscape(cr.Name)}
	switch {
	case cr.Child == l.Obj:
		// A hierarchy: an account's child accounts, a case's child cases.
		rl.Title = "Child " + cr.Child.PluralLabel
	case cr.Name != cr.Child.Name+"s" && cr.Name != strings.ReplaceAll(cr.Child.PluralLabel, " ", ""):
		rl.Title = cr.Child.PluralLabel + " (" + fieldLabel(cr.Field) + ")"
	}
	rl.Columns = relatedColumns(s, cr, ncols)
	if !l.Deleted && (s.Policy == nil || s.Policy.Object(cr.Child.Name).Create) && cr.Child.Createable && editable(s, cr.Child, cr.Field, true) {
		rl.NewURL = "/o/" + url.PathEscape(cr.Child.Name) + "/new?" + url.Values{cr.Field.Name: {string(l.ID)}}.Encode()
	}
	order := ""
	if cr.Child.Field(metadata.FieldCreatedDate) != nil {
		order = " ORDER BY CreatedDate DESC, Id DESC"
	}
	where := " FROM " + cr.Child.Name + " WHERE " + cr.Field.Name + " = " + soqlString(string(l.ID))
	soql := "SELECT " + strings.Join(selectList(s, sch, rl.Columns), ", ") + where + order + " LIMIT " + itoa(limit+1)
	res, err := a.query.Run(ctx, soql, query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		a.log.WarnContext(ctx, "related list", "relationship", cr.Name, "error", err)
		rl.Err = "Could not load this list."
		return rl
	}
	recs := res.Records
	rl.Count = len(recs)
	if len(recs) > limit {
		recs = recs[:limit]
		rl.More = true
		// Counting 170,000 conference attendees on every page view costs
		// more than the rest of the page: up to relatedCountCap it is
		// exact, beyond that it says so.
		if c, err := a.query.Run(ctx, "SELECT Id"+where+" LIMIT "+itoa(relatedCountCap+1), query.Options{BatchSize: relatedCountCap + 1}); err == nil {
			rl.Count = min(len(c.Records), relatedCountCap)
			rl.CountMore = len(c.Records) > relatedCountCap
		}
	}
	rl.Rows = rowsOf(sch, s, cr.Child, rl.Columns, recs)
	return rl
}

// recordData is what a record page shows.
type recordData struct {
	Rec      *loaded
	Name     string
	Key      []detailItem
	Sections []section
	Related  []relatedList
	Timeline *timeline
	History  []historyItem
	// Tracked says the object keeps field history.
	Tracked bool
	Can     access
	// Convert offers lead conversion; Converted links to what a converted
	// lead became.
	Convert   bool
	Converted []detailItem
}

func (a *App) recordPage(w http.ResponseWriter, r *http.Request, s *session) {
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
	d := recordData{Rec: l, Name: l.Name(), Key: headerFields(s, l), Sections: details(s, l)}
	d.Can = a.recordAccess(ctx, s, l)
	if l.Deleted {
		d.Can.Edit = false
	}
	if l.Obj.Name == "Lead" {
		conv, _ := l.Values["IsConverted"].(bool)
		d.Convert = !conv && !l.Deleted && d.Can.Edit && a.canConvert(s, sch)
		if conv {
			for _, n := range []string{"ConvertedAccountId", "ConvertedContactId", "ConvertedOpportunityId"} {
				if f := l.Obj.Field(n); f != nil && l.Values[n] != nil && readable(s, l.Obj, f) {
					d.Converted = append(d.Converted, detailItem{Label: strings.TrimPrefix(fieldLabel(f), "Converted "), Value: l.cell(s, f).HTML()})
				}
			}
		}
	}
	for _, cr := range relationships(s, sch, l.Obj) {
		d.Related = append(d.Related, a.related(ctx, s, sch, l, cr, 5, 4))
	}
	d.Timeline = a.timeline(ctx, s, sch, l, d.Can.Edit)
	d.Tracked, d.History = a.history(ctx, s, sch, l)
	a.render(w, r, s, http.StatusOK, "record", l.Obj.Label+": "+d.Name, d)
	if !l.Deleted {
		a.viewed(s, l.Obj, l.ID, d.Name)
	}
}

// relatedData is the page of all of one related list.
type relatedData struct {
	Rec  *loaded
	Name string
	List relatedList
}

func (a *App) relatedPage(w http.ResponseWriter, r *http.Request, s *session) {
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
	for _, cr := range relationships(s, sch, l.Obj) {
		if cr.Name == r.PathValue("rel") {
			d := relatedData{Rec: l, Name: l.Name(), List: a.related(ctx, s, sch, l, cr, 200, 7)}
			a.render(w, r, s, http.StatusOK, "record_related", d.List.Title+" · "+d.Name, d)
			return
		}
	}
	a.renderError(w, r, s, http.StatusNotFound, "This record has no related list of that name.")
}

// deleteRecord moves a record to the recycle bin and goes to its
// object's list.
func (a *App) deleteRecord(w http.ResponseWriter, r *http.Request, s *session) {
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
	if err := firstErr(a.records.Delete(ctx, []string{string(l.ID)}, recordOptions())); err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.redirect(w, r, "/o/"+url.PathEscape(l.Obj.Name), l.Obj.Label+" \u201c"+l.Name()+"\u201d was moved to the recycle bin.")
}

// restoreRecord takes a record out of the recycle bin.
func (a *App) restoreRecord(w http.ResponseWriter, r *http.Request, s *session) {
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
	if err := firstErr(a.records.Undelete(ctx, []string{string(l.ID)}, recordOptions())); err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.redirect(w, r, "/r/"+string(l.ID), l.Obj.Label+" \u201c"+l.Name()+"\u201d was restored.")
}

// redirect sends the browser to target with a one-time message, also when
// htmx made the request.
func (a *App) redirect(w http.ResponseWriter, r *http.Request, target, flash string) {
	if flash != "" {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "flash=" + url.QueryEscape(flash)
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// firstErr is the error of a one-record write: the call's, else the
// record's.
func firstErr(res []record.Result, err error) error {
	_, err = oneResult(res, err)
	return err
}

// oneResult is the ID and error of a one-record write.
func oneResult(res []record.Result, err error) (rapport.ID, error) {
	if err != nil {
		return "", err
	}
	if len(res) != 1 {
		return "", errors.New("web: a one-record write returned no result")
	}
	return res[0].ID, res[0].Err
}

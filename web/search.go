package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/sosl"
)

// searchObjects are searched by the global search box, in this order;
// custom objects follow.
var searchObjects = []string{"Account", "Contact", "Lead", "Opportunity", "Case", "Campaign", "Contract"}

// searchColumns are the fields shown for each object's results.
var searchColumns = map[string][]string{
	"Account":     {"Name", "Phone", "BillingCity", "Industry"},
	"Contact":     {"Name", "AccountId", "Title", "Email", "Phone"},
	"Lead":        {"Name", "Company", "Email", "Status"},
	"Opportunity": {"Name", "AccountId", "StageName", "Amount", "CloseDate"},
	"Case":        {"CaseNumber", "Subject", "Status", "Priority"},
	"Campaign":    {"Name", "Type", "Status", "StartDate"},
	"Contract":    {"ContractNumber", "AccountId", "Status", "StartDate"},
}

type searchData struct {
	Query  string
	Groups []panel
	Error  string
}

// globalSearch searches every object the user can read and groups the
// results by object.
func (a *App) globalSearch(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := searchData{Query: q}
	if q == "" || a.search == nil {
		if a.search == nil {
			d.Error = "Search is not available on this server."
		}
		a.render(w, r, s, http.StatusOK, "search", "Search", d)
		return
	}
	if len([]rune(strings.Trim(q, "*? "))) < 2 {
		d.Error = "Type at least two letters or digits to search."
		a.render(w, r, s, http.StatusOK, "search", "Search", d)
		return
	}
	sch, err := a.records.Schema(ctx, s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	var objs []*metadata.Object
	for _, name := range searchObjects {
		if o := sch.Object(name); o != nil {
			objs = append(objs, o)
		}
	}
	for _, o := range sch.Objects() {
		if o.Custom && o.Searchable {
			objs = append(objs, o)
		}
	}
	ps := &sosl.Parameterized{Q: q, In: "ALL", DefaultLimit: 25}
	columns := map[string][]*metadata.Field{}
	for _, o := range objs {
		if s.Policy != nil && !s.Policy.Object(o.Name).Read {
			continue
		}
		names := searchColumns[o.Name]
		if names == nil {
			names = []string{o.NameField}
		}
		var fields []string
		for _, n := range names {
			f := o.Field(n)
			if f == nil || !readable(s, o, f) {
				continue
			}
			columns[o.Name] = append(columns[o.Name], f)
			fields = append(fields, f.Name)
			if p := refPath(sch, f); p != "" {
				fields = append(fields, p)
			}
		}
		if len(fields) == 0 {
			continue
		}
		ps.SObjects = append(ps.SObjects, sosl.ParamObject{Name: o.Name, Fields: fields, Limit: 25})
	}
	recs, err := a.search.Parameterized(ctx, ps)
	if err != nil {
		if rapport.ErrorCode(err) == rapport.Internal || rapport.ErrorCode(err) == "" {
			a.serverError(w, r, err)
			return
		}
		d.Error = message(err)
		a.render(w, r, s, http.StatusOK, "search", "Search", d)
		return
	}
	byType := map[string][]*query.Record{}
	for _, rec := range recs {
		byType[rec.Type] = append(byType[rec.Type], rec)
	}
	for _, po := range ps.SObjects {
		o := sch.Object(po.Name)
		got := byType[o.Name]
		if len(got) == 0 {
			continue
		}
		d.Groups = append(d.Groups, panel{
			Title: o.PluralLabel, Object: o, Columns: columns[o.Name],
			Rows: rowsOf(sch, s, o, columns[o.Name], got),
		})
	}
	a.render(w, r, s, http.StatusOK, "search", "Search results", d)
}

// lookup answers a type-ahead of a lookup field: the records of an object
// whose name contains what was typed, as options of a listbox.
func (a *App) lookup(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	sch, err := a.records.Schema(ctx, s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	obj := sch.Object(r.PathValue("object"))
	if obj == nil || obj.NameField == "" || (s.Policy != nil && !s.Policy.Object(obj.Name).Read) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<li class="none" role="option" aria-disabled="true">No results</li>`))
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("_q"))
	soql := "SELECT Id, " + obj.NameField + " FROM " + obj.Name
	if q != "" {
		soql += " WHERE " + obj.NameField + " LIKE " + soqlLike("%", q, "%")
		soql += " ORDER BY " + obj.NameField + ", Id LIMIT 10"
	} else if obj.Field(metadata.FieldLastModifiedDate) != nil {
		soql += " ORDER BY LastModifiedDate DESC, Id LIMIT 10"
	} else {
		soql += " ORDER BY " + obj.NameField + ", Id LIMIT 10"
	}
	res, err := a.query.Run(ctx, soql, query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	var b strings.Builder
	for _, rec := range res.Records {
		name, _ := rec.Get(obj.NameField)
		n := template.HTMLEscapeString(displayString(name))
		b.WriteString(`<li role="option" tabindex="-1" data-id="` + string(rec.ID) + `" data-name="` + n + `">` + n + `</li>`)
	}
	if len(res.Records) == 0 {
		b.WriteString(`<li class="none" role="option" aria-disabled="true">No ` + template.HTMLEscapeString(strings.ToLower(obj.PluralLabel)) + ` match</li>`)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(b.String()))
}

package restapi_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/search"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/storetest"
)

// searchHarness is a harness with the query and search services wired in,
// as cmd wires them.
func searchHarness(t *testing.T, db *sqlstore.DB) *harness {
	t.Helper()
	env := storetest.NewEnv(t, db)
	access := record.Access{S: env.Records}
	q := query.NewService(db, db.Backend().(query.Dialect), env.Records, query.Config{Access: access})
	s := search.NewService(db, q, env.Records, search.Config{Access: access})
	a := auth.New(db, env.Records.IDs(), auth.Options{}, nil, nil)
	srv := httptest.NewServer(server.NewServer(server.Deps{Records: env.Records, Tenants: env.Tenants, Auth: a, Query: q, Search: s}))
	t.Cleanup(srv.Close)
	h := &harness{t: t, env: env, srv: srv, auth: a}
	h.token = h.login()
	return h
}

// searchPath is the URL of GET /search for a SOSL statement.
func searchPath(sosl string) string { return v + "/search?q=" + url.QueryEscape(sosl) }

func TestSearch(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			h := searchHarness(t, b.open(t))
			acme := h.create("Account", `{"Name":"Acme Rockets","Industry":"Energy"}`)
			h.create("Account", `{"Name":"Globex","Description":"Acme's rival"}`)
			jane := h.create("Contact", `{"FirstName":"Jane","LastName":"Smith","Email":"jane@acme.example"}`)

			res := h.do("GET", searchPath("FIND {Acme} RETURNING Account(Id, Name, Industry ORDER BY Name), Contact(Name, Email)"), "")
			want(t, "status", res.status, 200)
			want(t, "Content-Type", res.header.Get("Content-Type"), "application/json;charset=UTF-8")
			wantBody := `{"searchRecords":[` +
				`{"attributes":{"type":"Account","url":"/services/data/v64.0/sobjects/Account/` + acme + `"},"Id":"` + acme + `","Name":"Acme Rockets","Industry":"Energy"},` +
				`{"attributes":{"type":"Account","url":"/services/data/v64.0/sobjects/Account/` + h.find("Globex") + `"},"Id":"` + h.find("Globex") + `","Name":"Globex","Industry":null},` +
				`{"attributes":{"type":"Contact","url":"/services/data/v64.0/sobjects/Contact/` + jane + `"},"Name":"Jane Smith","Email":"jane@acme.example"}]}` + "\n"
			want(t, "body", string(res.body), wantBody)

			// Spaces as + (simpleforce) and as %20 (jsforce), and a
			// trailing slash.
			for _, path := range []string{
				v + "/search?q=FIND+%7BJane+Smith%7D+IN+NAME+FIELDS+RETURNING+Contact",
				v + "/search/?q=FIND%20%7BJane%20Smith%7D%20IN%20NAME%20FIELDS%20RETURNING%20Contact",
			} {
				res := h.do("GET", path, "")
				recs := res.obj()["searchRecords"].([]any)
				if res.status != 200 || len(recs) != 1 || recs[0].(map[string]any)["Id"] != jane {
					t.Errorf("GET %s = %d %s", path, res.status, res.body)
				}
			}

			// The index follows writes through the API.
			if res := h.do("PATCH", v+"/sobjects/Contact/"+jane, `{"LastName":"Doe"}`); res.status != 204 {
				t.Fatalf("update: %d %s", res.status, res.body)
			}
			if n := h.count("FIND {Smith} RETURNING Contact"); n != 0 {
				t.Errorf("FIND {Smith} after the rename = %d records", n)
			}
			if n := h.count("FIND {Doe} RETURNING Contact"); n != 1 {
				t.Errorf("FIND {Doe} after the rename = %d records", n)
			}
			if res := h.do("DELETE", v+"/sobjects/Contact/"+jane, ""); res.status != 204 {
				t.Fatalf("delete: %d %s", res.status, res.body)
			}
			if n := h.count("FIND {Doe}"); n != 0 {
				t.Errorf("FIND {Doe} after the delete = %d records", n)
			}
			if n := h.count("FIND {Nothing}"); n != 0 {
				t.Errorf("FIND {Nothing} = %d records", n)
			}
		})
	}
}

// find returns the Id of the one account named name.
func (h *harness) find(name string) string {
	h.t.Helper()
	res := h.do("GET", v+"/query?q="+url.QueryEscape("SELECT Id FROM Account WHERE Name = '"+name+"'"), "")
	recs := res.obj()["records"].([]any)
	if len(recs) != 1 {
		h.t.Fatalf("account %s: %s", name, res.body)
	}
	return recs[0].(map[string]any)["Id"].(string)
}

// count runs a search and returns how many records it found.
func (h *harness) count(sosl string) int {
	h.t.Helper()
	res := h.do("GET", searchPath(sosl), "")
	if res.status != 200 {
		h.t.Fatalf("search %s: %d %s", sosl, res.status, res.body)
	}
	return len(res.obj()["searchRecords"].([]any))
}

func TestSearchErrors(t *testing.T) {
	h := searchHarness(t, openSQLite(t))
	h.create("Account", `{"Name":"Acme"}`)
	tests := []struct {
		name string
		path string
		code string
		msg  string
	}{
		{"no q", v + "/search", "MALFORMED_SEARCH", "braces"},
		{"syntax", searchPath("FIND {Acme} RETURNING Account(Id WHERE)"), "MALFORMED_SEARCH", "\nFIND {Acme} RETURNING Account(Id WHERE)\n                                      ^\nERROR at Row:1:Column:39\nunexpected token: )"},
		{"no braces", searchPath("FIND Acme"), "MALFORMED_SEARCH", "unexpected token: Acme"},
		{"one character", searchPath("FIND {a}"), "INVALID_SEARCH", "search term must be longer than one character"},
		{"unknown object", searchPath("FIND {Acme} RETURNING Nope__c"), "INVALID_TYPE", "sObject type 'Nope__c' is not supported"},
		{"unknown field", searchPath("FIND {Acme} RETURNING Account(Nope)"), "INVALID_FIELD", "No such column 'Nope' on entity 'Account'"},
		{"offset too large", searchPath("FIND {Acme} RETURNING Account(Id LIMIT 1 OFFSET 2001)"), "NUMBER_OUTSIDE_VALID_RANGE", "2000"},
		{"parameterized without q", v + "/parameterizedSearch?sobject=Account", "MALFORMED_SEARCH", "q"},
		{"parameterized bad limit", v + "/parameterizedSearch?q=Acme&sobject=Account&Account.limit=x", "MALFORMED_SEARCH", "Account.limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := h.do("GET", tc.path, "")
			want(t, "status", res.status, 400)
			want(t, "errorCode", res.errorCode(), tc.code)
			if msg := res.list()[0].(map[string]any)["message"].(string); !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q, want it to hold %q", msg, tc.msg)
			}
		})
	}
	res := h.do("POST", v+"/parameterizedSearch", `{"q":`)
	want(t, "bad JSON status", res.status, 400)
	want(t, "bad JSON errorCode", res.errorCode(), "JSON_PARSER_ERROR")

	// Without a search service the endpoints are not served.
	plain := sqliteHarness(t)
	want(t, "status without search", plain.do("GET", searchPath("FIND {Acme}"), "").status, 404)
}

func TestParameterizedSearch(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			h := searchHarness(t, b.open(t))
			h.create("Account", `{"Name":"Acme Rockets","Industry":"Energy"}`)
			h.create("Account", `{"Name":"Acme Widgets","Industry":"Manufacturing"}`)
			h.create("Contact", `{"LastName":"Smith","Email":"smith@acme.example"}`)

			names := func(res response) []string {
				t.Helper()
				if res.status != 200 {
					t.Fatalf("%d %s", res.status, res.body)
				}
				var out []string
				for _, r := range res.obj()["searchRecords"].([]any) {
					m := r.(map[string]any)
					s, _ := m["Name"].(string)
					out = append(out, m["attributes"].(map[string]any)["type"].(string)+":"+s)
				}
				return out
			}
			got := names(h.do("GET", v+"/parameterizedSearch/?q=Acme&sobject=Account&Account.fields=Id,Name&Account.where="+url.QueryEscape("Industry = 'Energy'"), ""))
			want(t, "GET", strings.Join(got, ","), "Account:Acme Rockets")

			got = names(h.do("POST", v+"/parameterizedSearch", `{"q":"Acme","fields":["Id","Name"],"sobjects":[{"name":"Account","orderBy":"Name DESC","limit":"5"},{"name":"Contact"}],"in":"ALL","overallLimit":3}`))
			want(t, "POST", strings.Join(got, ","), "Account:Acme Widgets,Account:Acme Rockets,Contact:Smith")

			got = names(h.do("POST", v+"/parameterizedSearch", `{"q":"acme","sobjects":[{"name":"Contact","fields":["Name"]}],"in":"EMAIL"}`))
			want(t, "POST in EMAIL", strings.Join(got, ","), "Contact:Smith")
		})
	}
}

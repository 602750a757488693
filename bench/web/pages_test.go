// Package web measures the server time of the web app's pages over the
// demo org: the figure is p50 under 50 ms on SQLite for a list
// view and a record page with 170,000 Dreamforce attendees.
//
//	go test -run '^$' -bench . -benchtime 200x -count 5 -timeout 30m ./bench/web/
//
// RAPPORT_BENCH_ATTENDEES sets the attendees (default 170000);
// RAPPORT_BENCH_DATA names a data directory to keep the loaded org in and
// reuse across runs (the first run loads it); RAPPORT_BENCH_DATABASE, a
// PostgreSQL URL, measures on PostgreSQL instead (the database keeps the
// org likewise). Each page is served by the
// real handler in process, signed in as the demo administrator, and timed
// per request; p50 and p90 are reported as metrics. In the same run, a bare
// net/http handler that reads the same 50 contacts with one hand-written
// SQL statement and writes them as an HTML table is the baseline.
package web

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/demo"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/restapi"
	"github.com/rapportcrm/rapport/search"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

// backend is what both store backends are.
type backend interface {
	sqlstore.Backend
	query.Dialect
}

type env struct {
	db      *sqlstore.DB
	backend backend
	records *record.Service
	queries *query.Service
	handler http.Handler
	serve   func(restapi.Querier) http.Handler
	cookie  *http.Cookie
	org     rapport.ID
	admin   rapport.ID
	ids     map[string]rapport.ID // story records by name
}

var (
	once   sync.Once
	shared *env
	envErr error
)

// setup opens (and on first use loads) the demo store, once per process.
func setup(b *testing.B) *env {
	b.Helper()
	once.Do(func() { shared, envErr = load() })
	if envErr != nil {
		b.Fatal(envErr)
	}
	return shared
}

func load() (*env, error) {
	ctx := context.Background()
	attendees := 170000
	if s := os.Getenv("RAPPORT_BENCH_ATTENDEES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("RAPPORT_BENCH_ATTENDEES must be a positive number: %q", s)
		}
		attendees = n
	}
	var bk backend
	if url := os.Getenv("RAPPORT_BENCH_DATABASE"); url != "" {
		bk = postgres.New(url)
	} else {
		dir := os.Getenv("RAPPORT_BENCH_DATA")
		if dir == "" {
			var err error
			if dir, err = os.MkdirTemp("", "rapport-bench-web-"); err != nil {
				return nil, err
			}
		}
		lite, err := sqlite.New(dir)
		if err != nil {
			return nil, err
		}
		bk = lite
	}
	db, err := sqlstore.Open(ctx, bk, nil)
	if err != nil {
		return nil, err
	}
	recs := record.NewService(db, record.Options{})
	tenants := tenant.NewService(db, recs, nil, nil)
	if _, err := tenants.Migrate(ctx); err != nil {
		return nil, err
	}
	access := record.Access{S: recs}
	queries := query.NewService(db, bk, recs, query.Config{Access: access})
	searches := search.NewService(db, queries, recs, search.Config{Access: access})
	e := &env{db: db, backend: bk, records: recs, queries: queries, ids: map[string]rapport.ID{}}

	const username, password = "bench@rapport.example", "bench password 1"
	id, err := db.Identity(ctx, username)
	switch {
	case err == nil:
		e.org, e.admin = id.OrgID, id.UserID
	case rapport.ErrorCode(err) == rapport.NotFound:
		start := time.Now()
		res, err := demo.Load(ctx, tenants, recs, demo.Options{Username: username, Password: password, Attendees: attendees, Seed: 2018})
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "loaded the demo org with %d attendees in %s\n", attendees, time.Since(start).Round(time.Second))
		e.org, e.admin = res.Org.OrgID, res.Org.UserID
	default:
		return nil, err
	}
	if err := db.Analyze(ctx, e.org); err != nil {
		return nil, err
	}

	a := auth.New(db, recs.IDs(), auth.Options{}, nil, nil)
	e.serve = func(q restapi.Querier) http.Handler {
		return server.NewServer(server.Deps{Records: recs, Tenants: tenants, Auth: a, Query: q, Search: searches})
	}
	e.handler = e.serve(queries)
	form := url.Values{"username": {username}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "rapport_sid" {
			e.cookie = c
		}
	}
	if e.cookie == nil {
		return nil, fmt.Errorf("sign in: %d %s", rec.Code, rec.Body.String())
	}

	sys := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: e.org, UserID: e.admin})
	for name, soql := range map[string]string{
		"dreamforce": "SELECT Id FROM Campaign WHERE Name = '" + demo.DreamforceCampaign + "'",
		"salesforce": "SELECT Id FROM Account WHERE Name = 'Salesforce'",
		"benioff":    "SELECT Id FROM Contact WHERE LastName = 'Benioff'",
		"cbp":        "SELECT Id FROM Opportunity WHERE Name = '" + demo.CBPOpportunity + "'",
	} {
		res, err := queries.Run(sys, soql, query.Options{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", soql, err)
		}
		if len(res.Records) == 0 {
			return nil, fmt.Errorf("%s: no record", soql)
		}
		e.ids[name] = res.Records[0].ID
	}
	return e, nil
}

// get serves one GET as the demo administrator and returns its status.
func (e *env) get(path string) (int, int) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(e.cookie)
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Len()
}

// withQuerier returns a GET like e.get on a server whose SOQL goes
// through q.
func (e *env) withQuerier(q restapi.Querier) func(path string) int {
	h := e.serve(q)
	return func(path string) int {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(e.cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
}

// timed runs fn b.N times and reports the median and 90th percentile.
func timed(b *testing.B, fn func()) {
	b.Helper()
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		fn()
		d = append(d, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(d)
	ms := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.9), "p90-ms")
}

func BenchmarkPages(b *testing.B) {
	e := setup(b)
	pages := []struct{ name, path string }{
		{"list/contacts-all-by-name", "/o/Contact"},
		{"list/campaign-members", "/o/CampaignMember"},
		{"list/contacts-search", "/o/Contact?q=" + url.QueryEscape("smith")},
		{"record/dreamforce-campaign", "/r/" + string(e.ids["dreamforce"])},
		{"record/salesforce-account", "/r/" + string(e.ids["salesforce"])},
		{"record/benioff-contact", "/r/" + string(e.ids["benioff"])},
		{"record/cbp-opportunity", "/r/" + string(e.ids["cbp"])},
		{"home", "/home"},
		{"pipeline", "/o/Opportunity/pipeline"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			if code, _ := e.get(p.path); code != http.StatusOK {
				b.Fatalf("GET %s: %d", p.path, code)
			}
			timed(b, func() { e.get(p.path) })
		})
	}
	b.Run("baseline/bare-contacts-page", func(b *testing.B) {
		h := e.bare(b)
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		timed(b, func() { h.ServeHTTP(httptest.NewRecorder(), req) })
	})
}

var bareTable = template.Must(template.New("").Parse(`<!doctype html><title>Contacts</title><table>
{{range .}}<tr><td><a href="/r/{{.ID}}">{{.Name}}</a></td><td>{{.Account}}</td><td>{{.Title}}</td><td>{{.Email}}</td><td>{{.Phone}}</td><td>{{.Owner}}</td></tr>
{{end}}</table>`))

// bare is the baseline: the first 50 contacts by name with their account's
// and owner's names, read with one hand-written statement and written as a
// table.
func (e *env) bare(b *testing.B) http.Handler {
	ctx := context.Background()
	sch, err := e.records.Schema(rapport.WithPrincipal(ctx, rapport.Principal{OrgID: e.org, UserID: e.admin, System: true}), e.org)
	if err != nil {
		b.Fatal(err)
	}
	conn, prefix, err := e.db.QueryConn(ctx, e.org)
	if err != nil {
		b.Fatal(err)
	}
	contact, account, user := sch.Object("Contact"), sch.Object("Account"), sch.Object("User")
	col := func(o string, f string) string {
		return `"` + sch.Object(o).Field(f).Column + `"`
	}
	q := "SELECT c." + col("Contact", "Id") + ", c." + col("Contact", "Name") + ", a." + col("Account", "Name") +
		", c." + col("Contact", "Title") + ", c." + col("Contact", "Email") + ", c." + col("Contact", "Phone") + ", u." + col("User", "Name") +
		" FROM " + e.backend.Table(prefix, contact.Table) + " c" +
		" LEFT JOIN " + e.backend.Table(prefix, account.Table) + " a ON a." + col("Account", "Id") + " = c." + col("Contact", "AccountId") +
		" LEFT JOIN " + e.backend.Table(prefix, user.Table) + " u ON u." + col("User", "Id") + " = c." + col("Contact", "OwnerId") +
		" WHERE NOT c." + col("Contact", "IsDeleted") +
		" ORDER BY lower(c." + col("Contact", "Name") + ") NULLS FIRST, c." + col("Contact", "Id") + " LIMIT 50"
	st, err := conn.PrepareContext(ctx, q)
	if err != nil {
		b.Fatalf("prepare %s: %v", q, err)
	}
	b.Cleanup(func() { st.Close() })
	type row struct{ ID, Name, Account, Title, Email, Phone, Owner sql.NullString }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows, err := st.QueryContext(r.Context())
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer rows.Close()
		var out []row
		for rows.Next() {
			var x row
			if err := rows.Scan(&x.ID, &x.Name, &x.Account, &x.Title, &x.Email, &x.Phone, &x.Owner); err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			out = append(out, x)
		}
		if len(out) != 50 {
			http.Error(w, "short page", 500)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		bareTable.Execute(w, out)
	})
}

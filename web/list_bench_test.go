package web_test

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

// BenchmarkListView measures the list view of a large object: GET
// /o/Account (All, sorted by Name) and a page in the middle of the keyset
// pages, against the same queries run as raw SQL on the same database in
// the same run (the ratio is the "x-of-sql" metric).
//
//	go test -run '^$' -bench BenchmarkListView -benchtime 200x ./web
//	RAPPORT_BENCH_LIST_ACCOUNTS=170000 go test -run '^$' -bench BenchmarkListView -benchtime 200x -timeout 30m ./web
//
// RAPPORT_BENCH_LIST_ACCOUNTS sets the accounts (default 20,000, to be
// quick); PostgreSQL runs too when RAPPORT_TEST_POSTGRES is set.
func BenchmarkListView(b *testing.B) {
	n := 20000
	if v := os.Getenv("RAPPORT_BENCH_LIST_ACCOUNTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 200 {
			b.Fatalf("RAPPORT_BENCH_LIST_ACCOUNTS=%q: want a number of at least 200", v)
		}
	}
	type bk struct {
		name string
		open func(b *testing.B) sqlstore.Backend
	}
	bks := []bk{{"sqlite", func(b *testing.B) sqlstore.Backend {
		s, err := sqlite.New(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		return s
	}}}
	if os.Getenv(pgtest.TestEnv) != "" {
		bks = append(bks, bk{"postgres", func(b *testing.B) sqlstore.Backend { return postgres.New(pgtest.Database(b)) }})
	}
	for _, k := range bks {
		b.Run(k.name, func(b *testing.B) { benchList(b, k.open(b), n) })
	}
}

// listBench is a served org with n accounts and a signed-in administrator.
type listBench struct {
	h       http.Handler
	cookie  *http.Cookie
	queries *query.Service
	conn    *sql.DB
	ctx     context.Context // the administrator
}

func benchList(b *testing.B, bk sqlstore.Backend, n int) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, bk, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	recs := record.NewService(db, record.Options{})
	tenants := tenant.NewService(db, recs, nil, nil)
	queries := query.NewService(db, bk.(query.Dialect), recs, query.Config{Access: record.Access{S: recs}})
	org, err := tenants.CreateOrg(ctx, tenant.OrgParams{Name: "Bench lists", Username: fmt.Sprintf("admin.%d@lists.bench.example", time.Now().UnixNano()), Password: password})
	if err != nil {
		b.Fatal(err)
	}
	e := &listBench{queries: queries, ctx: rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org.OrgID, UserID: org.UserID})}
	a := auth.New(db, recs.IDs(), auth.Options{}, nil, nil)
	e.h = server.NewServer(server.Deps{Records: recs, Tenants: tenants, Auth: a, Query: queries})

	// Names are a permutation of 0..n-1, so that name order is not
	// creation (Id) order, and the k-th account by name is "Account k".
	start := time.Now()
	industries := []string{"Energy", "Banking", "Retail", "Technology", "Education"}
	for lo := 0; lo < n; lo += 1000 {
		batch := make([]map[string]any, 0, 1000)
		for i := lo; i < min(lo+1000, n); i++ {
			k := int((int64(i)*7919 + 13) % int64(n))
			batch = append(batch, map[string]any{"Name": fmt.Sprintf("Account %07d", k), "BillingCity": "City " + strconv.Itoa(k%97),
				"Phone": "+1 555 " + strconv.Itoa(1000000+k), "Industry": industries[k%len(industries)]})
		}
		if _, err := recs.Create(e.ctx, "Account", batch, record.WriteOptions{AllOrNone: true}); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Analyze(ctx, org.OrgID); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: loaded %d accounts in %s", bk.Name(), n, time.Since(start).Round(time.Millisecond))
	if e.conn, _, err = db.QueryConn(ctx, org.OrgID); err != nil {
		b.Fatal(err)
	}

	form := url.Values{"username": {org.Username}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "rapport_sid" {
			e.cookie = c
		}
	}
	if e.cookie == nil {
		b.Fatalf("sign in: %d", rec.Code)
	}

	// The deep page starts after the middle account by name.
	mid := fmt.Sprintf("Account %07d", n/2)
	res, err := queries.Run(e.ctx, "SELECT Id FROM Account WHERE Name = '"+mid+"'", query.Options{})
	if err != nil || len(res.Records) != 1 {
		b.Fatalf("middle account: %v", err)
	}
	cur, _ := json.Marshal(map[string]any{"v": mid, "id": res.Records[0].ID})
	after := base64.RawURLEncoding.EncodeToString(cur)

	const fields = "SELECT Id, Name, BillingCity, Phone, Industry, OwnerId, Owner.Name FROM Account"
	const order = " ORDER BY Name ASC NULLS FIRST, Id ASC LIMIT 51"
	keyset := " WHERE (Name >= '" + mid + "' AND (Name > '" + mid + "' OR Id > '" + string(res.Records[0].ID) + "'))"
	cases := []struct {
		name, path, want string
		soql             []string // the queries the page runs, as raw SQL
	}{
		{"first-page", "/o/Account?sort=Name&dir=asc", "Account 0000049",
			[]string{fields + order, "SELECT Id FROM Account LIMIT 501"}},
		{"deep-page", "/o/Account?sort=Name&dir=asc&after=" + after, fmt.Sprintf("Account %07d", n/2+50),
			[]string{fields + keyset + order}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if code, body := e.get(c.path); code != http.StatusOK || !strings.Contains(body, c.want) {
				b.Fatalf("GET %s: %d, want %q in the page", c.path, code, c.want)
			}
			stmts := make([]compiled, len(c.soql))
			for i, q := range c.soql {
				stmts[i] = e.compile(b, q)
			}
			var raw time.Duration
			b.ResetTimer()
			for range b.N {
				e.get(c.path)
				b.StopTimer()
				t0 := time.Now()
				for _, s := range stmts {
					s.run(b, e.conn)
				}
				raw += time.Since(t0)
				b.StartTimer()
			}
			b.StopTimer()
			page := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			sqlNs := float64(raw.Nanoseconds()) / float64(b.N)
			b.ReportMetric(sqlNs, "sql-ns/op")
			if sqlNs > 0 {
				b.ReportMetric(page/sqlNs, "x-of-sql")
			}
		})
	}
}

func (e *listBench) get(path string) (int, string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(e.cookie)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// compiled is a SOQL query as the SQL the query service runs for it.
type compiled struct {
	sql  string
	args []any
}

func (e *listBench) compile(b *testing.B, soql string) compiled {
	s, args, err := e.queries.Compile(e.ctx, soql, query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		b.Fatalf("compile %s: %v", soql, err)
	}
	return compiled{s, args}
}

// run runs the statement and reads every column of every row.
func (c compiled) run(b *testing.B, conn *sql.DB) {
	rows, err := conn.Query(c.sql, c.args...)
	if err != nil {
		b.Fatalf("%s: %v", c.sql, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			b.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
}

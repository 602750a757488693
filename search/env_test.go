package search_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/search"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

// dialect is what both backends are.
type dialect interface {
	sqlstore.Backend
	query.Dialect
}

// backends returns the backends to test: SQLite always, PostgreSQL when
// RAPPORT_TEST_POSTGRES is set.
func backends(t testing.TB) map[string]func(t testing.TB) dialect {
	out := map[string]func(t testing.TB) dialect{
		"sqlite": func(t testing.TB) dialect {
			b, err := sqlite.New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return b
		},
	}
	if os.Getenv(pgtest.TestEnv) != "" {
		out["postgres"] = func(t testing.TB) dialect { return postgres.New(pgtest.Database(t)) }
	}
	return out
}

// onBackends runs fn on a fresh store of each backend.
func onBackends(t *testing.T, fn func(t *testing.T, s *store)) {
	for name, mk := range backends(t) {
		t.Run(name, func(t *testing.T) { fn(t, openStore(t, name, mk)) })
	}
}

// A store is one backend with the services over it.
type store struct {
	name    string
	b       dialect
	db      *sqlstore.DB
	records *record.Service
	tenants *tenant.Service
	q       *query.Service
	search  *search.Service
}

var orgSeq atomic.Int64

func openStore(t testing.TB, name string, mk func(t testing.TB) dialect) *store {
	b := mk(t)
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	recs := record.NewService(db, record.Options{})
	access := record.Access{S: recs}
	q := query.NewService(db, b, recs, query.Config{Access: access})
	return &store{
		name: name, b: b, db: db, records: recs,
		tenants: tenant.NewService(db, recs, nil, nil),
		q:       q,
		search:  search.NewService(db, q, recs, search.Config{Access: access}),
	}
}

// An org is an org of a store, with its administrator's context.
type org struct {
	*store
	id  rapport.ID
	ctx context.Context
}

func (s *store) newOrg(t testing.TB) *org {
	t.Helper()
	n := orgSeq.Add(1)
	o, err := s.tenants.CreateOrg(context.Background(), tenant.OrgParams{
		Name: fmt.Sprintf("Search Org %d", n), Username: fmt.Sprintf("admin%d@%s.search.example", n, s.name), Password: "search test 1",
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: o.OrgID, UserID: o.UserID})
	return &org{store: s, id: o.OrgID, ctx: ctx}
}

func (o *org) create(t testing.TB, object string, recs ...map[string]any) []rapport.ID {
	t.Helper()
	return o.createAs(t, o.ctx, object, recs...)
}

func (o *org) createAs(t testing.TB, ctx context.Context, object string, recs ...map[string]any) []rapport.ID {
	t.Helper()
	rs, err := o.records.Create(ctx, object, recs, record.WriteOptions{AllOrNone: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]rapport.ID, len(rs))
	for i, r := range rs {
		if r.Err != nil {
			t.Fatalf("create %s: %v", object, r.Err)
		}
		ids[i] = r.ID
	}
	return ids
}

func (o *org) update(t testing.TB, object string, recs ...map[string]any) {
	t.Helper()
	rs, err := o.records.Update(o.ctx, object, recs, record.WriteOptions{AllOrNone: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Err != nil {
			t.Fatalf("update %s: %v", object, r.Err)
		}
	}
}

// find runs a search and returns its records.
func (o *org) find(t testing.TB, src string) []*query.Record {
	t.Helper()
	return o.findAs(t, o.ctx, src)
}

func (o *org) findAs(t testing.TB, ctx context.Context, src string) []*query.Record {
	t.Helper()
	recs, err := o.search.Search(ctx, src)
	if err != nil {
		t.Fatalf("Search(%q) = %v", src, err)
	}
	return recs
}

// names returns the value of field of each record, in order.
func names(recs []*query.Record, field string) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		v, _ := r.Get(field)
		s, _ := v.(string)
		out[i] = s
	}
	return out
}

// sorted returns names sorted, for results whose order is not the point.
func sorted(recs []*query.Record, field string) []string {
	out := names(recs, field)
	slices.Sort(out)
	return out
}

// exec runs a statement in an org's namespace directly, behind the
// store's back, as an older build would have left it.
func (o *org) exec(t testing.TB, stmt string) {
	t.Helper()
	var db *sql.DB
	prefix := ""
	switch b := o.b.(type) {
	case *sqlite.Backend:
		var err error
		db, err = sql.Open("sqlite", "file:"+filepath.Join(b.Dir(), "orgs", string(o.id)+".db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
	default:
		db = o.db.System()
		prefix = `"org_` + lower(string(o.id)) + `".`
	}
	if _, err := db.Exec(fmt.Sprintf(stmt, prefix)); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

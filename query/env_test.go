package query_test

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

// world is a fixture org on one backend, with services over it.
type world struct {
	name    string
	db      *sqlstore.DB
	records *record.Service
	q       *query.Service
	org     tenant.NewOrg
	ctx     context.Context
	clock   *atomic.Int64 // Unix nanoseconds of the services' clock
	dialect dialect
}

func mustDialect(t testing.TB, w *world) query.Dialect { return w.dialect }

func (w *world) advance(d time.Duration) { w.clock.Add(int64(d)) }

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

// fixedNow is the clock of query tests: a Wednesday afternoon in San
// Francisco, so relative dates are reproducible.
var fixedNow = time.Date(2026, 11, 18, 22, 30, 0, 0, time.UTC)

func newWorld(t testing.TB, name string, mk func(t testing.TB) dialect) *world {
	b := mk(t)
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var now atomic.Int64
	now.Store(fixedNow.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }
	recs := record.NewService(db, record.Options{Now: clock})
	ten := tenant.NewService(db, recs, clock, nil)
	org, err := ten.CreateOrg(context.Background(), tenant.OrgParams{Name: "Dreamforce", Username: "admin@" + name + ".query.example", Password: "query test 1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: org.OrgID, UserID: org.UserID})
	q := query.NewService(db, b, recs, query.Config{Now: clock})
	return &world{name: name, db: db, records: recs, q: q, org: org, ctx: ctx, clock: &now, dialect: b}
}

func (w *world) create(t testing.TB, object string, recs []map[string]any) []rapport.ID {
	t.Helper()
	rs, err := w.records.Create(w.ctx, object, recs, record.WriteOptions{AllOrNone: true})
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

func recordOpts() record.WriteOptions { return record.WriteOptions{} }

func (w *world) clockFunc() func() time.Time {
	return func() time.Time { return time.Unix(0, w.clock.Load()).UTC() }
}

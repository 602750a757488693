package sqlite_test

import (
	"context"
	"testing"

	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/storetest"
)

// Open returns a store over a fresh data directory.
func open(t testing.TB) *sqlstore.DB {
	b, err := sqlite.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return open(t) })
}

func TestAccess(t *testing.T) {
	b, err := sqlite.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.RunAccess(t, db, func(recs *record.Service) *query.Service {
		return query.NewService(db, b, recs, query.Config{Access: record.Access{S: recs}})
	})
}

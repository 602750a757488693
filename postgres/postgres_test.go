package postgres_test

import (
	"context"
	"testing"

	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/storetest"
)

func open(t testing.TB) *sqlstore.DB {
	url := pgtest.Database(t)
	db, err := sqlstore.Open(context.Background(), postgres.New(url), nil)
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
	b := postgres.New(pgtest.Database(t))
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.RunAccess(t, db, func(recs *record.Service) *query.Service {
		return query.NewService(db, b, recs, query.Config{Access: record.Access{S: recs}})
	})
}

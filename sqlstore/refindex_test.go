package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/storetest"
)

// openBackend opens an empty store of the named kind; PostgreSQL's test
// is skipped without RAPPORT_TEST_POSTGRES.
func openBackend(t *testing.T, name string) sqlstore.Backend {
	t.Helper()
	if name == "postgres" {
		return postgres.New(pgtest.Database(t))
	}
	b, err := sqlite.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An org from a build before layout 5 has one-column indexes on its
// reference fields; migrating replaces them with indexes by reference,
// creation date and Id, which new orgs get from the start.
func TestReferenceIndexUpgrade(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			b := openBackend(t, name)
			db, err := sqlstore.Open(ctx, b, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			env := storetest.NewEnv(t, db)
			org := env.Org.OrgID
			sch, err := db.LoadSchema(ctx, org)
			if err != nil {
				t.Fatal(err)
			}
			contact := sch.Object("Contact")
			account := contact.Field("AccountId")
			newName := contact.Table + "_" + account.Column + "_rc"
			oldName := contact.Table + "_" + account.Column + "_r"

			ns, err := b.OpenNamespace(ctx, org)
			if err != nil {
				t.Fatal(err)
			}
			if ns.Close != nil {
				defer ns.Close()
			}
			indexes := func() []string {
				t.Helper()
				q := "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '" + contact.Table + "'"
				if name == "postgres" {
					q = "SELECT indexname FROM pg_indexes WHERE tablename = '" + contact.Table + "' AND '" + ns.Prefix + "' LIKE '%' || schemaname || '%'"
				}
				rows, err := ns.Writer.QueryContext(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var out []string
				for rows.Next() {
					var n string
					rows.Scan(&n)
					out = append(out, n)
				}
				return out
			}
			if got := indexes(); !slices.Contains(got, newName) || slices.Contains(got, oldName) {
				t.Fatalf("a new org's Contact indexes: %v, want %s and not %s", got, newName, oldName)
			}
			// As a build before layout 5 left it.
			table := ns.Prefix + `"` + contact.Table + `"`
			for _, stmt := range []string{
				`DROP INDEX ` + ns.Prefix + `"` + newName + `"`,
				`CREATE INDEX "` + oldName + `" ON ` + table + ` ("` + account.Column + `")`,
				`UPDATE ` + ns.Prefix + `_meta SET value = 4 WHERE key = 'layout'`,
			} {
				if _, err := ns.Writer.ExecContext(ctx, stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			if err := db.MigrateOrg(ctx, org); err != nil {
				t.Fatal(err)
			}
			if got := indexes(); !slices.Contains(got, newName) || slices.Contains(got, oldName) {
				t.Fatalf("after migrating, Contact indexes: %v, want %s and not %s", got, newName, oldName)
			}
			// Once only: a second migration changes nothing.
			if err := db.MigrateOrg(ctx, org); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// On PostgreSQL a sorted-name index keeps statistics of 1,000 buckets, for
// steady estimates of a list search; an org from before layout 7 gets them
// when it migrates. SQLite has no such setting and migrates all the same.
func TestNameIndexStatistics(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			b := openBackend(t, name)
			db, err := sqlstore.Open(ctx, b, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			env := storetest.NewEnv(t, db)
			org := env.Org.OrgID
			sch, err := db.LoadSchema(ctx, org)
			if err != nil {
				t.Fatal(err)
			}
			contact := sch.Object("Contact")
			index := contact.Table + "_" + contact.Field("Name").Column + "_x"
			ns, err := b.OpenNamespace(ctx, org)
			if err != nil {
				t.Fatal(err)
			}
			if ns.Close != nil {
				defer ns.Close()
			}
			target := func() int {
				t.Helper()
				if name != "postgres" {
					return 1000
				}
				var n int
				err := ns.Writer.QueryRowContext(ctx, `SELECT a.attstattarget FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
					WHERE c.relname = $1 AND a.attnum = 1 AND $2 LIKE '%' || c.relnamespace::regnamespace::text || '%'`, index, ns.Prefix).Scan(&n)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			if got := target(); got != 1000 {
				t.Fatalf("a new org's %s keeps statistics of %d buckets, want 1000", index, got)
			}
			stmts := []string{`UPDATE ` + ns.Prefix + `_meta SET value = 6 WHERE key = 'layout'`}
			if name == "postgres" {
				stmts = append(stmts, `ALTER INDEX `+ns.Prefix+`"`+index+`" ALTER COLUMN 1 SET STATISTICS -1`)
			}
			for _, stmt := range stmts {
				if _, err := ns.Writer.ExecContext(ctx, stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			if err := db.MigrateOrg(ctx, org); err != nil {
				t.Fatal(err)
			}
			if got := target(); got != 1000 {
				t.Fatalf("after migrating, %s keeps statistics of %d buckets, want 1000", index, got)
			}
		})
	}
}

package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
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

// upgradeOrg is an org in a fresh store of the named kind, for the tests
// that set an org back to an older layout and migrate it.
type upgradeOrg struct {
	ctx context.Context
	db  *sqlstore.DB
	env *storetest.Env
	org rapport.ID
	sch *metadata.Schema
	ns  *sqlstore.Namespace
}

func newUpgradeOrg(t *testing.T, name string) *upgradeOrg {
	t.Helper()
	ctx := context.Background()
	b := openBackend(t, name)
	db, err := sqlstore.Open(ctx, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	env := storetest.NewEnv(t, db)
	u := &upgradeOrg{ctx: ctx, db: db, env: env, org: env.Org.OrgID}
	if u.sch, err = db.LoadSchema(ctx, u.org); err != nil {
		t.Fatal(err)
	}
	if u.ns, err = b.OpenNamespace(ctx, u.org); err != nil {
		t.Fatal(err)
	}
	if u.ns.Close != nil {
		t.Cleanup(func() { u.ns.Close() })
	}
	return u
}

// exec runs statements on the org's namespace, as an older build left it.
func (u *upgradeOrg) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, stmt := range stmts {
		if _, err := u.ns.Writer.ExecContext(u.ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// migrate migrates the org twice: the second time must change nothing.
func (u *upgradeOrg) migrate(t *testing.T) {
	t.Helper()
	for i := 0; i < 2; i++ {
		if err := u.db.MigrateOrg(u.ctx, u.org); err != nil {
			t.Fatal(err)
		}
	}
}

// An org from a build before layout 5 has one-column indexes on its
// reference fields; migrating replaces them with indexes by reference,
// creation date and Id, which new orgs get from the start.
func TestReferenceIndexUpgrade(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			u := newUpgradeOrg(t, name)
			contact := u.sch.Object("Contact")
			account := contact.Field("AccountId")
			newName := contact.Table + "_" + account.Column + "_rc"
			oldName := contact.Table + "_" + account.Column + "_r"
			indexes := func() []string {
				t.Helper()
				q := "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '" + contact.Table + "'"
				if name == "postgres" {
					q = "SELECT indexname FROM pg_indexes WHERE tablename = '" + contact.Table + "' AND '" + u.ns.Prefix + "' LIKE '%' || schemaname || '%'"
				}
				rows, err := u.ns.Writer.QueryContext(u.ctx, q)
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
			u.exec(t,
				`DROP INDEX `+u.ns.Prefix+`"`+newName+`"`,
				`CREATE INDEX "`+oldName+`" ON `+u.ns.Prefix+`"`+contact.Table+`" ("`+account.Column+`")`,
				`UPDATE `+u.ns.Prefix+`_meta SET value = 4 WHERE key = 'layout'`)
			u.migrate(t)
			if got := indexes(); !slices.Contains(got, newName) || slices.Contains(got, oldName) {
				t.Fatalf("after migrating, Contact indexes: %v, want %s and not %s", got, newName, oldName)
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
			u := newUpgradeOrg(t, name)
			contact := u.sch.Object("Contact")
			index := contact.Table + "_" + contact.Field("Name").Column + "_x"
			target := func() int {
				t.Helper()
				if name != "postgres" {
					return 1000
				}
				var n int
				err := u.ns.Writer.QueryRowContext(u.ctx, `SELECT a.attstattarget FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
					WHERE c.relname = $1 AND a.attnum = 1 AND $2 LIKE '%' || c.relnamespace::regnamespace::text || '%'`, index, u.ns.Prefix).Scan(&n)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			if got := target(); got != 1000 {
				t.Fatalf("a new org's %s keeps statistics of %d buckets, want 1000", index, got)
			}
			u.exec(t, `UPDATE `+u.ns.Prefix+`_meta SET value = 6 WHERE key = 'layout'`)
			if name == "postgres" {
				u.exec(t, `ALTER INDEX `+u.ns.Prefix+`"`+index+`" ALTER COLUMN 1 SET STATISTICS -1`)
			}
			u.migrate(t)
			if got := target(); got != 1000 {
				t.Fatalf("after migrating, %s keeps statistics of %d buckets, want 1000", index, got)
			}
		})
	}
}

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// DB is a store over one backend: the system database and every org's
// namespace.
type DB struct {
	b      Backend
	log    *slog.Logger
	system *sql.DB

	mu  sync.Mutex
	nss map[rapport.ID]*Namespace
}

// Open opens the system database of backend b and brings its schema up to
// date.
func Open(ctx context.Context, b Backend, log *slog.Logger) (*DB, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sys, err := b.OpenSystem(ctx)
	if err != nil {
		return nil, err
	}
	db := &DB{b: b, log: log, system: sys, nss: map[rapport.ID]*Namespace{}}
	if err := db.migrateSystem(ctx); err != nil {
		sys.Close()
		return nil, err
	}
	return db, nil
}

// Backend returns the store's backend.
func (db *DB) Backend() Backend { return db.b }

// System returns the system database handle.
func (db *DB) System() *sql.DB { return db.system }

// Close closes every open namespace and the system database.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	var errs []error
	for id, ns := range db.nss {
		if ns.Close != nil {
			errs = append(errs, ns.Close())
		}
		delete(db.nss, id)
	}
	errs = append(errs, db.system.Close())
	return errors.Join(errs...)
}

// namespace returns the org's open namespace, opening it on first use.
func (db *DB) namespace(ctx context.Context, org rapport.ID) (*Namespace, error) {
	db.mu.Lock()
	ns := db.nss[org]
	db.mu.Unlock()
	if ns != nil {
		return ns, nil
	}
	ns, err := db.b.OpenNamespace(ctx, org)
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if cur := db.nss[org]; cur != nil {
		if ns.Close != nil {
			ns.Close()
		}
		return cur, nil
	}
	db.nss[org] = ns
	return ns, nil
}

func (db *DB) forget(org rapport.ID) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if ns := db.nss[org]; ns != nil {
		if ns.Close != nil {
			ns.Close()
		}
		delete(db.nss, org)
	}
}

// Write implements record.Store.
func (db *DB) Write(ctx context.Context, org rapport.ID, fn func(record.Tx) error) error {
	ns, err := db.namespace(ctx, org)
	if err != nil {
		return err
	}
	sqlTx, err := ns.Writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &tx{db: db, ns: ns, q: sqlTx, sqlTx: sqlTx}
	if err := fn(t); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if inv, ok := db.b.(invalidator); ok && t.retyped {
		inv.Invalidate()
	}
	return nil
}

// Read implements record.Store.
func (db *DB) Read(ctx context.Context, org rapport.ID, fn func(record.Reader) error) error {
	ns, err := db.namespace(ctx, org)
	if err != nil {
		return err
	}
	sqlTx, err := ns.Reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: db.b.Name() == "postgres"})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer sqlTx.Rollback()
	return fn(&tx{db: db, ns: ns, q: sqlTx, sqlTx: sqlTx})
}

// LoadSchema implements record.Store.
func (db *DB) LoadSchema(ctx context.Context, org rapport.ID) (*metadata.Schema, error) {
	ns, err := db.namespace(ctx, org)
	if err != nil {
		return nil, err
	}
	var version int64
	err = ns.Reader.QueryRowContext(ctx, "SELECT value FROM "+ns.Prefix+"_meta WHERE key = "+db.b.Placeholder(1), metaSchema).Scan(&version)
	if err != nil {
		return nil, fmt.Errorf("load schema version: %w", err)
	}
	objs := map[string]*metadata.Object{}
	var order []*metadata.Object
	rows, err := ns.Reader.QueryContext(ctx, "SELECT table_name, def FROM "+ns.Prefix+"_object ORDER BY seq")
	if err != nil {
		return nil, fmt.Errorf("load objects: %w", err)
	}
	for rows.Next() {
		var table, def string
		if err := rows.Scan(&table, &def); err != nil {
			rows.Close()
			return nil, err
		}
		o := &metadata.Object{}
		if err := json.Unmarshal([]byte(def), o); err != nil {
			rows.Close()
			return nil, fmt.Errorf("object %s: %w", table, err)
		}
		o.Table, o.Fields = table, nil
		objs[table] = o
		order = append(order, o)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	rows, err = ns.Reader.QueryContext(ctx, "SELECT table_name, column_name, def FROM "+ns.Prefix+"_field ORDER BY seq")
	if err != nil {
		return nil, fmt.Errorf("load fields: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, column, def string
		if err := rows.Scan(&table, &column, &def); err != nil {
			return nil, err
		}
		f := &metadata.Field{}
		if err := json.Unmarshal([]byte(def), f); err != nil {
			return nil, fmt.Errorf("field %s.%s: %w", table, column, err)
		}
		f.Column = column
		if o := objs[table]; o != nil {
			o.Fields = append(o.Fields, f)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return metadata.NewSchema(version, order), nil
}

// SchemaVersion implements record.Store.
func (db *DB) SchemaVersion(ctx context.Context, org rapport.ID) (int64, error) {
	ns, err := db.namespace(ctx, org)
	if err != nil {
		return 0, err
	}
	var v int64
	err = ns.Reader.QueryRowContext(ctx, "SELECT value FROM "+ns.Prefix+"_meta WHERE key = "+db.b.Placeholder(1), metaSchema).Scan(&v)
	return v, err
}

// Meta keys.
const (
	metaLayout = "layout"         // version of the namespace's own tables
	metaSchema = "schema_version" // version of the org's metadata
)

// orgMigrations create and evolve the namespace's own tables; each runs
// once, in order, and the layout version records how many have run. Only
// ever append: an org's layout version counts the entries it has had.
var orgMigrations = []func(b Backend, p string) []string{
	func(b Backend, p string) []string {
		text := b.ColumnType(metadata.StoreText, 0, 0)
		big := "BIGINT"
		ts := b.ColumnType(metadata.StoreDateTime, 0, 0)
		return []string{
			"CREATE TABLE " + p + "_counter (name " + text + " PRIMARY KEY, value " + big + " NOT NULL)",
			"CREATE TABLE " + p + "_object (table_name " + text + " PRIMARY KEY, name_lower " + text + " NOT NULL UNIQUE, seq " + big + " NOT NULL, def " + text + " NOT NULL)",
			"CREATE TABLE " + p + "_field (table_name " + text + " NOT NULL, column_name " + text + " NOT NULL, seq " + big + " NOT NULL, def " + text + " NOT NULL, PRIMARY KEY (table_name, column_name))",
			"CREATE TABLE " + p + "_history (id " + text + " PRIMARY KEY, object " + text + " NOT NULL, record_id " + text + " NOT NULL, field " + text + " NOT NULL, old_value " + text + ", new_value " + text + ", created_at " + ts + " NOT NULL, created_by " + text + ")",
			"CREATE INDEX _history_record ON " + p + "_history (record_id, created_at)",
			"CREATE TABLE " + p + "_bin (id " + text + " PRIMARY KEY, object " + text + " NOT NULL, name " + text + ", root " + text + " NOT NULL, deleted_at " + ts + " NOT NULL, deleted_by " + text + ")",
			"CREATE INDEX _bin_root ON " + p + "_bin (root)",
			"CREATE TABLE " + p + "_cleared_ref (root " + text + " NOT NULL, object " + text + " NOT NULL, id " + text + " NOT NULL, field " + text + " NOT NULL, parent " + text + " NOT NULL)",
			"CREATE INDEX _cleared_ref_root ON " + p + "_cleared_ref (root)",
			"INSERT INTO " + p + "_meta (key, value) VALUES ('" + metaSchema + "', 0)",
		}
	},
	bulkChunkTable,          // 2: bulk job chunks and their results
	securityTables,          // 3: group membership and shares
	searchMigration,         // 4: the full-text index
	referenceIndexMigration, // 5: reference indexes with the creation date
	rollupMigration,         // 6: the standard roll-ups computed once
	nameStatsMigration,      // 7: fuller statistics of the sorted-name indexes
}

// OrgLayoutVersion is the namespace layout this build expects.
func OrgLayoutVersion() int { return len(orgMigrations) }

// MigrateOrg implements tenant.Directory: it runs the namespace migrations
// the org has not had, each in its own transaction.
func (db *DB) MigrateOrg(ctx context.Context, org rapport.ID) error {
	ns, err := db.namespace(ctx, org)
	if err != nil {
		return err
	}
	p := ns.Prefix
	if _, err := ns.Writer.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+p+"_meta (key "+db.b.ColumnType(metadata.StoreText, 0, 0)+" PRIMARY KEY, value BIGINT NOT NULL)"); err != nil {
		return fmt.Errorf("migrate org %s: %w", org, err)
	}
	for {
		var v int64
		err := ns.Writer.QueryRowContext(ctx, "SELECT value FROM "+p+"_meta WHERE key = "+db.b.Placeholder(1), metaLayout).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			v = 0
		} else if err != nil {
			return fmt.Errorf("migrate org %s: %w", org, err)
		}
		if v > int64(len(orgMigrations)) {
			return fmt.Errorf("migrate org %s: its layout version %d is newer than this build's %d", org, v, len(orgMigrations))
		}
		if v == int64(len(orgMigrations)) {
			if err := db.backfillSearch(ctx, org, ns); err != nil {
				return err
			}
			if err := db.rebuildReferenceIndexes(ctx, org, ns); err != nil {
				return err
			}
			if err := db.widenNameIndexStats(ctx, org, ns); err != nil {
				return err
			}
			return db.recomputeRollups(ctx, org, ns)
		}
		stmts := orgMigrations[v](db.b, p)
		if v == 0 {
			stmts = append(stmts, "INSERT INTO "+p+"_meta (key, value) VALUES ('"+metaLayout+"', 0)")
		}
		stmts = append(stmts, fmt.Sprintf("UPDATE %s_meta SET value = %d WHERE key = '%s'", p, v+1, metaLayout))
		if err := db.execTx(ctx, ns.Writer, stmts); err != nil {
			return fmt.Errorf("migrate org %s to layout %d: %w", org, v+1, err)
		}
		db.log.InfoContext(ctx, "org migrated", "org_id", org, "layout", v+1)
	}
}

func (db *DB) execTx(ctx context.Context, conn *sql.DB, stmts []string) error {
	t, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := t.ExecContext(ctx, s); err != nil {
			t.Rollback()
			return fmt.Errorf("%s: %w", firstWords(s), err)
		}
	}
	return t.Commit()
}

func firstWords(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// quote quotes an identifier. Physical names come from metadata and are
// plain, but quoting keeps them from ever being read as keywords.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// QueryConn implements query.Store: the org's read handle and the
// qualifier of its table names.
func (db *DB) QueryConn(ctx context.Context, org rapport.ID) (*sql.DB, string, error) {
	ns, err := db.namespace(ctx, org)
	if err != nil {
		return nil, "", err
	}
	return ns.Reader, ns.Prefix, nil
}

// Analyze refreshes the query planner's statistics of an org's namespace,
// as a bulk load should be followed by (PostgreSQL's autovacuum does it in
// time; SQLite only when asked).
func (db *DB) Analyze(ctx context.Context, org rapport.ID) error {
	ns, err := db.namespace(ctx, org)
	if err != nil {
		return err
	}
	if db.b.Name() == "sqlite" {
		_, err = ns.Writer.ExecContext(ctx, "ANALYZE")
		return err
	}
	rows, err := ns.Writer.QueryContext(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = $1", strings.TrimSuffix(strings.Trim(ns.Prefix, `."`), `"`))
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	for _, t := range tables {
		if _, err := ns.Writer.ExecContext(ctx, "ANALYZE "+ns.Prefix+quote(t)); err != nil {
			return err
		}
	}
	return nil
}

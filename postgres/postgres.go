// Package postgres is Rapport's server backend: one PostgreSQL database
// holding a system schema ("rapport") and one schema per org
// ("org_<orgId>"), shared by any number of rapport processes.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/sqlstore"
)

const systemSchema = "rapport"

// Backend is the PostgreSQL backend over one connection pool.
type Backend struct {
	url  string
	pool *sql.DB

	// generation counts changes that make cached statements stale (a
	// column's type changed); a connection that saw an older generation
	// drops its statement cache before its next use.
	generation atomic.Int64
	mu         sync.Mutex
	seen       map[*pgx.Conn]int64
}

// New returns the backend for a connection URL (postgres://…). It connects
// lazily, on OpenSystem.
func New(url string) *Backend { return &Backend{url: url} }

// Name implements sqlstore.Backend.
func (b *Backend) Name() string { return "postgres" }

// OpenSystem implements sqlstore.Backend.
func (b *Backend) OpenSystem(ctx context.Context) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(b.url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["timezone"] = "UTC"
	// Statements are cached per connection; a cached generic plan ignores
	// the values bound (an IN list of parent Ids, a filter's selectivity)
	// and can walk a whole table where an index fits. Plan each execution
	// for its values: planning costs far less than a bad plan.
	cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	b.seen = map[*pgx.Conn]int64{}
	db := stdlib.OpenDB(*cfg, stdlib.OptionResetSession(b.resetSession))
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+systemSchema); err != nil {
		if _, dup := b.UniqueViolation(err); !dup {
			db.Close()
			return nil, fmt.Errorf("postgres: create system schema: %w", err)
		}
	}
	b.pool = db
	return db, nil
}

// resetSession runs when the pool hands out a connection again.
func (b *Backend) resetSession(ctx context.Context, conn *pgx.Conn) error {
	gen := b.generation.Load()
	b.mu.Lock()
	stale := b.seen[conn] != gen
	b.seen[conn] = gen
	b.mu.Unlock()
	if stale && gen > 0 {
		return conn.DeallocateAll(ctx)
	}
	return nil
}

// Invalidate implements sqlstore's invalidator: statements prepared before
// now may describe columns whose type has changed.
func (b *Backend) Invalidate() { b.generation.Add(1) }

// SystemTable implements sqlstore.Backend.
func (b *Backend) SystemTable(name string) string { return systemSchema + `."` + name + `"` }

// schema returns the org's schema name. An 18-character ID is unique
// without regard to case, so its lower-case form is a safe identifier.
func schema(org rapport.ID) string { return "org_" + strings.ToLower(string(org)) }

// CreateNamespace implements sqlstore.Backend.
func (b *Backend) CreateNamespace(ctx context.Context, org rapport.ID) error {
	_, err := b.pool.ExecContext(ctx, `CREATE SCHEMA "`+schema(org)+`"`)
	if err != nil {
		return fmt.Errorf("postgres: create org schema: %w", err)
	}
	return nil
}

// OpenNamespace implements sqlstore.Backend.
func (b *Backend) OpenNamespace(ctx context.Context, org rapport.ID) (*sqlstore.Namespace, error) {
	var n int
	if err := b.pool.QueryRowContext(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema(org)).Scan(&n); err != nil {
		return nil, fmt.Errorf("postgres: open org %s: %w", org, err)
	}
	if n == 0 {
		return nil, rapport.Errorf(rapport.NotFound, "no org %s", org)
	}
	return &sqlstore.Namespace{Writer: b.pool, Reader: b.pool, Prefix: `"` + schema(org) + `".`}, nil
}

// DropNamespace implements sqlstore.Backend.
func (b *Backend) DropNamespace(ctx context.Context, org rapport.ID) error {
	_, err := b.pool.ExecContext(ctx, `DROP SCHEMA IF EXISTS "`+schema(org)+`" CASCADE`)
	return err
}

// Placeholder implements sqlstore.Backend.
func (b *Backend) Placeholder(n int) string { return "$" + strconv.Itoa(n) }

// MaxParams implements sqlstore.Backend.
func (b *Backend) MaxParams() int { return 65535 }

// ColumnType implements sqlstore.Backend.
func (b *Backend) ColumnType(st metadata.Storage, precision, scale int) string {
	switch st {
	case metadata.StoreDecimal:
		if precision > 0 {
			return fmt.Sprintf("numeric(%d, %d)", precision, scale)
		}
		return "numeric"
	case metadata.StoreBool:
		return "boolean"
	case metadata.StoreDate:
		return "date"
	case metadata.StoreDateTime:
		return "timestamptz(3)"
	default:
		return "text"
	}
}

// Encode implements sqlstore.Backend.
func (b *Backend) Encode(st metadata.Storage, v any) any {
	switch x := v.(type) {
	case rapport.ID:
		return string(x)
	case time.Time:
		return x.UTC()
	}
	return v
}

// Decode implements sqlstore.Backend.
func (b *Backend) Decode(st metadata.Storage, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if bs, ok := v.([]byte); ok {
		v = string(bs)
	}
	switch st {
	case metadata.StoreBool:
		if x, ok := v.(bool); ok {
			return x, nil
		}
	case metadata.StoreDecimal:
		switch x := v.(type) {
		case string:
			return strconv.ParseFloat(x, 64)
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case metadata.StoreDate:
		switch x := v.(type) {
		case time.Time:
			return x.Format("2006-01-02"), nil
		case string:
			return x, nil
		}
	case metadata.StoreDateTime:
		if x, ok := v.(time.Time); ok {
			return x.UTC(), nil
		}
	case metadata.StoreID:
		if s, ok := v.(string); ok {
			return rapport.ID(s), nil
		}
	default:
		if s, ok := v.(string); ok {
			return s, nil
		}
	}
	return nil, fmt.Errorf("postgres: unexpected %T for storage %d", v, st)
}

// AlterType implements sqlstore.Backend.
func (b *Backend) AlterType(table, column string, from, to metadata.Storage, precision, scale int) []string {
	typ := b.ColumnType(to, precision, scale)
	using := column + "::" + typ
	switch {
	case to == metadata.StoreText && from == metadata.StoreDecimal:
		using = "trim_scale(" + column + ")::text"
	case to == metadata.StoreText && from == metadata.StoreBool:
		using = "CASE WHEN " + column + " IS NULL THEN NULL WHEN " + column + " THEN 'true' ELSE 'false' END"
	case to == metadata.StoreText && from == metadata.StoreDate:
		using = "to_char(" + column + ", 'YYYY-MM-DD')"
	}
	return []string{"ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE " + typ + " USING " + using}
}

// UniqueViolation implements sqlstore.Backend.
func (b *Backend) UniqueViolation(err error) (string, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return pe.ConstraintName, true
	}
	return "", false
}

// NullsFirst implements sqlstore.Backend.
func (b *Backend) NullsFirst() string { return " NULLS FIRST" }

// IndexStatistics implements sqlstore.Backend. A list search filters names
// with "contains" and sorts by name: PostgreSQL estimates such a filter
// from the histogram of the name index, and with the default sample of a
// table of 170,000 contacts the estimate of a common name flips between
// runs of ANALYZE from a few rows to thousands, and the plan with it
// between walking the index (10 ms) and scanning the table (80 ms). A
// sample of 1,000 buckets keeps it steady.
func (b *Backend) IndexStatistics(index string) string {
	return "ALTER INDEX " + index + " ALTER COLUMN 1 SET STATISTICS 1000"
}

// InSet implements sqlstore.Backend and query.Dialect.
func (b *Backend) InSet(expr, subquery string) string {
	return expr + " = ANY(ARRAY(" + subquery + "))"
}

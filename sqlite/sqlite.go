// Package sqlite is Rapport's embedded backend: a system database file and
// one SQLite file per org (DATA/orgs/<orgId>.db), in WAL mode, each with a
// single writer connection and a small pool of readers, so that orgs write in
// parallel and reads never wait for writes.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/sqlstore"
)

// SQLite result codes for unique and primary key violations.
const (
	constraintUnique     = 2067
	constraintPrimaryKey = 1555
)

var registerOnce sync.Once

// registerFunctions makes lower() fold case as Go's strings.ToLower does
// (SQLite's own lower() folds ASCII only), so that case-insensitive matching
// is the same here, in PostgreSQL and in Go.
func registerFunctions() {
	registerOnce.Do(func() {
		err := sqlite.RegisterDeterministicScalarFunction("lower", 1, func(ctx *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return strings.ToLower(v), nil
			case []byte:
				return strings.ToLower(string(v)), nil
			default:
				return v, nil
			}
		})
		if err != nil {
			panic(fmt.Sprintf("sqlite: register lower: %v", err))
		}
		// rapport_tz(datetime, zone) is the wall-clock time of a UTC datetime
		// in an IANA zone, for SOQL's convertTimezone().
		err = sqlite.RegisterDeterministicScalarFunction("rapport_tz", 2, func(ctx *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			ts, ok1 := args[0].(string)
			zone, ok2 := args[1].(string)
			if !ok1 || !ok2 {
				return nil, nil
			}
			t, err := time.Parse(time.RFC3339Nano, ts)
			if err != nil {
				return nil, nil
			}
			loc, err := time.LoadLocation(zone)
			if err != nil {
				return nil, nil
			}
			return t.In(loc).Format("2006-01-02T15:04:05.000"), nil
		})
		if err != nil {
			panic(fmt.Sprintf("sqlite: register rapport_tz: %v", err))
		}
	})
}

// Backend is the SQLite backend rooted at a data directory.
type Backend struct {
	dir string
}

// New returns the backend for the data directory dir, creating it if needed.
func New(dir string) (*Backend, error) {
	registerFunctions()
	if err := os.MkdirAll(filepath.Join(dir, "orgs"), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: data directory: %w", err)
	}
	return &Backend{dir: dir}, nil
}

// Name implements sqlstore.Backend.
func (b *Backend) Name() string { return "sqlite" }

// Dir returns the data directory.
func (b *Backend) Dir() string { return b.dir }

const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(0)&_pragma=temp_store(MEMORY)"

func open(path string, writer bool, mustExist bool) (*sql.DB, error) {
	dsn := "file:" + path + "?" + pragmas
	if mustExist {
		dsn += "&mode=rw"
	}
	if writer {
		dsn += "&_txlock=immediate&_pragma=cache_size(-32000)"
	} else {
		dsn += "&_pragma=query_only(1)&_pragma=cache_size(-16000)"
	}
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	if writer {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
	} else {
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
	}
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	return db, nil
}

// OpenSystem implements sqlstore.Backend.
func (b *Backend) OpenSystem(ctx context.Context) (*sql.DB, error) {
	db, err := open(filepath.Join(b.dir, "system.db"), true, false)
	if err != nil {
		return nil, err
	}
	// The system database takes few, short writes; a small pool lets logins
	// read while another request writes.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open system database: %w", err)
	}
	return db, nil
}

// SystemTable implements sqlstore.Backend.
func (b *Backend) SystemTable(name string) string { return `"` + name + `"` }

func (b *Backend) orgPath(org rapport.ID) string {
	return filepath.Join(b.dir, "orgs", string(org)+".db")
}

// CreateNamespace implements sqlstore.Backend.
func (b *Backend) CreateNamespace(ctx context.Context, org rapport.ID) error {
	path := b.orgPath(org)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("sqlite: create org file: %w", err)
	}
	return f.Close()
}

// OpenNamespace implements sqlstore.Backend.
func (b *Backend) OpenNamespace(ctx context.Context, org rapport.ID) (*sqlstore.Namespace, error) {
	path := b.orgPath(org)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, rapport.Errorf(rapport.NotFound, "no org %s", org)
	}
	w, err := open(path, true, true)
	if err != nil {
		return nil, err
	}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open org %s: %w", org, err)
	}
	r, err := open(path, false, true)
	if err != nil {
		w.Close()
		return nil, err
	}
	return &sqlstore.Namespace{Writer: w, Reader: r, Close: func() error {
		return errors.Join(r.Close(), w.Close())
	}}, nil
}

// DropNamespace implements sqlstore.Backend.
func (b *Backend) DropNamespace(ctx context.Context, org rapport.ID) error {
	path := b.orgPath(org)
	var errs []error
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Placeholder implements sqlstore.Backend.
func (b *Backend) Placeholder(n int) string { return "?" + strconv.Itoa(n) }

// MaxParams implements sqlstore.Backend.
func (b *Backend) MaxParams() int { return 32766 }

// ColumnType implements sqlstore.Backend. Dates and times are stored as
// ISO-8601 text (UTC, fixed width, so text order is time order).
func (b *Backend) ColumnType(st metadata.Storage, precision, scale int) string {
	switch st {
	case metadata.StoreDecimal:
		return "REAL"
	case metadata.StoreBool:
		return "INTEGER"
	default:
		return "TEXT"
	}
}

// DateTimeLayout is how instants are stored.
const DateTimeLayout = "2006-01-02T15:04:05.000Z"

// Encode implements sqlstore.Backend.
func (b *Backend) Encode(st metadata.Storage, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		return x.UTC().Format(DateTimeLayout)
	case rapport.ID:
		return string(x)
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
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case bool:
			return x, nil
		}
	case metadata.StoreDecimal:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case metadata.StoreDateTime:
		switch x := v.(type) {
		case string:
			t, err := time.Parse(time.RFC3339Nano, x)
			if err != nil {
				return nil, err
			}
			return t.UTC(), nil
		case time.Time:
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
	return nil, fmt.Errorf("sqlite: unexpected %T for storage %d", v, st)
}

// AlterType implements sqlstore.Backend: SQLite cannot change a column's
// type, so a new column takes the converted values and the name.
func (b *Backend) AlterType(table, column string, from, to metadata.Storage, precision, scale int) []string {
	if from == to {
		return nil // REAL holds any precision
	}
	tmp := strings.TrimSuffix(column, `"`) + `_new"`
	var conv string
	switch {
	case to == metadata.StoreText && from == metadata.StoreDecimal:
		conv = "CASE WHEN " + column + " = CAST(" + column + " AS INTEGER) THEN CAST(CAST(" + column + " AS INTEGER) AS TEXT) ELSE CAST(" + column + " AS TEXT) END"
	case to == metadata.StoreText && from == metadata.StoreBool:
		conv = "CASE WHEN " + column + " IS NULL THEN NULL WHEN " + column + " THEN 'true' ELSE 'false' END"
	case to == metadata.StoreDecimal:
		conv = "CAST(" + column + " AS REAL)"
	default:
		conv = column
	}
	return []string{
		"ALTER TABLE " + table + " ADD COLUMN " + tmp + " " + b.ColumnType(to, precision, scale),
		"UPDATE " + table + " SET " + tmp + " = " + conv,
		"ALTER TABLE " + table + " DROP COLUMN " + column,
		"ALTER TABLE " + table + " RENAME COLUMN " + tmp + " TO " + column,
	}
}

// UniqueViolation implements sqlstore.Backend.
func (b *Backend) UniqueViolation(err error) (string, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) || (se.Code() != constraintUnique && se.Code() != constraintPrimaryKey) {
		return "", false
	}
	msg := se.Error()
	if i := strings.Index(msg, "failed: "); i >= 0 {
		msg = msg[i+len("failed: "):]
	}
	msg = strings.TrimPrefix(msg, "index ")
	if i := strings.Index(msg, " ("); i >= 0 {
		msg = msg[:i]
	}
	return strings.Trim(msg, "'\""), true
}

// NullsFirst implements sqlstore.Backend.
func (b *Backend) NullsFirst() string { return "" }

// IndexStatistics implements sqlstore.Backend: SQLite's ANALYZE reads
// every index in full.
func (b *Backend) IndexStatistics(index string) string { return "" }

// InSet implements sqlstore.Backend and query.Dialect.
func (b *Backend) InSet(expr, subquery string) string { return expr + " IN (" + subquery + ")" }

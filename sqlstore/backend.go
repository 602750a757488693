package sqlstore

import (
	"context"
	"database/sql"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// A Backend is one SQL engine's part of the store.
type Backend interface {
	// Name is "sqlite" or "postgres".
	Name() string

	// OpenSystem opens the system database.
	OpenSystem(ctx context.Context) (*sql.DB, error)
	// SystemTable qualifies a system table name.
	SystemTable(name string) string
	// CreateNamespace makes an org's empty namespace; OpenNamespace opens
	// an existing one (rapport.NotFound if there is none); DropNamespace
	// removes it.
	CreateNamespace(ctx context.Context, org rapport.ID) error
	OpenNamespace(ctx context.Context, org rapport.ID) (*Namespace, error)
	DropNamespace(ctx context.Context, org rapport.ID) error

	// Placeholder returns the n-th bind marker (n from 1).
	Placeholder(n int) string
	// ColumnType returns the SQL type of a storage class; for decimals,
	// precision and scale.
	ColumnType(st metadata.Storage, precision, scale int) string
	// Encode turns a canonical Go value into a driver argument; Decode a
	// scanned driver value into the canonical Go value.
	Encode(st metadata.Storage, v any) any
	Decode(st metadata.Storage, v any) (any, error)
	// AlterType returns statements that change a column's type in place.
	AlterType(table, column string, from, to metadata.Storage, precision, scale int) []string
	// UniqueViolation reports whether err is a unique-constraint failure,
	// and names the index or column when the driver says.
	UniqueViolation(err error) (name string, ok bool)
	// MaxParams is the most bind parameters one statement may have.
	MaxParams() int
	// NullsFirst is what an index column needs to sort nulls first
	// ascending: "" where that is the default.
	NullsFirst() string
	// InSet writes "expr is one of the rows of subquery" in the form the
	// engine can drive an index scan from.
	InSet(expr, subquery string) string
	// IndexStatistics returns the statement that makes the planner keep
	// fuller statistics of an index's first column, or "" where there is
	// no such setting.
	IndexStatistics(index string) string
}

// A Namespace is an open org namespace.
type Namespace struct {
	// Writer runs write transactions; Reader runs reads (they may be the
	// same pool).
	Writer, Reader *sql.DB
	// Prefix qualifies table names: "" or `"schema".`.
	Prefix string
	// Close releases the namespace's own connections, if it has any.
	Close func() error
}

// An invalidator is a backend that caches statements and must forget them
// when a column changes type.
type invalidator interface{ Invalidate() }

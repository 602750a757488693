package query

import (
	"context"

	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/security"
)

// Access decides what the principal in a context may read. The security
// layer implements it; the compiler asks it about every object and field a
// query names and adds its row condition to every table a query reads rows
// of (joined parents are shown only as far as the query's own rows allow).
type Access interface {
	// CanRead returns an error if the principal may not read obj at all.
	CanRead(ctx context.Context, obj *metadata.Object) error
	// FieldReadable reports whether the principal may read f of obj.
	FieldReadable(ctx context.Context, obj *metadata.Object, f *metadata.Field) bool
	// Rows returns a SQL condition on the table aliased alias that keeps
	// the rows the principal may read, or "" for all. Values and table
	// names go through w.
	Rows(ctx context.Context, obj *metadata.Object, alias string, w security.SQL) (string, error)
}

// AllowAll is the Access of a principal who may read everything.
type AllowAll struct{}

// CanRead implements Access.
func (AllowAll) CanRead(context.Context, *metadata.Object) error { return nil }

// FieldReadable implements Access.
func (AllowAll) FieldReadable(context.Context, *metadata.Object, *metadata.Field) bool { return true }

// Rows implements Access.
func (AllowAll) Rows(context.Context, *metadata.Object, string, security.SQL) (string, error) {
	return "", nil
}

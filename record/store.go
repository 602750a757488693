package record

import (
	"context"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/security"
)

// A Store keeps each org's records and metadata in a namespace of its own.
// The sqlite and postgres packages implement it; storetest checks them.
type Store interface {
	// Write runs fn in one transaction on the org's namespace; fn's error
	// rolls everything back.
	Write(ctx context.Context, org rapport.ID, fn func(Tx) error) error
	// Read runs fn with a consistent read view of the org's namespace.
	Read(ctx context.Context, org rapport.ID, fn func(Reader) error) error
	// LoadSchema reads the org's metadata.
	LoadSchema(ctx context.Context, org rapport.ID) (*metadata.Schema, error)
	// SchemaVersion reads the version of the org's metadata, which every
	// schema change increases.
	SchemaVersion(ctx context.Context, org rapport.ID) (int64, error)
	// SecurityVersion reads the version of the org's security data (users,
	// roles, groups, permissions), which every change to it increases.
	SecurityVersion(ctx context.Context, org rapport.ID) (int64, error)
}

// A Reader reads rows of one org by physical names taken from metadata.
type Reader interface {
	// Rows returns the rows with the given IDs, deleted ones included, each
	// holding the values of fields in order. Missing IDs are left out.
	Rows(ctx context.Context, obj *metadata.Object, fields []*metadata.Field, ids []rapport.ID) ([][]any, error)
	// Find returns the live records whose field f equals one of values,
	// comparing text case-insensitively when fold is set.
	Find(ctx context.Context, obj *metadata.Object, f *metadata.Field, values []any, fold bool) ([]Match, error)
	// Referencing returns the records of child whose reference field f points
	// at one of parents; deleted children are included only when deleted is
	// set.
	Referencing(ctx context.Context, child *metadata.Object, f *metadata.Field, parents []rapport.ID, deleted bool) ([]Match, error)
	// Count counts the live records of obj.
	Count(ctx context.Context, obj *metadata.Object) (int64, error)
	// MaxLength returns the length in characters of the longest value in
	// field f (deleted rows included), for type changes.
	MaxLength(ctx context.Context, obj *metadata.Object, f *metadata.Field) (int, error)
	// Values returns the distinct non-null values of f, at most limit of them.
	Values(ctx context.Context, obj *metadata.Object, f *metadata.Field, limit int) ([]any, error)
	// History returns the field history of a record, oldest first.
	History(ctx context.Context, obj *metadata.Object, id rapport.ID) ([]HistoryRow, error)
	// Bin returns the recycle-bin entries, newest first; with roots set, only
	// the entries deleted together with those roots.
	Bin(ctx context.Context, roots []rapport.ID) ([]BinEntry, error)
	// Modified returns the IDs of the live records of obj whose
	// SystemModstamp is in [from, to), oldest change first.
	Modified(ctx context.Context, obj *metadata.Object, from, to time.Time) ([]rapport.ID, error)
	// Scan calls fn with the values of fields of every live record of obj.
	Scan(ctx context.Context, obj *metadata.Object, fields []*metadata.Field, fn func([]any) error) error
	// Filter returns those of ids whose rows satisfy the condition cond
	// writes for the table aliased alias.
	Filter(ctx context.Context, obj *metadata.Object, ids []rapport.ID, cond func(alias string, w security.SQL) string) ([]rapport.ID, error)
	// Shares returns the share rows of a record.
	Shares(ctx context.Context, record rapport.ID) ([]security.Share, error)
	// SecurityVersion reads the version of the org's security data.
	SecurityVersion(ctx context.Context) (int64, error)
}

// A Match pairs a record with the value that matched.
type Match struct {
	ID    rapport.ID
	Value any
}

// A Tx changes one org's namespace within a transaction.
type Tx interface {
	Reader
	// Insert adds rows, each holding the values of fields in order.
	Insert(ctx context.Context, obj *metadata.Object, fields []*metadata.Field, rows [][]any) error
	// Update sets fields of the record id to values.
	Update(ctx context.Context, obj *metadata.Object, id rapport.ID, fields []*metadata.Field, values []any) error
	// SetDeleted moves records to the recycle bin or back.
	SetDeleted(ctx context.Context, obj *metadata.Object, ids []rapport.ID, deleted bool, at time.Time, by rapport.ID) error
	// Delete removes records for good.
	Delete(ctx context.Context, obj *metadata.Object, ids []rapport.ID) error
	// Summarize recomputes the roll-up summary r on the masters ids, or on
	// every master when ids is nil, from their details not in the bin.
	Summarize(ctx context.Context, r Rollup, ids []rapport.ID) error
	// AddToSummary adds to the roll-up r of each master its difference.
	AddToSummary(ctx context.Context, r Rollup, deltas map[rapport.ID]float64) error
	// Savepoint runs fn so that its failure undoes only its own writes.
	Savepoint(ctx context.Context, fn func() error) error

	// Next reserves n numbers of the named counter, which starts at start,
	// and returns the first.
	Next(ctx context.Context, counter string, start int64, n int64) (int64, error)

	AddHistory(ctx context.Context, rows []HistoryRow) error
	AddToBin(ctx context.Context, entries []BinEntry) error
	// RemoveFromBin removes the entries of the given records.
	RemoveFromBin(ctx context.Context, ids []rapport.ID) error
	// AddClearedRefs remembers lookups cleared by a delete, to restore them
	// on undelete; TakeClearedRefs returns and forgets those of roots.
	AddClearedRefs(ctx context.Context, refs []ClearedRef) error
	TakeClearedRefs(ctx context.Context, roots []rapport.ID) ([]ClearedRef, error)

	// CreateObject creates the object's table and indexes and saves its
	// metadata. Physical names must already be set.
	CreateObject(ctx context.Context, obj *metadata.Object) error
	// SaveObject saves metadata that needs no DDL (labels, renames, flags).
	SaveObject(ctx context.Context, obj *metadata.Object) error
	// AddField adds a column (and its indexes) to obj's table; obj already
	// holds f. SaveObject is called by AddField.
	AddField(ctx context.Context, obj *metadata.Object, f *metadata.Field) error
	// ChangeField alters the column and indexes from old to f; obj already
	// holds f.
	ChangeField(ctx context.Context, obj *metadata.Object, old, f *metadata.Field) error
	// DropField drops a purged field's column; obj no longer holds it.
	DropField(ctx context.Context, obj *metadata.Object, f *metadata.Field) error
	// DropObject drops a purged object's table and metadata.
	DropObject(ctx context.Context, obj *metadata.Object) error
	// BumpSchema increases the schema version and returns it.
	BumpSchema(ctx context.Context) (int64, error)

	// BumpSecurity increases the security data version and returns it.
	BumpSecurity(ctx context.Context) (int64, error)
	// ReplaceMembers replaces the flattened group membership.
	ReplaceMembers(ctx context.Context, members []security.Member) error
	// SetShare shares a record with a group at a level, for a cause; level
	// None removes the share.
	SetShare(ctx context.Context, record rapport.ID, group string, level security.Level, cause string) error
	// ClearShares removes the shares of records for a cause ("" for all).
	ClearShares(ctx context.Context, ids []rapport.ID, cause string) error
}

// A HistoryRow records one change of one tracked field.
type HistoryRow struct {
	ID        rapport.ID
	Object    string // key prefix of the record's object
	RecordID  rapport.ID
	Field     string // the field's column (its API name when read through Service.History), or "created"
	OldValue  string
	NewValue  string
	CreatedAt time.Time
	CreatedBy rapport.ID
}

// A BinEntry is a record in the recycle bin. Root is the record whose
// deletion put it there (itself, or a parent it was cascaded from).
type BinEntry struct {
	ID        rapport.ID
	Object    string // key prefix
	Name      string
	Root      rapport.ID
	DeletedAt time.Time
	DeletedBy rapport.ID
}

// A ClearedRef is a lookup a delete cleared: record ID's field (by column)
// pointed at Parent, and Root's deletion cleared it.
type ClearedRef struct {
	Root   rapport.ID
	Object string // key prefix of the child
	ID     rapport.ID
	Field  string // column of the lookup field
	Parent rapport.ID
}

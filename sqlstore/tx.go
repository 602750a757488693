package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// querier is what *sql.Tx and *sql.DB share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx implements record.Tx over one SQL transaction.
type tx struct {
	db    *DB
	ns    *Namespace
	q     querier
	sqlTx *sql.Tx
	sp    int // savepoint depth
	// retyped records that a column changed type or went away.
	retyped bool
}

func (t *tx) table(obj *metadata.Object) string { return t.ns.Prefix + quote(obj.Table) }

func (t *tx) own(name string) string { return t.ns.Prefix + name }

// params builds bind markers $from…$from+n-1 (or ?s) joined by commas.
func (t *tx) params(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t.db.b.Placeholder(from + i))
	}
	return b.String()
}

func (t *tx) ph(n int) string { return t.db.b.Placeholder(n) }

// chunk splits n items into runs of at most size.
func chunk(n, size int, fn func(lo, hi int) error) error {
	if size < 1 {
		size = 1
	}
	for lo := 0; lo < n; lo += size {
		hi := min(lo+size, n)
		if err := fn(lo, hi); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) scanRows(rows *sql.Rows, fields []*metadata.Field) ([][]any, error) {
	defer rows.Close()
	var out [][]any
	n := len(fields)
	for rows.Next() {
		raw := make([]any, n)
		ptrs := make([]any, n)
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, f := range fields {
			v, err := t.db.b.Decode(f.Storage(), raw[i])
			if err != nil {
				return nil, fmt.Errorf("decode %s: %w", f.Name, err)
			}
			raw[i] = v
		}
		out = append(out, raw)
	}
	return out, rows.Err()
}

func columns(fields []*metadata.Field) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(f.Column))
	}
	return b.String()
}

func idArgs(ids []rapport.ID) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// Rows implements record.Reader.
func (t *tx) Rows(ctx context.Context, obj *metadata.Object, fields []*metadata.Field, ids []rapport.ID) ([][]any, error) {
	var out [][]any
	err := chunk(len(ids), t.db.b.MaxParams()/2, func(lo, hi int) error {
		q := "SELECT " + columns(fields) + " FROM " + t.table(obj) + " WHERE id IN (" + t.params(1, hi-lo) + ")"
		rows, err := t.q.QueryContext(ctx, q, idArgs(ids[lo:hi])...)
		if err != nil {
			return fmt.Errorf("read %s: %w", obj.Name, err)
		}
		rs, err := t.scanRows(rows, fields)
		out = append(out, rs...)
		return err
	})
	return out, err
}

// Find implements record.Reader.
func (t *tx) Find(ctx context.Context, obj *metadata.Object, f *metadata.Field, values []any, fold bool) ([]record.Match, error) {
	var out []record.Match
	idField := obj.Field(metadata.FieldID)
	err := chunk(len(values), t.db.b.MaxParams()/2, func(lo, hi int) error {
		col := quote(f.Column)
		args := make([]any, 0, hi-lo)
		for _, v := range values[lo:hi] {
			if s, ok := v.(string); ok && fold {
				v = strings.ToLower(s)
			}
			args = append(args, t.db.b.Encode(f.Storage(), v))
		}
		cond := col + " IN (" + t.params(1, hi-lo) + ")"
		if fold {
			cond = "lower(" + col + ") IN (" + t.params(1, hi-lo) + ")"
		}
		q := "SELECT id, " + col + " FROM " + t.table(obj) + " WHERE NOT is_deleted AND " + cond
		rows, err := t.q.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("find %s.%s: %w", obj.Name, f.Name, err)
		}
		rs, err := t.scanRows(rows, []*metadata.Field{idField, f})
		for _, r := range rs {
			out = append(out, record.Match{ID: r[0].(rapport.ID), Value: r[1]})
		}
		return err
	})
	return out, err
}

// Referencing implements record.Reader.
func (t *tx) Referencing(ctx context.Context, child *metadata.Object, f *metadata.Field, parents []rapport.ID, deleted bool) ([]record.Match, error) {
	var out []record.Match
	idField := child.Field(metadata.FieldID)
	err := chunk(len(parents), t.db.b.MaxParams()/2, func(lo, hi int) error {
		q := "SELECT id, " + quote(f.Column) + " FROM " + t.table(child) + " WHERE " + quote(f.Column) + " IN (" + t.params(1, hi-lo) + ")"
		if !deleted {
			q += " AND NOT is_deleted"
		}
		rows, err := t.q.QueryContext(ctx, q, idArgs(parents[lo:hi])...)
		if err != nil {
			return fmt.Errorf("read %s.%s: %w", child.Name, f.Name, err)
		}
		rs, err := t.scanRows(rows, []*metadata.Field{idField, f})
		for _, r := range rs {
			out = append(out, record.Match{ID: r[0].(rapport.ID), Value: r[1]})
		}
		return err
	})
	return out, err
}

// Count implements record.Reader.
func (t *tx) Count(ctx context.Context, obj *metadata.Object) (int64, error) {
	var n int64
	err := t.q.QueryRowContext(ctx, "SELECT count(*) FROM "+t.table(obj)+" WHERE NOT is_deleted").Scan(&n)
	return n, err
}

// MaxLength implements record.Reader.
func (t *tx) MaxLength(ctx context.Context, obj *metadata.Object, f *metadata.Field) (int, error) {
	var n sql.NullInt64
	err := t.q.QueryRowContext(ctx, "SELECT max(length("+quote(f.Column)+")) FROM "+t.table(obj)).Scan(&n)
	return int(n.Int64), err
}

// Values implements record.Reader.
func (t *tx) Values(ctx context.Context, obj *metadata.Object, f *metadata.Field, limit int) ([]any, error) {
	q := fmt.Sprintf("SELECT DISTINCT %s FROM %s WHERE %s IS NOT NULL LIMIT %d", quote(f.Column), t.table(obj), quote(f.Column), limit)
	rows, err := t.q.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	rs, err := t.scanRows(rows, []*metadata.Field{f})
	out := make([]any, len(rs))
	for i, r := range rs {
		out[i] = r[0]
	}
	return out, err
}

// History implements record.Reader.
func (t *tx) History(ctx context.Context, obj *metadata.Object, id rapport.ID) ([]record.HistoryRow, error) {
	rows, err := t.q.QueryContext(ctx, "SELECT id, object, record_id, field, old_value, new_value, created_at, created_by FROM "+t.own("_history")+
		" WHERE record_id = "+t.ph(1)+" ORDER BY created_at, id", string(id))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []record.HistoryRow
	for rows.Next() {
		var h record.HistoryRow
		var id, rid, by string
		var oldV, newV sql.NullString
		var at any
		if err := rows.Scan(&id, &h.Object, &rid, &h.Field, &oldV, &newV, &at, &by); err != nil {
			return nil, err
		}
		h.ID, h.RecordID, h.CreatedBy = rapport.ID(id), rapport.ID(rid), rapport.ID(by)
		h.OldValue, h.NewValue = oldV.String, newV.String
		ts, err := t.db.b.Decode(metadata.StoreDateTime, at)
		if err != nil {
			return nil, err
		}
		h.CreatedAt, _ = ts.(time.Time)
		out = append(out, h)
	}
	return out, rows.Err()
}

// Bin implements record.Reader.
func (t *tx) Bin(ctx context.Context, roots []rapport.ID) ([]record.BinEntry, error) {
	q := "SELECT id, object, name, root, deleted_at, deleted_by FROM " + t.own("_bin")
	var args []any
	if roots != nil {
		if len(roots) == 0 {
			return nil, nil
		}
		q += " WHERE root IN (" + t.params(1, len(roots)) + ")"
		args = idArgs(roots)
	}
	q += " ORDER BY deleted_at DESC, id"
	rows, err := t.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []record.BinEntry
	for rows.Next() {
		var e record.BinEntry
		var id, root, by string
		var name sql.NullString
		var at any
		if err := rows.Scan(&id, &e.Object, &name, &root, &at, &by); err != nil {
			return nil, err
		}
		e.ID, e.Root, e.DeletedBy, e.Name = rapport.ID(id), rapport.ID(root), rapport.ID(by), name.String
		ts, err := t.db.b.Decode(metadata.StoreDateTime, at)
		if err != nil {
			return nil, err
		}
		e.DeletedAt, _ = ts.(time.Time)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Insert implements record.Tx: multi-row INSERTs, as many rows per statement
// as the backend's parameter limit allows.
func (t *tx) Insert(ctx context.Context, obj *metadata.Object, fields []*metadata.Field, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(fields)
	per := max(1, min(500, t.db.b.MaxParams()/n))
	head := "INSERT INTO " + t.table(obj) + " (" + columns(fields) + ") VALUES "
	var cached string
	cachedRows := -1
	err := chunk(len(rows), per, func(lo, hi int) error {
		if hi-lo != cachedRows {
			var b strings.Builder
			b.WriteString(head)
			p := 1
			for r := lo; r < hi; r++ {
				if r > lo {
					b.WriteString(", ")
				}
				b.WriteString("(")
				b.WriteString(t.params(p, n))
				b.WriteString(")")
				p += n
			}
			cached, cachedRows = b.String(), hi-lo
		}
		args := make([]any, 0, (hi-lo)*n)
		for _, row := range rows[lo:hi] {
			for i, f := range fields {
				args = append(args, t.db.b.Encode(f.Storage(), row[i]))
			}
		}
		if _, err := t.q.ExecContext(ctx, cached, args...); err != nil {
			return t.mapError(obj, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return t.indexInserted(ctx, obj, fields, rows)
}

// Update implements record.Tx.
func (t *tx) Update(ctx context.Context, obj *metadata.Object, id rapport.ID, fields []*metadata.Field, values []any) error {
	if len(fields) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("UPDATE " + t.table(obj) + " SET ")
	args := make([]any, 0, len(fields)+1)
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(f.Column) + " = " + t.ph(i+1))
		args = append(args, t.db.b.Encode(f.Storage(), values[i]))
	}
	b.WriteString(" WHERE id = " + t.ph(len(fields)+1))
	args = append(args, string(id))
	if _, err := t.q.ExecContext(ctx, b.String(), args...); err != nil {
		return t.mapError(obj, err)
	}
	return t.indexUpdated(ctx, obj, id, fields)
}

// SetDeleted implements record.Tx.
func (t *tx) SetDeleted(ctx context.Context, obj *metadata.Object, ids []rapport.ID, deleted bool, at time.Time, by rapport.ID) error {
	err := chunk(len(ids), t.db.b.MaxParams()/2, func(lo, hi int) error {
		args := []any{t.db.b.Encode(metadata.StoreBool, deleted), t.db.b.Encode(metadata.StoreDateTime, at)}
		set := "is_deleted = " + t.ph(1) + ", system_modstamp = " + t.ph(2)
		next := 3
		if !deleted {
			// Undelete counts as a modification, as in Salesforce.
			set += ", last_modified_date = " + t.ph(2) + ", last_modified_by_id = " + t.ph(3)
			args = append(args, string(by))
			next = 4
		}
		args = append(args, idArgs(ids[lo:hi])...)
		q := "UPDATE " + t.table(obj) + " SET " + set + " WHERE id IN (" + t.params(next, hi-lo) + ")"
		if _, err := t.q.ExecContext(ctx, q, args...); err != nil {
			return t.mapError(obj, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return t.indexDeleted(ctx, obj, ids, deleted)
}

// Delete implements record.Tx.
func (t *tx) Delete(ctx context.Context, obj *metadata.Object, ids []rapport.ID) error {
	err := chunk(len(ids), t.db.b.MaxParams()/2, func(lo, hi int) error {
		q := "DELETE FROM " + t.table(obj) + " WHERE id IN (" + t.params(1, hi-lo) + ")"
		_, err := t.q.ExecContext(ctx, q, idArgs(ids[lo:hi])...)
		return err
	})
	if err != nil {
		return err
	}
	return t.indexRemoved(ctx, obj, ids)
}

// Savepoint implements record.Tx.
func (t *tx) Savepoint(ctx context.Context, fn func() error) error {
	t.sp++
	name := "sp" + strconv.Itoa(t.sp)
	defer func() { t.sp-- }()
	if _, err := t.q.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := t.q.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return fmt.Errorf("roll back to savepoint: %w (after %w)", rerr, err)
		}
		t.q.ExecContext(ctx, "RELEASE SAVEPOINT "+name)
		return err
	}
	_, err := t.q.ExecContext(ctx, "RELEASE SAVEPOINT "+name)
	return err
}

// Next implements record.Tx.
func (t *tx) Next(ctx context.Context, counter string, start, n int64) (int64, error) {
	var last int64
	q := "INSERT INTO " + t.own("_counter") + " (name, value) VALUES (" + t.ph(1) + ", " + t.ph(2) + ") " +
		"ON CONFLICT (name) DO UPDATE SET value = " + t.own("_counter") + ".value + " + t.ph(3) + " RETURNING value"
	if err := t.q.QueryRowContext(ctx, q, counter, start+n-1, n).Scan(&last); err != nil {
		return 0, fmt.Errorf("counter %s: %w", counter, err)
	}
	return last - n + 1, nil
}

// AddHistory implements record.Tx.
func (t *tx) AddHistory(ctx context.Context, rows []record.HistoryRow) error {
	return t.insertRows(ctx, "_history", "id, object, record_id, field, old_value, new_value, created_at, created_by", len(rows), func(i int) []any {
		h := rows[i]
		return []any{string(h.ID), h.Object, string(h.RecordID), h.Field, nullString(h.OldValue), nullString(h.NewValue),
			t.db.b.Encode(metadata.StoreDateTime, h.CreatedAt), string(h.CreatedBy)}
	})
}

// insertRows inserts n rows into one of the namespace's own tables with
// multi-row INSERTs; row(i) gives the values of row i for cols.
func (t *tx) insertRows(ctx context.Context, table, cols string, n int, row func(i int) []any) error {
	width := strings.Count(cols, ",") + 1
	return chunk(n, t.db.b.MaxParams()/width, func(lo, hi int) error {
		var b strings.Builder
		b.WriteString("INSERT INTO " + t.own(table) + " (" + cols + ") VALUES ")
		args := make([]any, 0, (hi-lo)*width)
		for i := lo; i < hi; i++ {
			if i > lo {
				b.WriteString(", ")
			}
			b.WriteString("(" + t.params(len(args)+1, width) + ")")
			args = append(args, row(i)...)
		}
		_, err := t.q.ExecContext(ctx, b.String(), args...)
		return err
	})
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AddToBin implements record.Tx.
func (t *tx) AddToBin(ctx context.Context, entries []record.BinEntry) error {
	return t.insertRows(ctx, "_bin", "id, object, name, root, deleted_at, deleted_by", len(entries), func(i int) []any {
		e := entries[i]
		return []any{string(e.ID), e.Object, nullString(e.Name), string(e.Root), t.db.b.Encode(metadata.StoreDateTime, e.DeletedAt), string(e.DeletedBy)}
	})
}

// RemoveFromBin implements record.Tx.
func (t *tx) RemoveFromBin(ctx context.Context, ids []rapport.ID) error {
	return chunk(len(ids), t.db.b.MaxParams()/2, func(lo, hi int) error {
		args := idArgs(ids[lo:hi])
		if _, err := t.q.ExecContext(ctx, "DELETE FROM "+t.own("_bin")+" WHERE id IN ("+t.params(1, hi-lo)+")", args...); err != nil {
			return err
		}
		_, err := t.q.ExecContext(ctx, "DELETE FROM "+t.own("_cleared_ref")+" WHERE root IN ("+t.params(1, hi-lo)+")", args...)
		return err
	})
}

// AddClearedRefs implements record.Tx.
func (t *tx) AddClearedRefs(ctx context.Context, refs []record.ClearedRef) error {
	return t.insertRows(ctx, "_cleared_ref", "root, object, id, field, parent", len(refs), func(i int) []any {
		r := refs[i]
		return []any{string(r.Root), r.Object, string(r.ID), r.Field, string(r.Parent)}
	})
}

// TakeClearedRefs implements record.Tx.
func (t *tx) TakeClearedRefs(ctx context.Context, roots []rapport.ID) ([]record.ClearedRef, error) {
	if len(roots) == 0 {
		return nil, nil
	}
	args := idArgs(roots)
	rows, err := t.q.QueryContext(ctx, "SELECT root, object, id, field, parent FROM "+t.own("_cleared_ref")+" WHERE root IN ("+t.params(1, len(roots))+")", args...)
	if err != nil {
		return nil, err
	}
	var out []record.ClearedRef
	for rows.Next() {
		var r record.ClearedRef
		var root, id, parent string
		if err := rows.Scan(&root, &r.Object, &id, &r.Field, &parent); err != nil {
			rows.Close()
			return nil, err
		}
		r.Root, r.ID, r.Parent = rapport.ID(root), rapport.ID(id), rapport.ID(parent)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	_, err = t.q.ExecContext(ctx, "DELETE FROM "+t.own("_cleared_ref")+" WHERE root IN ("+t.params(1, len(roots))+")", args...)
	return out, err
}

// mapError turns a unique violation into DUPLICATE_VALUE naming the field.
func (t *tx) mapError(obj *metadata.Object, err error) error {
	name, ok := t.db.b.UniqueViolation(err)
	if !ok {
		return fmt.Errorf("write %s: %w", obj.Name, err)
	}
	for _, f := range obj.Fields {
		if f.Column != "" && (name == uniqueIndex(obj, f) || strings.HasSuffix(name, "."+f.Column) || name == f.Column) {
			return rapport.FieldErrorf(rapport.DuplicateValue, []string{f.Name}, "duplicate value found: %s duplicates value on another record", f.Name)
		}
	}
	return rapport.Errorf(rapport.DuplicateValue, "duplicate value found: %s", name)
}

package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// columnDef returns a field's column definition.
func (t *tx) columnDef(f *metadata.Field) string {
	def := quote(f.Column) + " " + t.db.b.ColumnType(f.Storage(), f.Precision, f.Scale)
	switch f.Column {
	case metadata.ColID:
		def += " PRIMARY KEY"
	case metadata.ColIsDeleted, metadata.ColCreatedDate, metadata.ColLastModifiedDate, metadata.ColSystemModstamp:
		def += " NOT NULL"
	}
	return def
}

// folded reports whether a text field's index and comparisons ignore case.
func folded(f *metadata.Field) bool {
	return f.Storage() == metadata.StoreText && !f.CaseSensitive
}

func uniqueIndex(obj *metadata.Object, f *metadata.Field) string {
	return obj.Table + "_" + f.Column + "_u"
}

// referenceIndex names the index of a reference field: the reference, then
// the creation date and Id, so that a record's related list, newest first,
// reads its first rows in order however many children the record has.
func referenceIndex(obj *metadata.Object, f *metadata.Field) string {
	return obj.Table + "_" + f.Column + "_rc"
}

// indexes returns the indexes a field needs, by name.
func (t *tx) indexes(obj *metadata.Object, f *metadata.Field) map[string]string {
	out := map[string]string{}
	if f.Deleted || !f.Stored() || f.Column == metadata.ColID {
		return out
	}
	tbl := t.table(obj)
	col := quote(f.Column)
	expr := col
	if folded(f) {
		expr = "lower(" + col + ")"
	}
	switch {
	case f.Unique:
		name := uniqueIndex(obj, f)
		out[name] = "CREATE UNIQUE INDEX " + quote(name) + " ON " + tbl + " (" + expr + ") WHERE NOT is_deleted"
	case f.ExternalID || f.NameField:
		// Lists sort by name with SOQL's default nulls-first order and the
		// Id as tiebreak: the index holds that order, so a sorted page can
		// stop after its rows.
		name := obj.Table + "_" + f.Column + "_x"
		out[name] = "CREATE INDEX " + quote(name) + " ON " + tbl + " (" + expr + t.db.b.NullsFirst() + ", " + quote(metadata.ColID) + ")"
	case f.Type.IsReference() && f.Column != metadata.ColCreatedByID && f.Column != metadata.ColLastModifiedByID:
		name := referenceIndex(obj, f)
		out[name] = "CREATE INDEX " + quote(name) + " ON " + tbl + " (" + col + ", " + quote(metadata.ColCreatedDate) + ", " + quote(metadata.ColID) + ")"
	}
	return out
}

func sortedValues(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

func (t *tx) exec(ctx context.Context, stmts ...string) error {
	for _, s := range stmts {
		if _, err := t.q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", firstWords(s), err)
		}
	}
	return nil
}

// CreateObject implements record.Tx.
func (t *tx) CreateObject(ctx context.Context, obj *metadata.Object) error {
	var cols []string
	idx := map[string]string{}
	for _, f := range obj.Fields {
		if !f.Stored() {
			continue
		}
		cols = append(cols, t.columnDef(f))
		for k, v := range t.indexes(obj, f) {
			idx[k] = v
		}
	}
	stmt := "CREATE TABLE " + t.table(obj) + " (" + strings.Join(cols, ", ") + ")"
	if err := t.exec(ctx, stmt); err != nil {
		return err
	}
	if err := t.exec(ctx, sortedValues(idx)...); err != nil {
		return err
	}
	if err := t.exec(ctx, t.nameIndexStats(idx)...); err != nil {
		return err
	}
	seq, err := t.Next(ctx, "seq:object", 1, 1)
	if err != nil {
		return err
	}
	def, err := objectJSON(obj)
	if err != nil {
		return err
	}
	_, err = t.q.ExecContext(ctx, "INSERT INTO "+t.own("_object")+" (table_name, name_lower, seq, def) VALUES ("+t.params(1, 4)+")",
		obj.Table, strings.ToLower(obj.Name), seq, def)
	if err != nil {
		if _, dup := t.db.b.UniqueViolation(err); dup {
			return rapport.FieldErrorf(rapport.DuplicateDeveloperName, []string{obj.Name}, "an object named %s already exists", obj.Name)
		}
		return err
	}
	return t.saveFields(ctx, obj)
}

func objectJSON(obj *metadata.Object) (string, error) {
	c := *obj
	c.Fields = nil
	b, err := json.Marshal(&c)
	return string(b), err
}

func (t *tx) saveFields(ctx context.Context, obj *metadata.Object) error {
	for _, f := range obj.Fields {
		if f.Column == "" {
			return fmt.Errorf("field %s.%s has no column", obj.Name, f.Name)
		}
	}
	// One multi-row upsert per 100 fields: org creation writes hundreds.
	return chunk(len(obj.Fields), 100, func(lo, hi int) error {
		var b strings.Builder
		b.WriteString("INSERT INTO " + t.own("_field") + " (table_name, column_name, seq, def) VALUES ")
		args := make([]any, 0, (hi-lo)*4)
		for i := lo; i < hi; i++ {
			f := obj.Fields[i]
			def, err := json.Marshal(f)
			if err != nil {
				return err
			}
			if i > lo {
				b.WriteString(", ")
			}
			b.WriteString("(" + t.params(len(args)+1, 4) + ")")
			args = append(args, obj.Table, f.Column, i, string(def))
		}
		b.WriteString(" ON CONFLICT (table_name, column_name) DO UPDATE SET seq = excluded.seq, def = excluded.def")
		if _, err := t.q.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("save fields of %s: %w", obj.Name, err)
		}
		return nil
	})
}

// SaveObject implements record.Tx.
func (t *tx) SaveObject(ctx context.Context, obj *metadata.Object) error {
	def, err := objectJSON(obj)
	if err != nil {
		return err
	}
	_, err = t.q.ExecContext(ctx, "UPDATE "+t.own("_object")+" SET name_lower = "+t.ph(1)+", def = "+t.ph(2)+" WHERE table_name = "+t.ph(3),
		strings.ToLower(obj.Name), def, obj.Table)
	if err != nil {
		if _, dup := t.db.b.UniqueViolation(err); dup {
			return rapport.FieldErrorf(rapport.DuplicateDeveloperName, []string{obj.Name}, "an object named %s already exists", obj.Name)
		}
		return err
	}
	return t.saveFields(ctx, obj)
}

// AddField implements record.Tx.
func (t *tx) AddField(ctx context.Context, obj *metadata.Object, f *metadata.Field) error {
	if f.Stored() {
		if err := t.exec(ctx, "ALTER TABLE "+t.table(obj)+" ADD COLUMN "+t.columnDef(f)); err != nil {
			return err
		}
		if err := t.createIndexes(ctx, obj, f, t.indexes(obj, f)); err != nil {
			return err
		}
	}
	return t.SaveObject(ctx, obj)
}

func (t *tx) createIndexes(ctx context.Context, obj *metadata.Object, f *metadata.Field, idx map[string]string) error {
	for _, stmt := range sortedValues(idx) {
		if _, err := t.q.ExecContext(ctx, stmt); err != nil {
			if _, dup := t.db.b.UniqueViolation(err); dup {
				return rapport.FieldErrorf(rapport.DuplicateValue, []string{f.Name}, "%s cannot be unique: some records share a value", f.Name)
			}
			return fmt.Errorf("%s: %w", firstWords(stmt), err)
		}
	}
	return t.exec(ctx, t.nameIndexStats(idx)...)
}

// nameIndexStats are the statements that give the sorted-name indexes
// among idx fuller statistics (Backend.IndexStatistics).
func (t *tx) nameIndexStats(idx map[string]string) []string {
	names := make([]string, 0, len(idx))
	for name := range idx {
		if strings.HasSuffix(name, "_x") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []string
	for _, name := range names {
		if stmt := t.db.b.IndexStatistics(t.ns.Prefix + quote(name)); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

func (t *tx) dropIndexes(ctx context.Context, idx map[string]string) error {
	for name := range idx {
		if err := t.exec(ctx, "DROP INDEX IF EXISTS "+t.ns.Prefix+quote(name)); err != nil {
			return err
		}
	}
	return nil
}

// ChangeField implements record.Tx.
func (t *tx) ChangeField(ctx context.Context, obj *metadata.Object, old, f *metadata.Field) error {
	before, after := t.indexes(obj, old), t.indexes(obj, f)
	gone, added := map[string]string{}, map[string]string{}
	for k, v := range before {
		if after[k] != v {
			gone[k] = v
		}
	}
	for k, v := range after {
		if before[k] != v {
			added[k] = v
		}
	}
	if err := t.dropIndexes(ctx, gone); err != nil {
		return err
	}
	os, ns := old.Storage(), f.Storage()
	if os != ns || (ns == metadata.StoreDecimal && (old.Precision != f.Precision || old.Scale != f.Scale)) {
		t.retyped = true
		if err := t.exec(ctx, t.db.b.AlterType(t.table(obj), quote(f.Column), os, ns, f.Precision, f.Scale)...); err != nil {
			return err
		}
	}
	if err := t.createIndexes(ctx, obj, f, added); err != nil {
		return err
	}
	return t.SaveObject(ctx, obj)
}

// DropField implements record.Tx.
func (t *tx) DropField(ctx context.Context, obj *metadata.Object, f *metadata.Field) error {
	live := *f
	live.Deleted = false
	if err := t.dropIndexes(ctx, t.indexes(obj, &live)); err != nil {
		return err
	}
	if f.Stored() {
		t.retyped = true
		if err := t.exec(ctx, "ALTER TABLE "+t.table(obj)+" DROP COLUMN "+quote(f.Column)); err != nil {
			return err
		}
	}
	_, err := t.q.ExecContext(ctx, "DELETE FROM "+t.own("_field")+" WHERE table_name = "+t.ph(1)+" AND column_name = "+t.ph(2), obj.Table, f.Column)
	if err != nil {
		return err
	}
	_, err = t.q.ExecContext(ctx, "DELETE FROM "+t.own("_history")+" WHERE object = "+t.ph(1)+" AND field = "+t.ph(2), obj.KeyPrefix, f.Column)
	return err
}

// DropObject implements record.Tx.
func (t *tx) DropObject(ctx context.Context, obj *metadata.Object) error {
	t.retyped = true
	if err := t.exec(ctx, "DROP TABLE "+t.table(obj)); err != nil {
		return err
	}
	for _, q := range []string{
		"DELETE FROM " + t.own("_field") + " WHERE table_name = " + t.ph(1),
		"DELETE FROM " + t.own("_object") + " WHERE table_name = " + t.ph(1),
	} {
		if _, err := t.q.ExecContext(ctx, q, obj.Table); err != nil {
			return err
		}
	}
	if err := t.unindexObject(ctx, obj); err != nil {
		return err
	}
	for _, q := range []string{
		"DELETE FROM " + t.own("_history") + " WHERE object = " + t.ph(1),
		"DELETE FROM " + t.own("_bin") + " WHERE object = " + t.ph(1),
		"DELETE FROM " + t.own("_cleared_ref") + " WHERE object = " + t.ph(1),
	} {
		if _, err := t.q.ExecContext(ctx, q, obj.KeyPrefix); err != nil {
			return err
		}
	}
	return nil
}

// BumpSchema implements record.Tx.
func (t *tx) BumpSchema(ctx context.Context) (int64, error) {
	var v int64
	err := t.q.QueryRowContext(ctx, "UPDATE "+t.own("_meta")+" SET value = value + 1 WHERE key = "+t.ph(1)+" RETURNING value", metaSchema).Scan(&v)
	return v, err
}

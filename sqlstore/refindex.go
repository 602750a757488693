package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// metaReferenceIndexes is the _meta key present while an org's reference
// fields still have the one-column indexes of layout versions before 5.
const metaReferenceIndexes = "reference_indexes"

// referenceIndexMigration marks an org for rebuildReferenceIndexes, which
// needs the org's metadata and so runs after the migrations.
func referenceIndexMigration(b Backend, p string) []string {
	return []string{"INSERT INTO " + p + "_meta (key, value) VALUES ('" + metaReferenceIndexes + "', 1)"}
}

// rebuildReferenceIndexes replaces the one-column index of every
// reference field with its index by reference, creation date and Id, in
// one transaction, if the org is marked for it.
func (db *DB) rebuildReferenceIndexes(ctx context.Context, org rapport.ID, ns *Namespace) error {
	n := 0
	return db.once(ctx, org, ns, metaReferenceIndexes, "reindex", func(t *tx, sch *metadata.Schema) error {
		for _, obj := range sch.AllObjects() {
			if obj.Deleted {
				continue
			}
			for _, f := range obj.Fields {
				if f.Deleted || !f.Type.IsReference() || !f.Stored() {
					continue
				}
				idx := t.indexes(obj, f)
				if _, ok := idx[referenceIndex(obj, f)]; !ok {
					continue
				}
				// A new org has its indexes already: they are made again.
				for _, name := range []string{obj.Table + "_" + f.Column + "_r", referenceIndex(obj, f)} {
					if err := t.exec(ctx, "DROP INDEX IF EXISTS "+t.ns.Prefix+quote(name)); err != nil {
						return err
					}
				}
				if err := t.exec(ctx, idx[referenceIndex(obj, f)]); err != nil {
					return err
				}
				n++
			}
		}
		db.log.InfoContext(ctx, "reference indexes rebuilt", "org_id", org, "indexes", n)
		return nil
	})
}

// once runs fn in one transaction, with the org's metadata, if the org is
// marked with the _meta key (a migration that needs the metadata marks
// it), and removes the mark with fn's writes.
func (db *DB) once(ctx context.Context, org rapport.ID, ns *Namespace, key, what string, fn func(t *tx, sch *metadata.Schema) error) error {
	var pending int64
	err := ns.Writer.QueryRowContext(ctx, "SELECT value FROM "+ns.Prefix+"_meta WHERE key = "+db.b.Placeholder(1), key).Scan(&pending)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s org %s: %w", what, org, err)
	}
	sch, err := db.LoadSchema(ctx, org)
	if err != nil {
		return fmt.Errorf("%s org %s: %w", what, org, err)
	}
	err = db.Write(ctx, org, func(rt record.Tx) error {
		t := rt.(*tx)
		if err := fn(t, sch); err != nil {
			return err
		}
		_, err := t.q.ExecContext(ctx, "DELETE FROM "+t.own("_meta")+" WHERE key = "+t.ph(1), key)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s org %s: %w", what, org, err)
	}
	return nil
}

// metaNameIndexStats is the _meta key present while an org's sorted-name
// indexes have the default statistics of layout versions before 7.
const metaNameIndexStats = "name_index_stats"

// nameStatsMigration marks an org for widenNameIndexStats.
func nameStatsMigration(b Backend, p string) []string {
	return []string{"INSERT INTO " + p + "_meta (key, value) VALUES ('" + metaNameIndexStats + "', 1)"}
}

// widenNameIndexStats gives an existing org's sorted-name indexes the
// statistics new ones get (Backend.IndexStatistics), if the org is marked
// for it; the next ANALYZE reads them.
func (db *DB) widenNameIndexStats(ctx context.Context, org rapport.ID, ns *Namespace) error {
	return db.once(ctx, org, ns, metaNameIndexStats, "widen statistics of", func(t *tx, sch *metadata.Schema) error {
		for _, obj := range sch.AllObjects() {
			if obj.Deleted {
				continue
			}
			for _, f := range obj.Fields {
				if err := t.exec(ctx, t.nameIndexStats(t.indexes(obj, f))...); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

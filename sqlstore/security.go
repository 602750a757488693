package sqlstore

import (
	"context"
	"fmt"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/security"
)

// securityTables creates the namespace tables of record access (see
// package security): flattened group membership and share rows.
func securityTables(b Backend, p string) []string {
	text := b.ColumnType(metadata.StoreText, 0, 0)
	return []string{
		"CREATE TABLE " + p + "_group_member (group_id " + text + " NOT NULL, user_id " + text + " NOT NULL, PRIMARY KEY (group_id, user_id))",
		"CREATE INDEX _group_member_user ON " + p + "_group_member (user_id, group_id)",
		"CREATE TABLE " + p + "_share (record_id " + text + " NOT NULL, group_id " + text + " NOT NULL, access INTEGER NOT NULL, cause " + text + " NOT NULL, PRIMARY KEY (record_id, group_id, cause))",
		"CREATE INDEX _share_group ON " + p + "_share (group_id)",
		"INSERT INTO " + p + "_meta (key, value) VALUES ('" + metaSecurity + "', 0)",
	}
}

// metaSecurity is the _meta key of the version of the org's security data.
const metaSecurity = "security_version"

// SecurityVersion implements record.Store.
func (db *DB) SecurityVersion(ctx context.Context, org rapport.ID) (int64, error) {
	ns, err := db.namespace(ctx, org)
	if err != nil {
		return 0, err
	}
	var v int64
	err = ns.Reader.QueryRowContext(ctx, "SELECT value FROM "+ns.Prefix+"_meta WHERE key = "+db.b.Placeholder(1), metaSecurity).Scan(&v)
	return v, err
}

// BumpSecurity implements record.Tx.
func (t *tx) BumpSecurity(ctx context.Context) (int64, error) {
	var v int64
	err := t.q.QueryRowContext(ctx, "UPDATE "+t.own("_meta")+" SET value = value + 1 WHERE key = "+t.ph(1)+" RETURNING value", metaSecurity).Scan(&v)
	return v, err
}

// SecurityVersionTx implements record.Reader.
func (t *tx) SecurityVersion(ctx context.Context) (int64, error) {
	var v int64
	err := t.q.QueryRowContext(ctx, "SELECT value FROM "+t.own("_meta")+" WHERE key = "+t.ph(1), metaSecurity).Scan(&v)
	return v, err
}

// Scan implements record.Reader: every live record of obj.
func (t *tx) Scan(ctx context.Context, obj *metadata.Object, fields []*metadata.Field, fn func([]any) error) error {
	rows, err := t.q.QueryContext(ctx, "SELECT "+columns(fields)+" FROM "+t.table(obj)+" WHERE NOT is_deleted")
	if err != nil {
		return fmt.Errorf("scan %s: %w", obj.Name, err)
	}
	rs, err := t.scanRows(rows, fields)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// sqlWriter binds a predicate's values into a statement.
type sqlWriter struct {
	t    *tx
	args []any
	base int
}

func (w *sqlWriter) Arg(v any) string {
	w.args = append(w.args, v)
	return w.t.ph(w.base + len(w.args))
}

func (w *sqlWriter) Table(name string) string { return w.t.ns.Prefix + quote(name) }

func (w *sqlWriter) InSet(expr, subquery string) string { return w.t.db.b.InSet(expr, subquery) }

// Filter implements record.Reader: the ids whose rows satisfy the
// condition cond writes.
func (t *tx) Filter(ctx context.Context, obj *metadata.Object, ids []rapport.ID, cond func(alias string, w security.SQL) string) ([]rapport.ID, error) {
	var out []rapport.ID
	err := chunk(len(ids), 1000, func(lo, hi int) error {
		w := &sqlWriter{t: t, base: hi - lo}
		c := cond("r", w)
		q := "SELECT r.id FROM " + t.table(obj) + " r WHERE r.id IN (" + t.params(1, hi-lo) + ")"
		if c != "" {
			q += " AND (" + c + ")"
		}
		args := append(idArgs(ids[lo:hi]), w.args...)
		rows, err := t.q.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("filter %s: %w", obj.Name, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out = append(out, rapport.ID(id))
		}
		return rows.Err()
	})
	return out, err
}

// ReplaceMembers implements record.Tx.
func (t *tx) ReplaceMembers(ctx context.Context, members []security.Member) error {
	if _, err := t.q.ExecContext(ctx, "DELETE FROM "+t.own("_group_member")); err != nil {
		return err
	}
	return t.insertRows(ctx, "_group_member", "group_id, user_id", len(members), func(i int) []any {
		return []any{members[i].Group, string(members[i].User)}
	})
}

// SetShare implements record.Tx: shares a record with a group at a level
// for a cause (None removes it).
func (t *tx) SetShare(ctx context.Context, recordID rapport.ID, group string, level security.Level, cause string) error {
	if _, err := t.q.ExecContext(ctx, "DELETE FROM "+t.own("_share")+" WHERE record_id = "+t.ph(1)+" AND group_id = "+t.ph(2)+" AND cause = "+t.ph(3),
		string(recordID), group, cause); err != nil {
		return err
	}
	if level == security.None {
		return nil
	}
	_, err := t.q.ExecContext(ctx, "INSERT INTO "+t.own("_share")+" (record_id, group_id, access, cause) VALUES ("+t.params(1, 4)+")",
		string(recordID), group, int(level), cause)
	return err
}

// ClearShares implements record.Tx: removes the shares of records for a
// cause ("" for every cause).
func (t *tx) ClearShares(ctx context.Context, ids []rapport.ID, cause string) error {
	return chunk(len(ids), 1000, func(lo, hi int) error {
		q := "DELETE FROM " + t.own("_share") + " WHERE record_id IN (" + t.params(1, hi-lo) + ")"
		args := idArgs(ids[lo:hi])
		if cause != "" {
			q += " AND cause = " + t.ph(hi-lo+1)
			args = append(args, cause)
		}
		_, err := t.q.ExecContext(ctx, q, args...)
		return err
	})
}

// Shares implements record.Reader.
func (t *tx) Shares(ctx context.Context, recordID rapport.ID) ([]security.Share, error) {
	rows, err := t.q.QueryContext(ctx, "SELECT group_id, access, cause FROM "+t.own("_share")+" WHERE record_id = "+t.ph(1)+" ORDER BY group_id, cause", string(recordID))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []security.Share
	for rows.Next() {
		var s security.Share
		var lvl int
		if err := rows.Scan(&s.Group, &lvl, &s.Cause); err != nil {
			return nil, err
		}
		s.Record, s.Level = recordID, security.Level(lvl)
		out = append(out, s)
	}
	return out, rows.Err()
}

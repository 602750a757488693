package sqlstore

import (
	"context"
	"fmt"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
)

// Summarize implements record.Tx: one UPDATE sets the summary column of the
// masters from an aggregate over their live details. The same statement
// runs on SQLite and PostgreSQL.
func (t *tx) Summarize(ctx context.Context, r record.Rollup, ids []rapport.ID) error {
	agg := "COUNT(*)"
	if r.Value != nil {
		v := "c." + quote(r.Value.Column)
		switch r.Op {
		case record.SummarySum:
			agg = "COALESCE(SUM(" + v + "), 0)"
		case record.SummaryMin:
			agg = "MIN(" + v + ")"
		case record.SummaryMax:
			agg = "MAX(" + v + ")"
		default:
			return fmt.Errorf("summarize %s.%s: unknown operation %q", r.Master.Name, r.Field.Name, r.Op)
		}
	}
	q := "UPDATE " + t.table(r.Master) + " AS m SET " + quote(r.Field.Column) + " = (SELECT " + agg +
		" FROM " + t.table(r.Child) + " c WHERE c." + quote(r.FK.Column) + " = m.id AND NOT c.is_deleted)"
	if ids == nil {
		if _, err := t.q.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("summarize %s.%s: %w", r.Master.Name, r.Field.Name, err)
		}
		return nil
	}
	return chunk(len(ids), t.db.b.MaxParams()/2, func(lo, hi int) error {
		if _, err := t.q.ExecContext(ctx, q+" WHERE m.id IN ("+t.params(1, hi-lo)+")", idArgs(ids[lo:hi])...); err != nil {
			return fmt.Errorf("summarize %s.%s: %w", r.Master.Name, r.Field.Name, err)
		}
		return nil
	})
}

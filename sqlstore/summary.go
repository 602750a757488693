package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
		" FROM " + t.table(r.Child) + " c WHERE c." + quote(r.FK.Column) + " = m.id AND NOT c.is_deleted" + rollupWhere(r) + ")"
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

// rollupWhere is the SQL of a standard roll-up's conditions.
func rollupWhere(r record.Rollup) string {
	var b strings.Builder
	for _, c := range r.Where {
		col := "c." + quote(c.Field.Column)
		switch c.Test {
		case record.CondSet:
			b.WriteString(" AND " + col + " IS NOT NULL")
		case record.CondUnset:
			b.WriteString(" AND " + col + " IS NULL")
		case record.CondTrue:
			b.WriteString(" AND " + col + " = TRUE")
		}
	}
	return b.String()
}

// AddToSummary implements record.Tx: one UPDATE a master, in ID order so
// that concurrent writers take their locks in the same order.
func (t *tx) AddToSummary(ctx context.Context, r record.Rollup, deltas map[rapport.ID]float64) error {
	ids := make([]rapport.ID, 0, len(deltas))
	for id := range deltas {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	col := quote(r.Field.Column)
	q := "UPDATE " + t.table(r.Master) + " SET " + col + " = COALESCE(" + col + ", 0) + " + t.params(1, 1) + " WHERE id = " + t.db.b.Placeholder(2)
	for _, id := range ids {
		if _, err := t.q.ExecContext(ctx, q, deltas[id], string(id)); err != nil {
			return fmt.Errorf("roll up %s.%s: %w", r.Master.Name, r.Field.Name, err)
		}
	}
	return nil
}

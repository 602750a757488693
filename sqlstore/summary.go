package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
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
	filters, args := t.rollupFilters(r)
	q := "UPDATE " + t.table(r.Master) + " AS m SET " + quote(r.Field.Column) + " = (SELECT " + agg +
		" FROM " + t.table(r.Child) + " c WHERE c." + quote(r.FK.Column) + " = m.id AND NOT c.is_deleted" + rollupWhere(r) + filters + ")"
	if ids == nil {
		if _, err := t.q.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("summarize %s.%s: %w", r.Master.Name, r.Field.Name, err)
		}
		return nil
	}
	return chunk(len(ids), t.db.b.MaxParams()/2, func(lo, hi int) error {
		stmt := q + " WHERE m.id IN (" + t.params(len(args)+1, hi-lo) + ")"
		if _, err := t.q.ExecContext(ctx, stmt, append(append([]any(nil), args...), idArgs(ids[lo:hi])...)...); err != nil {
			return fmt.Errorf("summarize %s.%s: %w", r.Master.Name, r.Field.Name, err)
		}
		return nil
	})
}

// rollupFilters is the SQL of a summary's filter criteria, with its
// arguments, numbered from 1. Text compares without regard to case, as
// Salesforce's filters do.
func (t *tx) rollupFilters(r record.Rollup) (string, []any) {
	ops := map[string]string{"equals": "=", "notEqual": "<>", "lessThan": "<", "greaterThan": ">", "lessOrEqual": "<=", "greaterOrEqual": ">="}
	var b strings.Builder
	var args []any
	for _, f := range r.Filters {
		col := "c." + quote(f.Field.Column)
		switch {
		case f.Value == nil && f.Op == "equals":
			b.WriteString(" AND " + col + " IS NULL")
		case f.Value == nil:
			b.WriteString(" AND " + col + " IS NOT NULL")
		default:
			args = append(args, t.db.b.Encode(f.Field.Storage(), f.Value))
			arg := t.ph(len(args))
			if f.Field.Storage() == metadata.StoreText && !f.Field.Type.IsReference() {
				col, arg = "lower("+col+")", "lower("+arg+")"
			}
			cond := col + " " + ops[f.Op] + " " + arg
			if f.Op == "notEqual" {
				// A blank field is not equal to a value.
				cond = "(" + cond + " OR c." + quote(f.Field.Column) + " IS NULL)"
			}
			b.WriteString(" AND " + cond)
		}
	}
	return b.String(), args
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
	q := "UPDATE " + t.table(r.Master) + " SET " + col + " = COALESCE(" + col + ", 0) + " + t.ph(1) + " WHERE id = " + t.ph(2)
	for _, id := range ids {
		if _, err := t.q.ExecContext(ctx, q, deltas[id], string(id)); err != nil {
			return fmt.Errorf("roll up %s.%s: %w", r.Master.Name, r.Field.Name, err)
		}
	}
	return nil
}

// metaRollups is the _meta key present while an org's standard roll-ups
// (a campaign's member and opportunity counts) and its campaign members'
// derived person have not been computed from its data: orgs of layout
// versions before 6.
const metaRollups = "standard_rollups"

// rollupMigration marks an org for recomputeRollups, which needs the org's
// metadata and so runs after the migrations.
func rollupMigration(b Backend, p string) []string {
	return []string{"INSERT INTO " + p + "_meta (key, value) VALUES ('" + metaRollups + "', 1)"}
}

// recomputeRollups computes the standard roll-ups of every record from its
// details, in one transaction, if the org is marked for it; from then on
// writes keep them.
func (db *DB) recomputeRollups(ctx context.Context, org rapport.ID, ns *Namespace) error {
	return db.once(ctx, org, ns, metaRollups, "roll up", func(t *tx, sch *metadata.Schema) error {
		rollups := record.StandardRollups(sch)
		for _, r := range rollups {
			if err := t.Summarize(ctx, r, nil); err != nil {
				return err
			}
		}
		// Campaign members written before Rapport derived their person.
		if cm := sch.Object("CampaignMember"); cm != nil {
			person, kind, contact, lead := cm.Field("LeadOrContactId"), cm.Field("Type"), cm.Field("ContactId"), cm.Field("LeadId")
			if person != nil && kind != nil && contact != nil && lead != nil {
				c, l := quote(contact.Column), quote(lead.Column)
				if err := t.exec(ctx, "UPDATE "+t.table(cm)+" SET "+quote(person.Column)+" = COALESCE("+c+", "+l+"), "+quote(kind.Column)+
					" = CASE WHEN "+c+" IS NOT NULL THEN 'Contact' WHEN "+l+" IS NOT NULL THEN 'Lead' END WHERE "+quote(person.Column)+" IS NULL"); err != nil {
					return err
				}
			}
		}
		db.log.InfoContext(ctx, "standard roll-ups computed", "org_id", org, "fields", len(rollups))
		return nil
	})
}

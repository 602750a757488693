package soql

import "fmt"

// The rules Parse enforces on a well-formed tree. They need no metadata; the
// binder checks the rest.

// maxSemiJoins is how many semi-joins and anti-joins one WHERE may hold.
const maxSemiJoins = 2

// maxFieldsLimit is the largest LIMIT that FIELDS(ALL) and FIELDS(CUSTOM)
// allow.
const maxFieldsLimit = 200

// check applies the rules to the top-level query.
func (p *parser) check(q *Query) {
	p.checkQuery(q, topQuery, nil)
}

func (p *parser) checkQuery(q *Query, kind queryKind, parent *Query) {
	p.checkSelect(q, kind)
	if q.Offset != nil && kind == childQuery && (parent.Limit == nil || parent.Limit.Value != 1) {
		p.error(q.Offset.ValuePos, "OFFSET in a subquery needs LIMIT 1 on the outer query", "")
	}

	// Semi-joins: at the top level of WHERE, at most two, not nested.
	var top []Cond
	switch w := q.Where.(type) {
	case *AndExpr:
		top = w.Conds
	case nil:
	default:
		top = []Cond{w}
	}
	joins := 0
	for _, c := range top {
		if in, ok := c.(*InExpr); ok && in.Sub != nil {
			joins++
			switch {
			case kind == semiJoinQuery:
				p.error(in.OpPos, "semi join sub-selects cannot be nested", "")
			case joins > maxSemiJoins:
				p.error(in.OpPos, fmt.Sprintf("a query can have at most %d semi join sub-selects", maxSemiJoins), "")
			}
			p.checkQuery(in.Sub, semiJoinQuery, q)
		}
	}
	p.checkNoSemiJoin(q.Where, top)
	p.checkNoSemiJoin(q.Having, nil)

	for _, item := range q.Fields {
		if sub, ok := item.(*SubQuery); ok {
			p.checkQuery(sub.Query, childQuery, q)
		}
	}
}

// checkSelect checks the SELECT list and what goes with it.
func (p *parser) checkSelect(q *Query, kind queryKind) {
	if kind == semiJoinQuery {
		if len(q.Fields) != 1 {
			p.error(q.Select, "a semi join sub-select must select exactly one field", "")
			return
		}
		if f, ok := q.Fields[0].(*FieldPath); !ok || f.Alias != nil {
			p.error(q.Fields[0].Pos(), "a semi join sub-select must select one ID or reference field", "")
		}
		return
	}
	aggregate := q.GroupBy != nil
	for _, item := range q.Fields {
		if f, ok := item.(*FuncCall); ok && f.IsAggregate() {
			aggregate = true
		}
	}
	for _, item := range q.Fields {
		switch x := item.(type) {
		case *FieldPath:
			if x.Alias != nil && !aggregate {
				p.error(x.Alias.NamePos, "only aggregate expressions use field aliasing", "")
			}
		case *FuncCall:
			if !isCountStar(x) {
				break
			}
			switch {
			case len(q.Fields) > 1:
				p.error(x.NamePos, "COUNT() cannot be selected with other fields", "")
			case q.GroupBy != nil:
				p.error(x.NamePos, "COUNT() cannot be used with GROUP BY; use COUNT(field)", "")
			case len(q.OrderBy) > 0:
				p.error(x.NamePos, "COUNT() cannot be used with ORDER BY", "")
			}
		case *Fields:
			if x.Set != FieldsStandard && (q.Limit == nil || q.Limit.Value > maxFieldsLimit) {
				p.error(x.FieldsPos, fmt.Sprintf("the SOQL FIELDS function must have a LIMIT of at most %d", maxFieldsLimit), "")
			}
		}
	}
}

// isCountStar reports whether f is COUNT().
func isCountStar(f *FuncCall) bool {
	return len(f.Args) == 0 && f.IsAggregate()
}

// checkNoSemiJoin reports semi-joins in c other than the allowed ones.
func (p *parser) checkNoSemiJoin(c Cond, allowed []Cond) {
	switch x := c.(type) {
	case *AndExpr:
		for _, c := range x.Conds {
			p.checkNoSemiJoin(c, allowed)
		}
	case *OrExpr:
		for _, c := range x.Conds {
			p.checkNoSemiJoin(c, nil)
		}
	case *NotExpr:
		p.checkNoSemiJoin(x.X, nil)
	case *InExpr:
		if x.Sub == nil {
			return
		}
		for _, a := range allowed {
			if a == c {
				return
			}
		}
		p.error(x.OpPos, "semi join sub-selects are only allowed at the top level WHERE expressions", "")
	}
}

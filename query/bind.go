package query

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/soql"
)

// Limits Salesforce sets on a query.
const (
	maxParentDepth   = 5  // levels of child-to-parent paths
	maxRelationships = 55 // child-to-parent relationships in a query
	maxSubqueries    = 20 // parent-to-child subqueries
	maxOffset        = 2000
	maxFieldsAllRows = 200 // LIMIT for FIELDS(ALL) and FIELDS(CUSTOM)
)

// env is what binding needs beyond the query: metadata, the principal's
// access, and the clock and calendar of date literals.
type env struct {
	ctx       context.Context
	src       string
	sch       *metadata.Schema
	access    Access
	now       time.Time // in the user's time zone
	fiscal    int       // fiscal year start month
	tz        string    // the user's IANA time zone, for convertTimezone()
	principal rapport.Principal
	alias     int // join alias counter, shared by nested plans
	rels      int
	subs      int
}

func (e *env) errAt(pos soql.Pos, code rapport.Code, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	se := soql.ErrorAt(e.src, pos, msg)
	return &rapport.Error{Code: code, Message: se.SalesforceMessage()}
}

func (e *env) nextAlias(prefix string) string {
	e.alias++
	return fmt.Sprintf("%s%d", prefix, e.alias)
}

func noSuchColumn(name string, obj *metadata.Object) string {
	return fmt.Sprintf("No such column '%s' on entity '%s'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.", name, obj.Name)
}

func noSuchType(name string) string {
	return fmt.Sprintf("sObject type '%s' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", name)
}

// bindQuery binds a top-level query.
func (e *env) bindQuery(q *soql.Query) (*plan, error) {
	obj := e.sch.Object(q.From.Object.Name)
	if obj == nil {
		return nil, e.errAt(q.From.Object.NamePos, rapport.InvalidType, "%s", noSuchType(q.From.Object.Name))
	}
	if err := e.access.CanRead(e.ctx, obj); err != nil {
		return nil, e.errAt(q.From.Object.NamePos, rapport.InvalidType, "%s", noSuchType(q.From.Object.Name))
	}
	return e.bindPlan(q, obj, "t", nil)
}

// bindPlan binds q over obj. tablePrefix names its aliases; fk is set for a
// child subquery (the child's lookup to the parent).
func (e *env) bindPlan(q *soql.Query, obj *metadata.Object, tablePrefix string, fk *metadata.Field) (*plan, error) {
	p := &plan{root: obj, limit: -1, offset: -1, allRows: q.AllRows}
	p.table = &join{alias: e.nextAlias(tablePrefix), target: obj}
	b := &binder{env: e, p: p, names: map[string]string{strings.ToLower(obj.Name): ""}}
	p.binder = b
	if q.From.Alias != nil {
		b.names[strings.ToLower(q.From.Alias.Name)] = ""
	}
	for _, w := range q.With {
		switch w.Kind {
		case soql.WithSecurityEnforced, soql.WithUserMode:
			p.secEnforced = true
		}
	}
	if q.Scope != nil {
		p.scope = strings.ToLower(q.Scope.Name)
		switch p.scope {
		case "everything", "mine", "team", "mine_and_my_groups", "delegated", "mru", "allprivate", "my_territory", "my_team_territory":
		default:
			return nil, e.errAt(q.Scope.NamePos, rapport.MalformedQuery, "Invalid scope: %s", q.Scope.Name)
		}
	}
	if q.Limit != nil {
		p.limit = q.Limit.Value
	}
	if q.Offset != nil {
		if q.Offset.Value > maxOffset {
			return nil, e.errAt(q.Offset.ValuePos, rapport.NumberOutsideValidRange, "Maximum SOQL offset allowed is %d", maxOffset)
		}
		p.offset = q.Offset.Value
	}
	if err := b.selectList(q); err != nil {
		return nil, err
	}
	var err error
	if q.Where != nil {
		if p.where, err = b.cond(q.Where, false); err != nil {
			return nil, err
		}
	}
	if q.GroupBy != nil {
		p.groupKind = q.GroupBy.Kind
		for _, g := range q.GroupBy.Items {
			x, err := b.operand(g, false)
			if err != nil {
				return nil, err
			}
			if x.kind().field != nil && !groupable(x.kind().field) {
				return nil, e.errAt(g.Pos(), rapport.MalformedQuery, "field '%s' can not be grouped in a query call", x.kind().field.Name)
			}
			p.groupBy = append(p.groupBy, x)
		}
	}
	if q.Having != nil {
		if p.having, err = b.cond(q.Having, true); err != nil {
			return nil, err
		}
	}
	for _, o := range q.OrderBy {
		x, err := b.operand(o.Expr, p.aggregate)
		if err != nil {
			return nil, err
		}
		if f := x.kind().field; f != nil && !sortable(f) {
			return nil, e.errAt(o.Expr.Pos(), rapport.MalformedQuery, "field '%s' can not be sorted in a query call", f.Name)
		}
		p.orderBy = append(p.orderBy, order{x: x, desc: o.Dir == soql.Desc, nullsFirst: o.Nulls != soql.NullsLast})
	}
	if p.aggregate {
		if err := b.checkGrouping(q); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func groupable(f *metadata.Field) bool {
	switch f.Type {
	case metadata.TypeLongTextArea, metadata.TypeHTML, metadata.TypeMultiPicklist, metadata.TypeTextArea:
		return false
	}
	return f.Storage() != metadata.StoreDecimal || f.Scale == 0
}

func sortable(f *metadata.Field) bool {
	switch f.Type {
	case metadata.TypeLongTextArea, metadata.TypeHTML, metadata.TypeMultiPicklist:
		return false
	}
	return true
}

func filterable(f *metadata.Field) bool {
	switch f.Type {
	case metadata.TypeLongTextArea, metadata.TypeHTML:
		return false
	}
	return true
}

// binder binds one plan.
type binder struct {
	*env
	p *plan
	// names holds the lower-cased object name and alias that may start a
	// path.
	names map[string]string
	// joinByKey finds joins already made, by path.
	joinByKey map[string]*join
}

// field resolves a field path to a fieldRef, making the joins it needs.
// forSelect allows relationship paths to be shaped as nested records.
func (b *binder) field(fp *soql.FieldPath) (*fieldRef, error) {
	segs := fp.Segments
	if len(segs) > 1 {
		if _, ok := b.names[strings.ToLower(segs[0])]; ok && b.p.root.FieldByRelationship(segs[0]) == nil {
			segs = segs[1:]
		}
	}
	if len(segs)-1 > maxParentDepth {
		return nil, b.errAt(fp.NamePos, rapport.MalformedQuery, "relationship %s is nested more than %d levels", strings.Join(fp.Segments, "."), maxParentDepth)
	}
	cands := []cand{{j: b.p.table, f: nil}}
	key := ""
	for i, seg := range segs {
		last := i == len(segs)-1
		var next []cand
		for _, c := range cands {
			obj := c.j.target
			if last {
				f := obj.Field(seg)
				if f == nil && strings.EqualFold(seg, "Type") && len(cands) > 1 {
					return &fieldRef{cands: cands, typeOf: true}, nil
				}
				if f == nil || !b.access.FieldReadable(b.ctx, obj, f) {
					if len(cands) > 1 {
						continue // a field only some targets have
					}
					return nil, b.errAt(fp.NamePos, rapport.InvalidField, "%s", noSuchColumn(strings.Join(fp.Segments, "."), b.p.root))
				}
				next = append(next, cand{j: c.j, f: f})
				continue
			}
			rel := obj.FieldByRelationship(seg)
			if rel == nil || !b.access.FieldReadable(b.ctx, obj, rel) {
				if len(cands) > 1 {
					continue
				}
				return nil, b.errAt(fp.NamePos, rapport.InvalidField, "Didn't understand relationship '%s' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.", seg)
			}
			for _, target := range rel.ReferenceTo {
				tobj := b.sch.Object(target)
				if tobj == nil || b.access.CanRead(b.ctx, tobj) != nil {
					continue
				}
				next = append(next, cand{j: b.join(key+"."+strings.ToLower(seg), c.j, rel, tobj)})
			}
		}
		if len(next) == 0 {
			return nil, b.errAt(fp.NamePos, rapport.InvalidField, "%s", noSuchColumn(strings.Join(fp.Segments, "."), b.p.root))
		}
		cands = next
		key += "." + strings.ToLower(seg)
	}
	return &fieldRef{cands: cands, field: cands[0].f}, nil
}

// join returns the join for a path, making it on first use.
func (b *binder) join(key string, from *join, f *metadata.Field, target *metadata.Object) *join {
	if b.joinByKey == nil {
		b.joinByKey = map[string]*join{}
	}
	key += "|" + target.Name
	if j := b.joinByKey[key]; j != nil {
		return j
	}
	b.rels++
	j := &join{alias: b.nextAlias("j"), from: from, field: f, target: target}
	b.joinByKey[key] = j
	b.p.joins = append(b.p.joins, j)
	return j
}

// operand binds a field path or function call.
func (b *binder) operand(x soql.Expr, aggregates bool) (operand, error) {
	switch x := x.(type) {
	case *soql.FieldPath:
		return b.field(x)
	case *soql.FuncCall:
		return b.call(x, aggregates)
	}
	return nil, b.errAt(x.Pos(), rapport.MalformedQuery, "unexpected token: %s", x.String())
}

func (b *binder) call(fc *soql.FuncCall, aggregates bool) (operand, error) {
	name := strings.ToUpper(fc.Name)
	if isAggregate(name) && !aggregates {
		return nil, b.errAt(fc.NamePos, rapport.MalformedQuery, "aggregate function %s can be used only in SELECT, HAVING and ORDER BY of an aggregate query", name)
	}
	c := &call{name: name}
	if len(fc.Args) == 0 {
		if name != "COUNT" {
			return nil, b.errAt(fc.NamePos, rapport.MalformedQuery, "%s needs an argument", name)
		}
		c.out = valueKind{storage: metadata.StoreDecimal, count: true}
		return c, nil
	}
	if len(fc.Args) != 1 && name != "DISTANCE" {
		return nil, b.errAt(fc.NamePos, rapport.MalformedQuery, "%s takes one argument", name)
	}
	arg := fc.Args[0]
	if inner, ok := arg.(*soql.FuncCall); ok && strings.EqualFold(inner.Name, "convertTimezone") {
		if len(inner.Args) != 1 {
			return nil, b.errAt(inner.NamePos, rapport.MalformedQuery, "convertTimezone takes one argument")
		}
		c.tz = true
		arg = inner.Args[0]
	}
	fp, ok := arg.(*soql.FieldPath)
	if !ok {
		return nil, b.errAt(arg.Pos(), rapport.MalformedQuery, "%s takes a field", name)
	}
	ref, err := b.field(fp)
	if err != nil {
		return nil, err
	}
	c.arg = ref
	k := ref.kind()
	switch name {
	case "COUNT", "COUNT_DISTINCT":
		c.out = valueKind{storage: metadata.StoreDecimal, count: true}
	case "SUM", "AVG":
		if k.storage != metadata.StoreDecimal {
			return nil, b.errAt(fp.NamePos, rapport.MalformedQuery, "field %s does not support aggregate operator %s", fp.String(), name)
		}
		c.out = valueKind{storage: metadata.StoreDecimal, field: k.field}
	case "MIN", "MAX":
		if k.storage == metadata.StoreBool || (k.field != nil && !sortable(k.field)) {
			return nil, b.errAt(fp.NamePos, rapport.MalformedQuery, "field %s does not support aggregate operator %s", fp.String(), name)
		}
		c.out = k
	case "CALENDAR_YEAR", "CALENDAR_QUARTER", "CALENDAR_MONTH", "DAY_IN_MONTH", "DAY_IN_WEEK", "DAY_IN_YEAR",
		"WEEK_IN_MONTH", "WEEK_IN_YEAR", "FISCAL_YEAR", "FISCAL_QUARTER", "FISCAL_MONTH", "HOUR_IN_DAY", "DAY_ONLY":
		if k.storage != metadata.StoreDate && k.storage != metadata.StoreDateTime {
			return nil, b.errAt(fp.NamePos, rapport.MalformedQuery, "%s can only be used with date and datetime fields", name)
		}
		if (name == "HOUR_IN_DAY" || name == "DAY_ONLY") && k.storage != metadata.StoreDateTime {
			return nil, b.errAt(fp.NamePos, rapport.MalformedQuery, "%s can only be used with datetime fields", name)
		}
		c.out = valueKind{storage: metadata.StoreDecimal, count: true}
		if name == "DAY_ONLY" {
			c.out = valueKind{storage: metadata.StoreDate}
		}
	case "TOLABEL", "FORMAT", "CONVERTCURRENCY":
		c.out = k
	case "GROUPING":
		c.out = valueKind{storage: metadata.StoreDecimal, count: true}
	default:
		return nil, b.errAt(fc.NamePos, rapport.MalformedQuery, "unknown function %s", fc.Name)
	}
	return c, nil
}

// checkGrouping checks that an aggregate query selects only grouped fields
// and aggregates.
func (b *binder) checkGrouping(q *soql.Query) error {
	grouped := map[string]bool{}
	if q.GroupBy != nil {
		for _, g := range q.GroupBy.Items {
			grouped[strings.ToLower(g.String())] = true
		}
	}
	for _, it := range q.Fields {
		switch x := it.(type) {
		case *soql.FieldPath:
			if !grouped[strings.ToLower((&soql.FieldPath{Segments: x.Segments}).String())] {
				return b.errAt(x.NamePos, rapport.MalformedQuery, "Field must be grouped or aggregated: %s", x.Segments[len(x.Segments)-1])
			}
		case *soql.FuncCall:
			if !x.IsAggregate() && !strings.EqualFold(x.Name, "GROUPING") {
				c := *x
				c.Alias = nil
				if !grouped[strings.ToLower(c.String())] {
					return b.errAt(x.NamePos, rapport.MalformedQuery, "Field must be grouped or aggregated: %s", c.String())
				}
			}
		}
	}
	return nil
}

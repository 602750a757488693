package query

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/soql"
)

// quote quotes an identifier taken from metadata.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// sqlString quotes a string constant taken from metadata (object names).
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// refSQL is the SQL of a field reference.
func refSQL(r *fieldRef) string {
	if r.typeOf {
		var b strings.Builder
		b.WriteString("CASE")
		for _, c := range r.cands {
			fmt.Fprintf(&b, " WHEN %s.%s IS NOT NULL THEN %s", c.j.alias, quote(metadata.ColID), sqlString(c.j.target.Name))
		}
		b.WriteString(" END")
		return b.String()
	}
	exprs := make([]string, len(r.cands))
	for i, c := range r.cands {
		exprs[i] = c.j.alias + "." + quote(c.f.Column)
	}
	return coalesce(exprs)
}

// A compiler writes one SQL statement, collecting its arguments.
type compiler struct {
	d      Dialect
	prefix string // the org's table qualifier
	env    *env
	args   []any
	// grouping, when set, replaces GROUPING(x) and grouped columns absent
	// from the current grouping set (SQLite's ROLLUP and CUBE).
	absent map[string]bool
	// err is the first error of the access layer while writing.
	err error
}

// sqlWriter lets the access layer bind values and name tables.
type sqlWriter struct{ c *compiler }

func (w sqlWriter) Arg(v any) string {
	w.c.args = append(w.c.args, v)
	return w.c.d.Placeholder(len(w.c.args))
}

func (w sqlWriter) Table(name string) string { return w.c.d.Table(w.c.prefix, name) }

func (w sqlWriter) InSet(expr, subquery string) string { return w.c.d.InSet(expr, subquery) }

func (c *compiler) arg(st metadata.Storage, v any) string {
	c.args = append(c.args, c.d.Encode(st, v))
	return c.d.Placeholder(len(c.args))
}

func (c *compiler) table(o *metadata.Object) string { return c.d.Table(c.prefix, o.Table) }

// isText reports whether values of k compare case-insensitively.
func isText(k valueKind) bool { return k.storage == metadata.StoreText }

// operand writes the SQL of an operand.
func (c *compiler) operand(op operand) string {
	switch x := op.(type) {
	case *fieldRef:
		return refSQL(x)
	case *call:
		return c.call(x)
	}
	panic(fmt.Sprintf("query: unknown operand %T", op))
}

func (c *compiler) call(x *call) string {
	if x.arg == nil {
		return "count(*)"
	}
	a := c.operand(x.arg)
	if c.absent != nil {
		if x.name == "GROUPING" {
			if c.absent[a] {
				return "1"
			}
			return "0"
		}
	}
	if x.tz {
		// The zone is the user's setting, checked by time.LoadLocation, not
		// query text; as a constant it keeps GROUP BY expressions equal to
		// the SELECT ones.
		a = c.d.InTimeZone(a, sqlString(c.env.tz))
	}
	part := func(p string) string { return c.d.DatePart(p, a) }
	m := c.env.fiscal
	fiscalMonth := fmt.Sprintf("((%s + %d) %% 12 + 1)", part("month"), 11-(m-1))
	switch x.name {
	case "COUNT":
		return "count(" + a + ")"
	case "COUNT_DISTINCT":
		return "count(DISTINCT " + a + ")"
	case "SUM":
		return "sum(" + a + ")"
	case "AVG":
		return "avg(" + a + ")"
	case "MIN":
		return "min(" + a + ")"
	case "MAX":
		return "max(" + a + ")"
	case "GROUPING":
		return "GROUPING(" + a + ")"
	case "CALENDAR_YEAR":
		return part("year")
	case "CALENDAR_QUARTER":
		return "((" + part("month") + " - 1) / 3 + 1)"
	case "CALENDAR_MONTH":
		return part("month")
	case "DAY_IN_MONTH":
		return part("day")
	case "DAY_IN_WEEK":
		return "(" + part("dow") + " + 1)"
	case "DAY_IN_YEAR":
		return part("doy")
	case "HOUR_IN_DAY":
		return part("hour")
	case "WEEK_IN_MONTH":
		return "((" + part("day") + " - 1) / 7 + 1)"
	case "WEEK_IN_YEAR":
		return "((" + part("doy") + " - 1) / 7 + 1)"
	case "FISCAL_MONTH":
		return fiscalMonth
	case "FISCAL_QUARTER":
		return "((" + fiscalMonth + " - 1) / 3 + 1)"
	case "FISCAL_YEAR":
		if m == 1 {
			return part("year")
		}
		return fmt.Sprintf("(%s + CASE WHEN %s >= %d THEN 1 ELSE 0 END)", part("year"), part("month"), m)
	case "DAY_ONLY":
		return c.d.DateOnly(a)
	default: // TOLABEL, FORMAT, CONVERTCURRENCY shape values after the query
		return a
	}
}

var cmpOps = map[soql.Token]string{soql.EQ: "=", soql.NEQ: "<>", soql.LT: "<", soql.LE: "<=", soql.GT: ">", soql.GE: ">="}

// cond writes a condition. With neg set it writes the condition's negation,
// pushed down to the leaves, so that SOQL's two-valued logic holds: a null
// value fails every comparison but !=, and NOT of a failed comparison
// succeeds.
func (c *compiler) cond(x cond, neg bool) string {
	switch x := x.(type) {
	case *andCond:
		return c.junction(x.conds, neg, " AND ", " OR ")
	case *orCond:
		return c.junction(x.conds, neg, " OR ", " AND ")
	case *notCond:
		return c.cond(x.x, !neg)
	case *cmpCond:
		return c.cmp(x, neg)
	case *inCond:
		return c.in(x, neg)
	case *likeCond:
		left := c.operand(x.left)
		p := "lower(" + left + ") LIKE " + c.arg(metadata.StoreText, x.pattern) + ` ESCAPE '\'`
		return nullSafe(left, p, neg != x.not)
	case *includesCond:
		left := c.operand(x.left)
		var sets []string
		for _, set := range x.sets {
			var all []string
			for _, v := range set {
				pat := "%;" + escapeLike(strings.ToLower(v)) + ";%"
				all = append(all, "(';' || lower("+left+") || ';') LIKE "+c.arg(metadata.StoreText, pat)+` ESCAPE '\'`)
			}
			sets = append(sets, "("+strings.Join(all, " AND ")+")")
		}
		p := "(" + strings.Join(sets, " OR ") + ")"
		return nullSafe(left, p, neg != x.excludes)
	}
	panic(fmt.Sprintf("query: unknown condition %T", x))
}

func (c *compiler) junction(conds []cond, neg bool, op, negOp string) string {
	parts := make([]string, len(conds))
	for i, x := range conds {
		parts[i] = c.cond(x, neg)
	}
	if neg {
		op = negOp
	}
	return "(" + strings.Join(parts, op) + ")"
}

// nullSafe writes a leaf p that is null when left is null, or its negation,
// which holds for null values.
func nullSafe(left, p string, neg bool) string {
	if !neg {
		return p
	}
	return "(" + left + " IS NULL OR NOT (" + p + "))"
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

func (c *compiler) value(k valueKind, v any) string {
	if s, ok := v.(string); ok && isText(k) {
		v = strings.ToLower(s)
	}
	return c.arg(k.storage, v)
}

func (c *compiler) cmp(x *cmpCond, neg bool) string {
	left := c.operand(x.left)
	k := x.left.kind()
	if x.value == nil {
		isNull := x.op == soql.EQ
		if neg {
			isNull = !isNull
		}
		if isNull {
			return left + " IS NULL"
		}
		return left + " IS NOT NULL"
	}
	if sp, ok := x.value.(*span); ok {
		return c.spanCmp(left, k, x.op, sp, neg)
	}
	l := left
	if isText(k) {
		l = "lower(" + left + ")"
	}
	v := c.value(k, x.value)
	if x.op == soql.NEQ {
		p := "(" + left + " IS NULL OR " + l + " <> " + v + ")"
		if neg {
			return "(" + l + " = " + v + ")"
		}
		return p
	}
	return nullSafe(left, l+" "+cmpOps[x.op]+" "+v, neg)
}

// spanCmp compares with a relative date range.
func (c *compiler) spanCmp(left string, k valueKind, op soql.Token, sp *span, neg bool) string {
	bound := func(t time.Time) string {
		if k.storage == metadata.StoreDate {
			return c.arg(metadata.StoreDate, t.Format("2006-01-02"))
		}
		return c.arg(metadata.StoreDateTime, t.UTC())
	}
	var p string
	switch op {
	case soql.EQ:
		p = "(" + left + " >= " + bound(sp.from) + " AND " + left + " < " + bound(sp.to) + ")"
	case soql.NEQ:
		p = "(" + left + " < " + bound(sp.from) + " OR " + left + " >= " + bound(sp.to) + ")"
		if neg {
			return "NOT (" + p + ")"
		}
		return "(" + left + " IS NULL OR " + p + ")"
	case soql.LT:
		p = left + " < " + bound(sp.from)
	case soql.LE:
		p = left + " < " + bound(sp.to)
	case soql.GT:
		p = left + " >= " + bound(sp.to)
	case soql.GE:
		p = left + " >= " + bound(sp.from)
	}
	return nullSafe(left, p, neg)
}

func (c *compiler) in(x *inCond, neg bool) string {
	left := c.operand(x.left)
	not := x.not != neg
	if x.sub != nil {
		sub := c.semiJoin(x.sub)
		if not {
			return "(" + left + " IS NULL OR " + left + " NOT IN (" + sub + "))"
		}
		return left + " IN (" + sub + ")"
	}
	k := x.left.kind()
	l := left
	if isText(k) {
		l = "lower(" + left + ")"
	}
	var vals []string
	hasNull := false
	for _, v := range x.values {
		if v == nil {
			hasNull = true
			continue
		}
		vals = append(vals, c.value(k, v))
	}
	var p string
	switch {
	case len(vals) == 0 && hasNull:
		p = left + " IS NULL"
		if not {
			return left + " IS NOT NULL"
		}
		return p
	case len(vals) == 0:
		p = "1 = 0"
	default:
		p = l + " IN (" + strings.Join(vals, ", ") + ")"
	}
	if not {
		if hasNull {
			return "(" + left + " IS NOT NULL AND NOT (" + p + "))"
		}
		return "(" + left + " IS NULL OR NOT (" + p + "))"
	}
	if hasNull {
		return "(" + p + " OR " + left + " IS NULL)"
	}
	return p
}

// semiJoin writes the subquery of a semi-join or anti-join.
func (c *compiler) semiJoin(s *semiJoin) string {
	col := refSQL(s.field)
	var b strings.Builder
	b.WriteString("SELECT " + col)
	c.from(&b, s.p)
	c.where(&b, s.p, col+" IS NOT NULL")
	return b.String()
}

// from writes FROM and the parent joins.
func (c *compiler) from(b *strings.Builder, p *plan) {
	b.WriteString(" FROM " + c.table(p.root) + " " + p.table.alias)
	for _, j := range p.joins {
		fmt.Fprintf(b, " LEFT JOIN %s %s ON %s.%s = %s.%s", c.table(j.target), j.alias, j.alias, quote(metadata.ColID), j.from.alias, quote(j.field.Column))
	}
}

// where writes the WHERE clause: the recycle bin, the scope, row access and
// the query's own condition, and extra conditions.
func (c *compiler) where(b *strings.Builder, p *plan, extra ...string) {
	var conds []string
	t := p.table.alias
	if !p.allRows {
		conds = append(conds, "NOT "+t+"."+quote(metadata.ColIsDeleted))
	}
	if pred := c.scope(p); pred != "" {
		conds = append(conds, pred)
	}
	if pred, err := c.env.access.Rows(c.env.ctx, p.root, t, sqlWriter{c}); err != nil {
		c.err = err
	} else if pred != "" {
		conds = append(conds, "("+pred+")")
	}
	if p.where != nil {
		conds = append(conds, c.cond(p.where, false))
	}
	conds = append(conds, extra...)
	if len(conds) > 0 {
		b.WriteString(" WHERE " + strings.Join(conds, " AND "))
	}
}

// scope writes the USING SCOPE filter.
func (c *compiler) scope(p *plan) string {
	owner := p.root.Field(metadata.FieldOwnerID)
	if owner == nil {
		return ""
	}
	me := c.env.principal.UserID
	col := p.table.alias + "." + quote(owner.Column)
	switch p.scope {
	case "mine", "mine_and_my_groups", "delegated":
		return col + " = " + c.arg(metadata.StoreID, me)
	case "team":
		users := c.env.sch.Object("User")
		mgr := users.Field("ManagerId")
		if mgr == nil {
			return col + " = " + c.arg(metadata.StoreID, me)
		}
		return "(" + col + " = " + c.arg(metadata.StoreID, me) + " OR " + col + " IN (SELECT " + quote(metadata.ColID) + " FROM " + c.table(users) +
			" WHERE " + quote(mgr.Column) + " = " + c.arg(metadata.StoreID, me) + "))"
	}
	return ""
}

// orderBy writes ORDER BY; tiebreak adds the record's Id so that pages are
// stable.
func (c *compiler) orderBy(b *strings.Builder, p *plan, tiebreak bool) {
	var items []string
	byID := false // the order ends with the Id, which no two rows share
	for _, o := range p.orderBy {
		e := c.operand(o.x)
		if k := o.x.kind(); isText(k) {
			e = "lower(" + e + ")"
		}
		dir := " ASC"
		if o.desc {
			dir = " DESC"
		}
		// A column that is never null needs no NULLS clause, and without
		// one SQLite can read an index in order (its nulls sort low).
		nulls := " NULLS FIRST"
		if !o.nullsFirst {
			nulls = " NULLS LAST"
		}
		col, notNull := rootColumn(o.x, p.table)
		if notNull {
			nulls = ""
		}
		byID = col == metadata.ColID
		items = append(items, e+dir+nulls)
	}
	if tiebreak && !byID {
		items = append(items, p.table.alias+"."+quote(metadata.ColID))
	}
	if len(items) > 0 {
		b.WriteString(" ORDER BY " + strings.Join(items, ", "))
	}
}

// rootColumn returns the column an order operand reads if it is one of the
// root table's system columns, which are never null.
func rootColumn(x operand, root *join) (string, bool) {
	r, ok := x.(*fieldRef)
	if !ok || r.typeOf || len(r.cands) != 1 || r.cands[0].j != root {
		return "", false
	}
	switch col := r.cands[0].f.Column; col {
	case metadata.ColID, metadata.ColCreatedDate, metadata.ColCreatedByID, metadata.ColLastModifiedDate,
		metadata.ColLastModifiedByID, metadata.ColSystemModstamp, metadata.ColIsDeleted, metadata.ColOwnerID:
		return col, true
	}
	return "", false
}

func (c *compiler) limit(b *strings.Builder, limit, offset int64) {
	if limit >= 0 {
		b.WriteString(" LIMIT " + c.arg(metadata.StoreDecimal, limit))
	} else if offset > 0 {
		b.WriteString(" LIMIT " + c.arg(metadata.StoreDecimal, int64(1)<<62))
	}
	if offset > 0 {
		b.WriteString(" OFFSET " + c.arg(metadata.StoreDecimal, offset))
	}
}

func selectCols(cols []column) string {
	parts := make([]string, len(cols))
	for i, col := range cols {
		parts[i] = col.expr
	}
	return strings.Join(parts, ", ")
}

// records writes a record query: its columns, from the first row after
// offset, at most limit rows (-1: no limit).
func (c *compiler) records(p *plan, limit, offset int64) string {
	var b strings.Builder
	b.WriteString("SELECT " + selectCols(p.cols))
	c.from(&b, p)
	c.where(&b, p)
	c.orderBy(&b, p, true)
	c.limit(&b, limit, offset)
	return b.String()
}

// ids writes the query of the Ids of all the rows, in order, for paging.
func (c *compiler) ids(p *plan) string {
	var b strings.Builder
	b.WriteString("SELECT " + p.table.alias + "." + quote(metadata.ColID))
	c.from(&b, p)
	c.where(&b, p)
	c.orderBy(&b, p, true)
	c.limit(&b, p.limit, p.offset)
	return b.String()
}

// byIDs writes the query of the rows with the given Ids.
func (c *compiler) byIDs(p *plan, ids []rapport.ID) string {
	var b strings.Builder
	b.WriteString("SELECT " + selectCols(p.cols))
	c.from(&b, p)
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = c.arg(metadata.StoreID, id)
	}
	b.WriteString(" WHERE " + p.table.alias + "." + quote(metadata.ColID) + " IN (" + strings.Join(marks, ", ") + ")")
	return b.String()
}

// count writes SELECT count(*) for COUNT() queries and totals.
func (c *compiler) count(p *plan) string {
	var b strings.Builder
	b.WriteString("SELECT count(*)")
	c.from(&b, p)
	c.where(&b, p)
	return b.String()
}

// children writes the query of a child subquery for some parents: the
// child's columns and, last, its lookup to the parent.
func (c *compiler) children(cp *childPlan, parents []rapport.ID) string {
	p := cp.p
	fk := p.table.alias + "." + quote(cp.fk.Column)
	marks := make([]string, len(parents))
	for i, id := range parents {
		marks[i] = c.arg(metadata.StoreID, id)
	}
	in := fk + " IN (" + strings.Join(marks, ", ") + ")"
	var b strings.Builder
	if p.limit < 0 && p.offset <= 0 {
		b.WriteString("SELECT " + selectCols(p.cols) + ", " + fk)
		c.from(&b, p)
		c.where(&b, p, in)
		c.orderBy(&b, p, true)
		return b.String()
	}
	// Per-parent LIMIT and OFFSET: number each parent's children.
	var inner strings.Builder
	c.orderBy(&inner, p, true)
	b.WriteString("SELECT * FROM (SELECT " + selectCols(p.cols) + ", " + fk + ", ROW_NUMBER() OVER (PARTITION BY " + fk + inner.String() + ") AS rn")
	c.from(&b, p)
	c.where(&b, p, in)
	b.WriteString(") AS numbered WHERE rn > " + c.arg(metadata.StoreDecimal, max(p.offset, 0)))
	if p.limit >= 0 {
		b.WriteString(" AND rn <= " + c.arg(metadata.StoreDecimal, max(p.offset, 0)+p.limit))
	}
	b.WriteString(" ORDER BY rn")
	return b.String()
}

// aggregate writes an aggregate query.
func (c *compiler) aggregate(p *plan) string {
	if p.groupKind != soql.GroupPlain && !c.d.GroupingSets() {
		return c.groupingSets(p)
	}
	var b strings.Builder
	cols := make([]string, len(p.out))
	for i, n := range p.out {
		cols[i] = c.operand(n.aggOp)
	}
	b.WriteString("SELECT " + strings.Join(cols, ", "))
	c.from(&b, p)
	c.where(&b, p)
	if len(p.groupBy) > 0 {
		groups := make([]string, len(p.groupBy))
		for i, g := range p.groupBy {
			groups[i] = c.operand(g)
		}
		switch p.groupKind {
		case soql.GroupRollup:
			b.WriteString(" GROUP BY ROLLUP (" + strings.Join(groups, ", ") + ")")
		case soql.GroupCube:
			b.WriteString(" GROUP BY CUBE (" + strings.Join(groups, ", ") + ")")
		default:
			b.WriteString(" GROUP BY " + strings.Join(groups, ", "))
		}
	}
	if p.having != nil {
		b.WriteString(" HAVING " + c.cond(p.having, false))
	}
	c.orderBy(&b, p, false)
	c.limit(&b, p.limit, p.offset)
	return b.String()
}

// groupingSets writes ROLLUP and CUBE as a UNION ALL of one GROUP BY per
// grouping set, for engines without them.
func (c *compiler) groupingSets(p *plan) string {
	n := len(p.groupBy)
	var sets [][]bool // present[i] for each group item
	if p.groupKind == soql.GroupRollup {
		for k := n; k >= 0; k-- {
			set := make([]bool, n)
			for i := 0; i < k; i++ {
				set[i] = true
			}
			sets = append(sets, set)
		}
	} else {
		for mask := (1 << n) - 1; mask >= 0; mask-- {
			set := make([]bool, n)
			for i := 0; i < n; i++ {
				set[i] = mask&(1<<(n-1-i)) != 0
			}
			sets = append(sets, set)
		}
	}
	groupSQL := make([]string, n)
	for i, g := range p.groupBy {
		groupSQL[i] = c.operand(g)
	}
	var branches []string
	for _, set := range sets {
		c.absent = map[string]bool{}
		var present []string
		for i, in := range set {
			if in {
				present = append(present, groupSQL[i])
			} else {
				c.absent[groupSQL[i]] = true
			}
		}
		cols := make([]string, len(p.out))
		for i, node := range p.out {
			e := c.operand(node.aggOp)
			if c.absent[e] {
				e = "NULL"
			}
			cols[i] = e + " AS q" + strconv.Itoa(i)
		}
		var b strings.Builder
		b.WriteString("SELECT " + strings.Join(cols, ", "))
		c.from(&b, p)
		c.where(&b, p)
		if len(present) > 0 {
			b.WriteString(" GROUP BY " + strings.Join(present, ", "))
		}
		if p.having != nil {
			b.WriteString(" HAVING " + c.cond(p.having, false))
		}
		branches = append(branches, b.String())
	}
	c.absent = nil
	var b strings.Builder
	b.WriteString("SELECT * FROM (" + strings.Join(branches, " UNION ALL ") + ") AS grouped")
	// ORDER BY may name only selected items here.
	var items []string
	for _, o := range p.orderBy {
		e := c.operand(o.x)
		idx := -1
		for i, node := range p.out {
			if c.operand(node.aggOp) == e {
				idx = i
			}
		}
		if idx < 0 {
			continue
		}
		dir, nulls := " ASC", " NULLS FIRST"
		if o.desc {
			dir = " DESC"
		}
		if !o.nullsFirst {
			nulls = " NULLS LAST"
		}
		items = append(items, "q"+strconv.Itoa(idx)+dir+nulls)
	}
	if len(items) > 0 {
		b.WriteString(" ORDER BY " + strings.Join(items, ", "))
	}
	c.limit(&b, p.limit, p.offset)
	return b.String()
}

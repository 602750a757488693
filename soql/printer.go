package soql

import (
	"strconv"
	"strings"
)

// The printer writes canonical SOQL: keywords in upper case, single spaces,
// ", " between list elements, identifiers and literals as written, and
// parentheses exactly where the grammar needs them. Parsing what it prints
// gives back an equal tree.

type printer struct {
	strings.Builder
}

func (p *printer) query(q *Query) {
	p.WriteString("SELECT ")
	for i, item := range q.Fields {
		if i > 0 {
			p.WriteString(", ")
		}
		p.node(item)
	}
	p.WriteString(" FROM ")
	p.WriteString(q.From.Object.Name)
	p.alias(q.From.Alias)
	for _, r := range q.From.Related {
		p.WriteString(", ")
		p.node(r)
	}
	if q.Scope != nil {
		p.WriteString(" USING SCOPE ")
		p.WriteString(q.Scope.Name)
	}
	if q.Where != nil {
		p.WriteString(" WHERE ")
		p.node(q.Where)
	}
	for _, w := range q.With {
		p.WriteByte(' ')
		p.with(w)
	}
	if g := q.GroupBy; g != nil {
		p.WriteString(" GROUP BY ")
		switch g.Kind {
		case GroupRollup:
			p.WriteString("ROLLUP(")
		case GroupCube:
			p.WriteString("CUBE(")
		}
		p.exprs(g.Items)
		if g.Kind != GroupPlain {
			p.WriteByte(')')
		}
	}
	if q.Having != nil {
		p.WriteString(" HAVING ")
		p.node(q.Having)
	}
	for i, o := range q.OrderBy {
		if i == 0 {
			p.WriteString(" ORDER BY ")
		} else {
			p.WriteString(", ")
		}
		p.orderItem(o)
	}
	if q.Limit != nil {
		p.WriteString(" LIMIT ")
		p.node(q.Limit)
	}
	if q.Offset != nil {
		p.WriteString(" OFFSET ")
		p.node(q.Offset)
	}
	switch q.For {
	case ForView:
		p.WriteString(" FOR VIEW")
	case ForReference:
		p.WriteString(" FOR REFERENCE")
	}
	switch q.Update {
	case UpdateTracking:
		p.WriteString(" UPDATE TRACKING")
	case UpdateViewstat:
		p.WriteString(" UPDATE VIEWSTAT")
	}
	if q.For == ForUpdate {
		p.WriteString(" FOR UPDATE")
	}
	if q.AllRows {
		p.WriteString(" ALL ROWS")
	}
}

func (p *printer) alias(a *Ident) {
	if a != nil {
		p.WriteByte(' ')
		p.WriteString(a.Name)
	}
}

func (p *printer) exprs(list []Expr) {
	for i, x := range list {
		if i > 0 {
			p.WriteString(", ")
		}
		p.node(x)
	}
}

func (p *printer) fieldList(list []*FieldPath) {
	for i, f := range list {
		if i > 0 {
			p.WriteString(", ")
		}
		p.node(f)
	}
}

func (p *printer) with(w *With) {
	p.WriteString("WITH ")
	switch w.Kind {
	case WithSecurityEnforced:
		p.WriteString("SECURITY_ENFORCED")
	case WithUserMode:
		p.WriteString("USER_MODE")
	case WithSystemMode:
		p.WriteString("SYSTEM_MODE")
	case WithDataCategory:
		p.WriteString("DATA CATEGORY ")
		for i, f := range w.Categories {
			if i > 0 {
				p.WriteString(" AND ")
			}
			p.WriteString(f.Group.Name)
			p.WriteByte(' ')
			p.WriteString(f.Selector.String())
			p.WriteByte(' ')
			if len(f.Categories) > 1 {
				p.WriteByte('(')
			}
			for j, c := range f.Categories {
				if j > 0 {
					p.WriteString(", ")
				}
				p.WriteString(c.Name)
			}
			if len(f.Categories) > 1 {
				p.WriteByte(')')
			}
		}
	case WithRecordVisibility:
		p.WriteString(w.Name.Name)
		p.WriteByte('(')
		for i, prm := range w.Params {
			if i > 0 {
				p.WriteString(", ")
			}
			p.WriteString(prm.Name.Name)
			p.WriteByte('=')
			if prm.Value != nil {
				p.node(prm.Value)
			}
		}
		p.WriteByte(')')
	}
}

func (p *printer) orderItem(o *OrderItem) {
	p.node(o.Expr)
	switch o.Dir {
	case Asc:
		p.WriteString(" ASC")
	case Desc:
		p.WriteString(" DESC")
	}
	switch o.Nulls {
	case NullsFirst:
		p.WriteString(" NULLS FIRST")
	case NullsLast:
		p.WriteString(" NULLS LAST")
	}
}

// operand writes a condition inside AND, OR or NOT, in parentheses unless
// it is a predicate.
func (p *printer) operand(c Cond) {
	switch c.(type) {
	case *AndExpr, *OrExpr, *NotExpr:
		p.WriteByte('(')
		p.node(c)
		p.WriteByte(')')
	default:
		p.node(c)
	}
}

func (p *printer) conds(list []Cond, op string) {
	for i, c := range list {
		if i > 0 {
			p.WriteString(op)
		}
		p.operand(c)
	}
}

func (p *printer) node(n Node) {
	switch x := n.(type) {
	case *Query:
		p.query(x)
	case *FieldPath:
		for i, s := range x.Segments {
			if i > 0 {
				p.WriteByte('.')
			}
			p.WriteString(s)
		}
		p.alias(x.Alias)
	case *FuncCall:
		p.WriteString(x.Name)
		p.WriteByte('(')
		p.exprs(x.Args)
		p.WriteByte(')')
		p.alias(x.Alias)
	case *Fields:
		p.WriteString("FIELDS(")
		switch x.Set {
		case FieldsAll:
			p.WriteString("ALL")
		case FieldsStandard:
			p.WriteString("STANDARD")
		case FieldsCustom:
			p.WriteString("CUSTOM")
		}
		p.WriteByte(')')
	case *SubQuery:
		p.WriteByte('(')
		p.query(x.Query)
		p.WriteByte(')')
	case *TypeOf:
		p.WriteString("TYPEOF ")
		p.node(x.Field)
		for _, w := range x.Whens {
			p.WriteString(" WHEN ")
			p.WriteString(w.Type.Name)
			p.WriteString(" THEN ")
			p.fieldList(w.Fields)
		}
		if x.Else != nil {
			p.WriteString(" ELSE ")
			p.fieldList(x.Else)
		}
		p.WriteString(" END")
	case *AndExpr:
		p.conds(x.Conds, " AND ")
	case *OrExpr:
		p.conds(x.Conds, " OR ")
	case *NotExpr:
		p.WriteString("NOT ")
		switch x.X.(type) {
		case *AndExpr, *OrExpr:
			p.operand(x.X)
		default:
			p.node(x.X)
		}
	case *Comparison:
		p.node(x.Left)
		p.WriteByte(' ')
		p.WriteString(x.Op.String())
		p.WriteByte(' ')
		p.node(x.Value)
	case *InExpr:
		p.node(x.Left)
		if x.Not {
			p.WriteString(" NOT")
		}
		p.WriteString(" IN (")
		if x.Sub != nil {
			p.query(x.Sub)
		} else {
			p.exprs(x.Values)
		}
		p.WriteByte(')')
	case *IncludesExpr:
		p.node(x.Left)
		if x.Excludes {
			p.WriteString(" EXCLUDES (")
		} else {
			p.WriteString(" INCLUDES (")
		}
		p.exprs(x.Values)
		p.WriteByte(')')
	case *LikeExpr:
		p.node(x.Left)
		if x.Not {
			p.WriteString(" NOT")
		}
		p.WriteString(" LIKE ")
		p.node(x.Pattern)
	case *StringLit:
		p.WriteByte('\'')
		p.WriteString(x.Raw)
		p.WriteByte('\'')
	case *NumberLit:
		p.WriteString(x.Text)
	case *CurrencyLit:
		p.WriteString(x.Code)
		p.WriteString(x.Text)
	case *IntLit:
		p.WriteString(strconv.FormatInt(x.Value, 10))
	case *BoolLit:
		if x.Value {
			p.WriteString("TRUE")
		} else {
			p.WriteString("FALSE")
		}
	case *NullLit:
		p.WriteString("NULL")
	case *DateLit:
		p.WriteString(x.Text)
	case *DateTimeLit:
		p.WriteString(x.Text)
	case *DateLiteral:
		p.WriteString(x.Name)
		if x.HasN() {
			p.WriteByte(':')
			p.WriteString(strconv.Itoa(x.N))
		}
	case *BindVar:
		p.WriteByte(':')
		p.WriteString(x.Name)
	}
}

func format(n Node) string {
	var p printer
	p.node(n)
	return p.String()
}

// String returns the query as canonical SOQL.
func (q *Query) String() string { return format(q) }

// String returns the path as written, with its alias if any.
func (x *FieldPath) String() string { return format(x) }

// String returns the call as canonical SOQL, with its alias if any.
func (x *FuncCall) String() string { return format(x) }

// String returns FIELDS(ALL), FIELDS(STANDARD) or FIELDS(CUSTOM).
func (x *Fields) String() string { return format(x) }

// String returns the subquery in parentheses.
func (x *SubQuery) String() string { return format(x) }

// String returns the TYPEOF expression as canonical SOQL.
func (x *TypeOf) String() string { return format(x) }

// String returns the condition as canonical SOQL.
func (x *AndExpr) String() string { return format(x) }

// String returns the condition as canonical SOQL.
func (x *OrExpr) String() string { return format(x) }

// String returns the condition as canonical SOQL.
func (x *NotExpr) String() string { return format(x) }

// String returns the condition as canonical SOQL.
func (x *Comparison) String() string { return format(x) }

// String returns the condition as canonical SOQL.
func (x *InExpr) String() string { return format(x) }

// String returns the condition as canonical SOQL.
func (x *IncludesExpr) String() string { return format(x) }

// String returns the condition as canonical SOQL.
func (x *LikeExpr) String() string { return format(x) }

// String returns the literal as written, in quotes.
func (x *StringLit) String() string { return format(x) }

// String returns the number as written.
func (x *NumberLit) String() string { return format(x) }

// String returns the currency literal as written.
func (x *CurrencyLit) String() string { return format(x) }

// String returns the integer in decimal.
func (x *IntLit) String() string { return format(x) }

// String returns TRUE or FALSE.
func (x *BoolLit) String() string { return format(x) }

// String returns NULL.
func (x *NullLit) String() string { return format(x) }

// String returns the date as written.
func (x *DateLit) String() string { return format(x) }

// String returns the datetime as written.
func (x *DateTimeLit) String() string { return format(x) }

// String returns the name in upper case, with ":n" if it takes a number.
func (x *DateLiteral) String() string { return format(x) }

// String returns ":name".
func (x *BindVar) String() string { return format(x) }

// Quote returns s as a SOQL string literal, in single quotes with a
// backslash before each quote and backslash, and control characters
// escaped. It is the literal whose Value is s, for use anywhere but as a
// LIKE pattern.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

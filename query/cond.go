package query

import (
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/soql"
)

// cond binds a WHERE or HAVING condition.
func (b *binder) cond(x soql.Cond, having bool) (cond, error) {
	switch x := x.(type) {
	case *soql.AndExpr:
		out := &andCond{}
		for _, c := range x.Conds {
			bc, err := b.cond(c, having)
			if err != nil {
				return nil, err
			}
			out.conds = append(out.conds, bc)
		}
		return out, nil
	case *soql.OrExpr:
		out := &orCond{}
		for _, c := range x.Conds {
			bc, err := b.cond(c, having)
			if err != nil {
				return nil, err
			}
			out.conds = append(out.conds, bc)
		}
		return out, nil
	case *soql.NotExpr:
		inner, err := b.cond(x.X, having)
		if err != nil {
			return nil, err
		}
		return &notCond{x: inner}, nil
	case *soql.Comparison:
		left, err := b.filterOperand(x.Left, having)
		if err != nil {
			return nil, err
		}
		v, err := b.value(x.Value, left, x.Op)
		if err != nil {
			return nil, err
		}
		if k := left.kind(); v != nil && k.storage == metadata.StoreBool && x.Op != soql.EQ && x.Op != soql.NEQ {
			return nil, b.errAt(x.OpPos, rapport.InvalidQueryFilterOperator, "invalid operator on boolean field: %s", x.Op)
		}
		if k := left.kind(); k.field != nil && k.field.Type == metadata.TypeMultiPicklist && x.Op != soql.EQ && x.Op != soql.NEQ {
			return nil, b.errAt(x.OpPos, rapport.InvalidQueryFilterOperator, "invalid operator on multipicklist field")
		}
		return &cmpCond{left: left, op: x.Op, value: v}, nil
	case *soql.InExpr:
		left, err := b.filterOperand(x.Left, having)
		if err != nil {
			return nil, err
		}
		if k := left.kind(); k.field != nil && k.field.Type == metadata.TypeMultiPicklist {
			return nil, b.errAt(x.OpPos, rapport.InvalidQueryFilterOperator, "invalid operator on multipicklist field")
		}
		out := &inCond{left: left, not: x.Not}
		if x.Sub != nil {
			sj, err := b.semiJoin(x, left)
			if err != nil {
				return nil, err
			}
			out.sub = sj
			return out, nil
		}
		for _, e := range x.Values {
			v, err := b.value(e, left, soql.EQ)
			if err != nil {
				return nil, err
			}
			if _, isSpan := v.(*span); isSpan {
				return nil, b.errAt(e.Pos(), rapport.MalformedQuery, "date literals cannot be used in an IN list")
			}
			out.values = append(out.values, v)
		}
		return out, nil
	case *soql.LikeExpr:
		left, err := b.filterOperand(x.Left, having)
		if err != nil {
			return nil, err
		}
		if k := left.kind(); k.storage != metadata.StoreText && k.storage != metadata.StoreID {
			return nil, b.errAt(x.OpPos, rapport.InvalidQueryFilterOperator, "invalid operator on %s field: LIKE", typeName(k))
		}
		lit, ok := x.Pattern.(*soql.StringLit)
		if !ok {
			return nil, b.errAt(x.Pattern.Pos(), rapport.MalformedQuery, "LIKE takes a string")
		}
		return &likeCond{left: left, not: x.Not, pattern: strings.ToLower(lit.LikePattern())}, nil
	case *soql.IncludesExpr:
		left, err := b.filterOperand(x.Left, having)
		if err != nil {
			return nil, err
		}
		if k := left.kind(); k.field == nil || k.field.Type != metadata.TypeMultiPicklist {
			op := "INCLUDES"
			if x.Excludes {
				op = "EXCLUDES"
			}
			return nil, b.errAt(x.OpPos, rapport.InvalidQueryFilterOperator, "%s can only be used with multi-select picklists", op)
		}
		out := &includesCond{left: left, excludes: x.Excludes}
		for _, e := range x.Values {
			lit, ok := e.(*soql.StringLit)
			if !ok {
				return nil, b.errAt(e.Pos(), rapport.MalformedQuery, "INCLUDES and EXCLUDES take strings")
			}
			var set []string
			for _, part := range strings.Split(lit.Value, ";") {
				if part = strings.TrimSpace(part); part != "" {
					set = append(set, part)
				}
			}
			out.sets = append(out.sets, set)
		}
		return out, nil
	}
	return nil, b.errAt(x.Pos(), rapport.MalformedQuery, "unexpected condition %s", x.String())
}

// filterOperand binds the left side of a condition.
func (b *binder) filterOperand(x soql.Expr, having bool) (operand, error) {
	op, err := b.operand(x, having)
	if err != nil {
		return nil, err
	}
	if k := op.kind(); k.field != nil && !filterable(k.field) {
		if _, isCall := op.(*call); !isCall {
			return nil, b.errAt(x.Pos(), rapport.InvalidField, "field '%s' can not be filtered in a query call", k.field.Name)
		}
	}
	return op, nil
}

// semiJoin binds "x IN (SELECT f FROM Obj WHERE …)".
func (b *binder) semiJoin(x *soql.InExpr, left operand) (*semiJoin, error) {
	q := x.Sub
	obj := b.sch.Object(q.From.Object.Name)
	if obj == nil || b.access.CanRead(b.ctx, obj) != nil {
		return nil, b.errAt(q.From.Object.NamePos, rapport.InvalidType, "%s", noSuchType(q.From.Object.Name))
	}
	if lk := left.kind(); lk.storage != metadata.StoreID {
		return nil, b.errAt(x.OpPos, rapport.MalformedQuery, "semi-join subqueries compare Ids: %s is not an Id or reference field", x.Left.String())
	}
	p, err := b.env.bindPlan(q, obj, "s", nil)
	if err != nil {
		return nil, err
	}
	fp, ok := q.Fields[0].(*soql.FieldPath)
	if !ok || len(q.Fields) != 1 {
		return nil, b.errAt(q.Select, rapport.MalformedQuery, "a semi-join subquery selects one Id or reference field")
	}
	ref, err := p.binder.field(fp)
	if err != nil {
		return nil, err
	}
	if ref.kind().storage != metadata.StoreID {
		return nil, b.errAt(fp.NamePos, rapport.MalformedQuery, "a semi-join subquery selects an Id or reference field, not %s", fp.String())
	}
	return &semiJoin{p: p, field: ref}, nil
}

func typeName(k valueKind) string {
	if k.field != nil {
		return soapType(k.field)
	}
	switch k.storage {
	case metadata.StoreDecimal:
		return "double"
	case metadata.StoreBool:
		return "boolean"
	case metadata.StoreDate:
		return "date"
	case metadata.StoreDateTime:
		return "dateTime"
	}
	return "string"
}

// soapType names a field's type as Salesforce's messages do.
func soapType(f *metadata.Field) string {
	switch f.Storage() {
	case metadata.StoreDecimal:
		if f.Type == metadata.TypeCurrency {
			return "currency"
		}
		return "double"
	case metadata.StoreBool:
		return "boolean"
	case metadata.StoreDate:
		return "date"
	case metadata.StoreDateTime:
		return "dateTime"
	case metadata.StoreID:
		return "id"
	}
	return "string"
}

// value binds a literal compared with left: a canonical Go value, nil for
// null, or a *span for a relative date literal.
func (b *binder) value(x soql.Expr, left operand, op soql.Token) (any, error) {
	k := left.kind()
	if _, ok := x.(*soql.NullLit); ok {
		return nil, nil
	}
	wrongType := func() error {
		how := "should not be enclosed in quotes"
		if k.storage == metadata.StoreText || k.storage == metadata.StoreID {
			how = "should be enclosed in quotes"
		}
		name := x.String()
		if k.field != nil {
			name = k.field.Name
		}
		return b.errAt(x.Pos(), rapport.MalformedQuery, "value of filter criterion for field '%s' must be of type %s and %s", name, typeName(k), how)
	}
	if k.count {
		// Counts and date function results are integers.
		switch v := x.(type) {
		case *soql.NumberLit:
			return v.Value, nil
		}
		return nil, wrongType()
	}
	switch k.storage {
	case metadata.StoreText:
		if s, ok := x.(*soql.StringLit); ok {
			return s.Value, nil
		}
	case metadata.StoreID:
		if s, ok := x.(*soql.StringLit); ok {
			if s.Value == "" {
				return nil, nil
			}
			id, err := rapport.ParseID(s.Value)
			if err != nil {
				return nil, b.errAt(x.Pos(), rapport.InvalidQueryFilterOperator, "invalid ID field: %s", s.Value)
			}
			return id, nil
		}
	case metadata.StoreDecimal:
		switch v := x.(type) {
		case *soql.NumberLit:
			return v.Value, nil
		case *soql.CurrencyLit:
			return v.Value, nil
		}
	case metadata.StoreBool:
		if v, ok := x.(*soql.BoolLit); ok {
			return v.Value, nil
		}
	case metadata.StoreDate:
		switch v := x.(type) {
		case *soql.DateLit:
			return v.Value.Format("2006-01-02"), nil
		case *soql.DateLiteral:
			return b.span(v)
		}
	case metadata.StoreDateTime:
		switch v := x.(type) {
		case *soql.DateTimeLit:
			return v.Value.UTC(), nil
		case *soql.DateLiteral:
			return b.span(v)
		}
	case metadata.StoreTime:
		if s, ok := x.(*soql.StringLit); ok {
			return s.Value, nil
		}
	}
	if _, ok := x.(*soql.BindVar); ok {
		return nil, b.errAt(x.Pos(), rapport.MalformedQuery, "bind variables are only available in Apex")
	}
	return nil, wrongType()
}

func (b *binder) span(lit *soql.DateLiteral) (any, error) {
	sp, ok := dateSpan(lit, b.now, b.fiscal)
	if !ok {
		return nil, b.errAt(lit.ValuePos, rapport.MalformedQuery, "unknown date literal %s", lit.Name)
	}
	return &sp, nil
}

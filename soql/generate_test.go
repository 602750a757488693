package soql

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// gen builds random, well-formed condition trees in the shape Parse
// produces: groups of two or more, no group directly inside a group of the
// same operator.
type gen struct {
	r *rand.Rand
}

func (g gen) path() *FieldPath {
	names := []string{"Name", "Type", "Account", "Owner", "Order", "Fax2", "ns__X__c", "Limit__c"}
	x := &FieldPath{}
	for range 1 + g.r.IntN(3) {
		x.Segments = append(x.Segments, names[g.r.IntN(len(names))])
	}
	return x
}

func (g gen) operand() Expr {
	if g.r.IntN(4) == 0 {
		return &FuncCall{Name: "CALENDAR_YEAR", Args: []Expr{&FuncCall{Name: "convertTimezone", Args: []Expr{g.path()}}}}
	}
	return g.path()
}

func (g gen) value() Expr {
	switch g.r.IntN(9) {
	case 0:
		s := []string{"", "a", `it\'s`, `\u00e9`, `100\%`}[g.r.IntN(5)]
		return &StringLit{Raw: s, Value: decode(s, false)}
	case 1:
		n := g.r.IntN(2000) - 1000
		return &NumberLit{Text: strconv.Itoa(n), Value: float64(n)}
	case 2:
		return &BoolLit{Value: g.r.IntN(2) == 0}
	case 3:
		return &NullLit{}
	case 4:
		return &DateLiteral{Name: "LAST_N_DAYS", N: g.r.IntN(100)}
	case 5:
		return &DateLiteral{Name: "TODAY"}
	case 6:
		return &BindVar{Name: "v" + strconv.Itoa(g.r.IntN(9))}
	case 7:
		return &CurrencyLit{Code: "USD", Text: "12.50", Value: 12.5}
	}
	return &NumberLit{Text: "1.5", Value: 1.5}
}

func (g gen) predicate() Cond {
	switch g.r.IntN(5) {
	case 0:
		return &InExpr{Left: g.operand(), Not: g.r.IntN(2) == 0, Values: []Expr{g.value(), g.value()}}
	case 1:
		return &LikeExpr{Left: g.operand(), Not: g.r.IntN(2) == 0, Pattern: &StringLit{Raw: "a%", Value: "a%"}}
	case 2:
		return &IncludesExpr{Left: g.operand(), Excludes: g.r.IntN(2) == 0, Values: []Expr{&StringLit{Raw: "a;b", Value: "a;b"}}}
	}
	v := g.value()
	ops := []Token{EQ, NEQ, LT, LE, GT, GE}
	op := ops[g.r.IntN(len(ops))]
	if _, ok := v.(*NullLit); ok {
		op = EQ
	}
	return &Comparison{Left: g.operand(), Op: op, Value: v}
}

// cond returns a condition; parent is the operator of the enclosing group.
func (g gen) cond(depth int, parent Token) Cond {
	if depth == 0 {
		return g.predicate()
	}
	switch g.r.IntN(4) {
	case 0:
		return &NotExpr{X: g.cond(depth-1, NOT)}
	case 1, 2:
		op := AND
		if g.r.IntN(2) == 0 {
			op = OR
		}
		if op == parent {
			return g.predicate()
		}
		conds := make([]Cond, 2+g.r.IntN(3))
		for i := range conds {
			conds[i] = g.cond(depth-1, op)
		}
		if op == AND {
			return &AndExpr{Conds: conds}
		}
		return &OrExpr{Conds: conds}
	}
	return g.predicate()
}

// TestRoundTripGenerated prints random condition trees and checks that
// Parse reads back the same tree, which tests where the printer puts
// parentheses.
func TestRoundTripGenerated(t *testing.T) {
	g := gen{r: rand.New(rand.NewPCG(1, 2))}
	for i := range 1000 {
		want := &Query{
			Fields:  []SelectItem{g.path()},
			From:    From{Object: Ident{Name: "Account"}},
			Where:   g.cond(4, ILLEGAL),
			OrderBy: []*OrderItem{{Expr: g.operand(), Dir: Direction(g.r.IntN(3)), Nulls: NullsOrder(g.r.IntN(3))}},
		}
		src := want.String()
		got, err := Parse(src)
		if err != nil {
			t.Fatalf("case %d: Parse(%q) = %v, want no error", i, src, err)
		}
		if diff := cmp.Diff(want, got, ignorePos); diff != "" {
			t.Fatalf("case %d: Parse(%q) mismatch (-want +got):\n%s", i, src, diff)
		}
	}
}

package sosl

import (
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/soql"
)

// The printer writes canonical SOSL: keywords in upper case, single
// spaces, ", " between list elements, names, words and literals as
// written, AND between the words of the term, and parentheses exactly where
// the term needs them. Parsing what it prints gives back an equal tree.

type printer struct {
	strings.Builder
}

func (p *printer) search(s *Search) {
	p.WriteString("FIND {")
	if s.Term != nil {
		p.term(s.Term)
	}
	p.WriteByte('}')
	if s.Scope != ScopeDefault {
		p.WriteString(" IN ")
		p.WriteString(s.Scope.String())
		p.WriteString(" FIELDS")
	}
	for i, r := range s.Returning {
		if i == 0 {
			p.WriteString(" RETURNING ")
		} else {
			p.WriteString(", ")
		}
		p.returning(r)
	}
	for _, w := range s.With {
		p.WriteByte(' ')
		p.with(w)
	}
	if s.Limit != nil {
		p.WriteString(" LIMIT ")
		p.WriteString(strconv.FormatInt(s.Limit.Value, 10))
	}
	switch s.Update {
	case UpdateTracking:
		p.WriteString(" UPDATE TRACKING")
	case UpdateViewstat:
		p.WriteString(" UPDATE VIEWSTAT")
	case UpdateTracking | UpdateViewstat:
		p.WriteString(" UPDATE TRACKING, VIEWSTAT")
	}
}

func (p *printer) returning(r *Returning) {
	p.WriteString(r.Object.Name)
	if !r.Lparen.IsValid() && len(r.Fields) == 0 {
		return
	}
	p.WriteByte('(')
	for i, f := range r.Fields {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(f.String())
	}
	if r.Where != nil {
		p.WriteString(" WHERE ")
		p.WriteString(r.Where.String())
	}
	for i, o := range r.OrderBy {
		if i == 0 {
			p.WriteString(" ORDER BY ")
		} else {
			p.WriteString(", ")
		}
		p.WriteString(orderItemString(o))
	}
	if r.Limit != nil {
		p.WriteString(" LIMIT ")
		p.WriteString(strconv.FormatInt(r.Limit.Value, 10))
	}
	if r.Offset != nil {
		p.WriteString(" OFFSET ")
		p.WriteString(strconv.FormatInt(r.Offset.Value, 10))
	}
	p.WriteByte(')')
}

// orderItemString prints one ORDER BY item as SOQL does.
func orderItemString(o *soql.OrderItem) string {
	s := o.Expr.String()
	switch o.Dir {
	case soql.Asc:
		s += " ASC"
	case soql.Desc:
		s += " DESC"
	}
	switch o.Nulls {
	case soql.NullsFirst:
		s += " NULLS FIRST"
	case soql.NullsLast:
		s += " NULLS LAST"
	}
	return s
}

var withNames = map[WithKind]string{
	WithDivision: "DIVISION", WithDataCategory: "DATA CATEGORY", WithSnippet: "SNIPPET", WithNetwork: "NETWORK",
	WithPricebook: "PricebookId", WithMetadata: "METADATA", WithSpellCorrection: "SPELL_CORRECTION",
	WithHighlight: "HIGHLIGHT", WithUserMode: "USER_MODE", WithSystemMode: "SYSTEM_MODE",
	WithSecurityEnforced: "SECURITY_ENFORCED",
}

func (p *printer) with(w *With) {
	p.WriteString("WITH ")
	p.WriteString(withNames[w.Kind])
	switch w.Kind {
	case WithDivision, WithPricebook, WithMetadata, WithSpellCorrection:
		p.WriteString(" = ")
		p.WriteString(w.Value)
	case WithNetwork:
		if w.Values != nil {
			p.WriteString(" IN (")
			p.WriteString(strings.Join(w.Values, ", "))
			p.WriteByte(')')
		} else {
			p.WriteString(" = ")
			p.WriteString(w.Value)
		}
	case WithSnippet:
		if w.TargetLength != nil {
			p.WriteString("(target_length = ")
			p.WriteString(strconv.FormatInt(w.TargetLength.Value, 10))
			p.WriteByte(')')
		}
	case WithDataCategory:
		for i, f := range w.Categories {
			if i > 0 {
				p.WriteString(" AND")
			}
			p.WriteByte(' ')
			p.WriteString(f.Group.Name)
			p.WriteByte(' ')
			p.WriteString(f.Selector.String())
			p.WriteByte(' ')
			if len(f.Categories) == 1 {
				p.WriteString(f.Categories[0].Name)
				continue
			}
			p.WriteByte('(')
			for j, c := range f.Categories {
				if j > 0 {
					p.WriteString(", ")
				}
				p.WriteString(c.Name)
			}
			p.WriteByte(')')
		}
	}
}

// term writes a term; operand writes one inside an operator, in
// parentheses when it is looser than the operator around it.
func (p *printer) term(t Term) {
	switch x := t.(type) {
	case *Word:
		p.WriteString(escapeBraces(x.Raw))
	case *Phrase:
		p.WriteByte('"')
		p.WriteString(escapeBraces(x.Raw))
		p.WriteByte('"')
	case *AndTerm:
		for i, y := range x.Terms {
			if i > 0 {
				p.WriteString(" AND ")
			}
			if n, ok := y.(*NotTerm); ok {
				p.WriteString("NOT ")
				p.operand(n.X)
				continue
			}
			p.operand(y)
		}
	case *OrTerm:
		for i, y := range x.Terms {
			if i > 0 {
				p.WriteString(" OR ")
			}
			p.operand(y)
		}
	case *NotTerm:
		p.WriteString("NOT ")
		p.operand(x.X)
	}
}

func (p *printer) operand(t Term) {
	switch t.(type) {
	case *AndTerm, *OrTerm:
		p.WriteByte('(')
		p.term(t)
		p.WriteByte(')')
	default:
		p.term(t)
	}
}

// escapeBraces puts a backslash before each unescaped brace, which a term
// read without braces (ParseTerm) may hold.
func escapeBraces(raw string) string {
	if !strings.ContainsAny(raw, "{}") {
		return raw
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\\' && i+1 < len(raw):
			b.WriteByte(c)
			i++
			b.WriteByte(raw[i])
		case c == '{' || c == '}':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func format(n Node) string {
	var p printer
	switch x := n.(type) {
	case *Search:
		p.search(x)
	case *Returning:
		p.returning(x)
	case *With:
		p.with(x)
	case Term:
		p.term(x)
	}
	return p.String()
}

// String returns the search as canonical SOSL.
func (s *Search) String() string { return format(s) }

// String returns the object with its parenthesised clauses, as in
// RETURNING.
func (r *Returning) String() string { return format(r) }

// String returns the WITH clause as canonical SOSL.
func (w *With) String() string { return format(w) }

// String returns the word as written.
func (x *Word) String() string { return format(x) }

// String returns the phrase as written, in double quotes.
func (x *Phrase) String() string { return format(x) }

// String returns the term as canonical SOSL.
func (x *AndTerm) String() string { return format(x) }

// String returns the term as canonical SOSL.
func (x *OrTerm) String() string { return format(x) }

// String returns NOT and the term.
func (x *NotTerm) String() string { return format(x) }

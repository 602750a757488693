package sosl

import (
	"reflect"
	"strings"

	"github.com/rapportcrm/rapport/soql"
)

// A RETURNING object's parentheses hold a SOQL select list followed by
// WHERE, ORDER BY, LIMIT and OFFSET: a SOQL query without SELECT and FROM.
// The parser finds the closing parenthesis, puts SELECT before the field
// list and FROM before the first clause, has package soql parse that, and
// maps the positions of the tree and of any errors back to the SOSL text.

// selectHead and fromPart are the text put around the user's field list.
const (
	selectHead = "SELECT "
	fromPart   = " FROM X "
)

// parseSpec parses the parenthesised clauses of a RETURNING object; the
// current token is the "(".
func (p *parser) parseSpec(r *Returning) {
	r.Lparen = p.pos
	start := p.pos.Offset + 1 // after "("
	startPos := Pos{Offset: start, Line: p.pos.Line, Col: p.pos.Col + 1}
	p.next()

	// Find the matching ")" and the first clause at the top level.
	var split Pos   // first top-level clause keyword; invalid if none
	var pending Pos // ORDER waiting for BY, OFFSET for its integer
	var pendTok Token
	depth := 0
	for {
		tok, pos := p.tok, p.pos
		if pending.IsValid() {
			if pendTok == ORDER && tok == BY || pendTok == OFFSET && tok == INTEGER {
				split = pending
			}
			pending = Pos{}
		}
		switch {
		case tok == EOF:
			p.errorExpected(")")
			return
		case tok == LPAREN:
			depth++
		case tok == RPAREN && depth == 0:
			end := pos
			p.next()
			if !split.IsValid() {
				split = end
			}
			p.parseSOQL(r, startPos, split, end)
			return
		case tok == RPAREN:
			depth--
		case depth == 0 && !split.IsValid():
			switch {
			case tok == WHERE || tok == LIMIT || tok == WITH || tok == IDENT && isClauseWord(p.lit):
				split = pos
			case tok == ORDER || tok == OFFSET:
				pending, pendTok = pos, tok
			}
		}
		p.next()
	}
}

// isClauseWord reports whether an identifier starts a SOQL clause that
// cannot follow a field, so that the field list ends before it.
func isClauseWord(word string) bool {
	for _, w := range [...]string{"FROM", "GROUP", "HAVING", "USING"} {
		if strings.EqualFold(word, w) {
			return true
		}
	}
	return false
}

// parseSOQL parses the text of a RETURNING object's parentheses from start
// to end, whose clauses begin at split, as SOQL.
func (p *parser) parseSOQL(r *Returning, start, split, end Pos) {
	fields := p.src[start.Offset:split.Offset]
	if strings.TrimSpace(fields) == "" {
		near := strings.Fields(p.src[split.Offset:min(end.Offset+1, len(p.src))])[0]
		p.error(split, "expected field, found "+near, near)
		return
	}
	text := selectHead + fields + fromPart + p.src[split.Offset:end.Offset]
	m := newPosMap(text, start, split, end, len(selectHead)+len(fields)+len(fromPart))

	depth := p.opts.maxDepth
	if depth > 0 {
		depth = max(1, depth-p.depth)
	}
	nodes := p.opts.maxNodes
	if nodes > 0 {
		nodes = max(1, nodes-p.nodes)
	}
	q, err := soql.Parse(text, soql.MaxLength(0), soql.MaxDepth(depth), soql.MaxNodes(nodes))
	if err != nil {
		var list soql.ErrorList
		if l, ok := err.(soql.ErrorList); ok {
			list = l
		}
		for _, e := range list {
			msg, near := soqlMessage(e.Msg), e.Near
			if near == "<EOF>" {
				near = ")"
			}
			p.error(m.orig(e.Pos), msg, near)
		}
		return
	}
	remap(reflect.ValueOf(q), m.orig)
	p.nodes += countNodes(q)

	switch {
	case len(q.With) > 0:
		p.error(q.With[0].WithPos, "WITH is not allowed in RETURNING: put it after the objects", "WITH")
	case q.Scope != nil:
		p.error(q.Scope.NamePos, "USING SCOPE is not allowed in RETURNING", q.Scope.Name)
	case q.GroupBy != nil:
		p.error(q.GroupBy.GroupPos, "GROUP BY is not allowed in RETURNING", "GROUP")
	case q.For != soql.ForNone || q.Update != soql.UpdateNone || q.AllRows:
		p.error(end, "FOR, UPDATE and ALL ROWS are not allowed in RETURNING", ")")
	}
	for _, item := range q.Fields {
		switch x := item.(type) {
		case *soql.SubQuery:
			p.error(x.Lparen, "subqueries are not allowed in RETURNING", "(")
		case *soql.Fields:
			p.error(x.FieldsPos, "FIELDS() is not allowed in RETURNING", "FIELDS")
		case *soql.FuncCall:
			if isAggregate(x.Name) {
				p.error(x.NamePos, "aggregate functions are not allowed in RETURNING", x.Name)
			}
		}
	}
	r.Fields, r.Where, r.OrderBy, r.Limit, r.Offset = q.Fields, q.Where, q.OrderBy, q.Limit, q.Offset
}

// soqlMessage words a SOQL error for the parentheses it came from, whose
// end is the ")" and whose FROM SOSL never wrote.
func soqlMessage(msg string) string {
	if rest, ok := strings.CutPrefix(msg, "expected FROM, found "); ok {
		return "expected WHERE, ORDER BY, LIMIT, OFFSET or ), found " + rest
	}
	if rest, ok := strings.CutPrefix(msg, "expected end of query, found "); ok {
		msg = "expected ), found " + rest
	}
	if rest, ok := strings.CutSuffix(msg, "found end of query"); ok {
		msg = rest + "found )"
	}
	return msg
}

func isAggregate(name string) bool {
	for _, a := range [...]string{"AVG", "COUNT", "COUNT_DISTINCT", "MIN", "MAX", "SUM", "GROUPING"} {
		if strings.EqualFold(name, a) {
			return true
		}
	}
	return false
}

// A posMap maps positions in the SOQL text built for a RETURNING object
// back to the SOSL text. The SOQL text is selectHead, the field list as
// written, fromPart, then the clauses as written; each copied piece keeps
// its lines, so a position moves by a fixed offset, and on the piece's
// first line by a fixed number of columns too.
type posMap struct {
	fieldsAt, clausesAt Pos // where the pieces start in the SOQL text
	start, split, end   Pos // where they start, and the clauses end, in the SOSL text
}

func newPosMap(text string, start, split, end Pos, clausesAt int) posMap {
	m := posMap{start: start, split: split, end: end}
	m.fieldsAt = Pos{Offset: len(selectHead), Line: 1, Col: len(selectHead) + 1}
	line, col := 1, 1
	for _, r := range text[:clausesAt] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	m.clausesAt = Pos{Offset: clausesAt, Line: line, Col: col}
	return m
}

// orig returns the SOSL position of a position in the SOQL text. The
// text SOSL never wrote maps to where it stands: SELECT to the start of the
// field list, FROM to the first clause, the end to the ")".
func (m posMap) orig(p Pos) Pos {
	switch {
	case !p.IsValid():
		return p
	case p.Offset < m.fieldsAt.Offset:
		return m.start
	case p.Offset < m.clausesAt.Offset-len(fromPart)+1:
		return shift(p, m.fieldsAt, m.start)
	case p.Offset < m.clausesAt.Offset:
		return m.split
	}
	q := shift(p, m.clausesAt, m.split)
	if q.Offset > m.end.Offset {
		return m.end
	}
	return q
}

// shift moves p, inside a piece that starts at from, to the same place in
// a copy of the piece that starts at to.
func shift(p, from, to Pos) Pos {
	q := Pos{Offset: to.Offset + p.Offset - from.Offset, Line: to.Line + p.Line - from.Line, Col: p.Col}
	if p.Line == from.Line {
		q.Col = to.Col + p.Col - from.Col
	}
	return q
}

var posType = reflect.TypeFor[Pos]()

// remap rewrites every position in the tree under v with fn. The SOQL
// nodes are pointers to structs whose positions are exported fields.
func remap(v reflect.Value, fn func(Pos) Pos) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			remap(v.Elem(), fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			remap(v.Index(i), fn)
		}
	case reflect.Struct:
		if v.Type() == posType {
			if v.CanSet() {
				v.Set(reflect.ValueOf(fn(v.Interface().(Pos))))
			}
			return
		}
		t := v.Type()
		for i := range v.NumField() {
			if t.Field(i).IsExported() {
				remap(v.Field(i), fn)
			}
		}
	}
}

// countNodes counts the SOQL nodes under q, against the node limit.
func countNodes(q *soql.Query) int {
	n := 0
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				n++
				walk(v.Elem())
			}
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			t := v.Type()
			for i := range v.NumField() {
				if t.Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(q))
	return n
}

// check applies the rules beyond the grammar to a well-formed search.
func (p *parser) check(s *Search) {
	seen := map[string]bool{}
	for _, r := range s.Returning {
		name := strings.ToLower(r.Object.Name)
		if seen[name] {
			p.error(r.Object.NamePos, "object "+r.Object.Name+" is named twice in RETURNING", r.Object.Name)
		}
		seen[name] = true
		if r.Offset != nil && len(s.Returning) > 1 {
			p.error(r.Offset.ValuePos, "OFFSET can be used only when RETURNING names one object", "")
		}
	}
}

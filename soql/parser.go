package soql

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Default limits of Parse; see the options MaxLength, MaxDepth and MaxNodes.
const (
	DefaultMaxLength = 100_000 // characters, Salesforce's limit on SOQL text
	DefaultMaxDepth  = 50      // nested parentheses, NOTs, calls and subqueries
	DefaultMaxNodes  = 50_000  // syntax tree nodes
)

// maxErrors is the number of errors after which Parse gives up.
const maxErrors = 10

// maxChildDepth is how deep child relationship subqueries may nest
// (Salesforce allows five levels from API version 58.0).
const maxChildDepth = 5

// An Option changes a limit of Parse.
type Option func(*options)

type options struct {
	maxLength int
	maxDepth  int
	maxNodes  int
}

// MaxLength limits the query text to n characters (DefaultMaxLength unless
// set). Zero or less means no limit.
func MaxLength(n int) Option { return func(o *options) { o.maxLength = n } }

// MaxDepth limits nesting, counting parentheses around conditions, NOT,
// function calls and subqueries, to n levels (DefaultMaxDepth unless set).
// Zero or less means no limit.
func MaxDepth(n int) Option { return func(o *options) { o.maxDepth = n } }

// MaxNodes limits the syntax tree to n nodes (DefaultMaxNodes unless set).
// Zero or less means no limit.
func MaxNodes(n int) Option { return func(o *options) { o.maxNodes = n } }

// Parse parses a SOQL query. On failure it returns a nil Query and an
// ErrorList, sorted by position, of at most ten errors.
//
// Parse checks syntax and the rules that need no metadata: AND and OR not
// mixed without parentheses, NOT after AND or OR in parentheses, where
// semi-joins may stand, OFFSET in subqueries, COUNT() alone, field aliases
// only in aggregate queries, FIELDS(ALL) with a LIMIT. Whether objects and
// fields exist, and whether values fit their types, is for the binder.
func Parse(src string, opts ...Option) (q *Query, err error) {
	o := options{maxLength: DefaultMaxLength, maxDepth: DefaultMaxDepth, maxNodes: DefaultMaxNodes}
	for _, opt := range opts {
		opt(&o)
	}
	p := &parser{src: src, opts: o}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
		}
		if len(p.errors) > 0 {
			p.errors.sort()
			q, err = nil, p.errors
		}
	}()
	if o.maxLength > 0 && len(src) > o.maxLength {
		if n := utf8.RuneCountInString(src); n > o.maxLength {
			p.error(Pos{Line: 1, Col: 1}, fmt.Sprintf("query is too long: %d characters, the limit is %d", n, o.maxLength), "")
			return nil, p.errors
		}
	}
	p.sc.Init(src, func(pos Pos, msg string) { p.error(pos, msg, "") })
	p.next()
	q = p.parseQuery(topQuery)
	if p.tok != EOF {
		p.errorExpected("end of query")
	}
	if len(p.errors) == 0 {
		p.check(q)
	}
	return q, nil
}

// bailout is the panic that stops a parse after too many errors or on a
// broken limit; only Parse recovers it.
type bailout struct{}

type parser struct {
	sc     Scanner
	src    string
	opts   options
	errors ErrorList

	// The current token.
	pos Pos
	tok Token
	lit string

	depth      int // nesting, against opts.maxDepth
	nodes      int // nodes made, against opts.maxNodes
	childDepth int // nesting of child subqueries
}

// queryKind says where a SELECT stands, which decides the clauses it may
// have.
type queryKind int

const (
	topQuery      queryKind = iota
	childQuery              // (SELECT … FROM Contacts) in a SELECT list
	semiJoinQuery           // IN (SELECT … ) in WHERE
)

// next moves to the next token, skipping illegal ones: the scanner has
// reported them, and skipping lets the parse go on to find more errors.
func (p *parser) next() {
	p.pos, p.tok, p.lit = p.sc.Scan()
	for p.tok == ILLEGAL {
		p.pos, p.tok, p.lit = p.sc.Scan()
	}
}

// error records an error. near is the offending token as written, or
// empty. The tenth error stops the parse.
func (p *parser) error(pos Pos, msg, near string) {
	if n := len(p.errors); n > 0 && p.errors[n-1].Pos == pos {
		return // one error per position is enough
	}
	p.errors.add(&Error{Pos: pos, Msg: msg, Near: near, src: p.src})
	if len(p.errors) >= maxErrors {
		panic(bailout{})
	}
}

// fatal records an error and stops the parse.
func (p *parser) fatal(pos Pos, msg string) {
	p.errors.add(&Error{Pos: pos, Msg: msg, src: p.src})
	panic(bailout{})
}

// near returns the current token as Salesforce names it in "unexpected
// token" messages.
func (p *parser) near() string {
	if p.tok == EOF {
		return "<EOF>"
	}
	return p.lit
}

// found describes the current token for "expected X, found Y".
func (p *parser) found() string {
	if p.tok == EOF {
		return "end of query"
	}
	return p.lit
}

// errorExpected reports that the current token is not what the grammar
// wants.
func (p *parser) errorExpected(what string) {
	p.error(p.pos, "expected "+what+", found "+p.found(), p.near())
}

// unexpected reports the current token with a message of its own.
func (p *parser) unexpected(msg string) {
	p.error(p.pos, msg, p.near())
}

// expect consumes the current token if it is tok, else reports an error
// and consumes nothing. It returns the position of the token.
func (p *parser) expect(tok Token) Pos {
	pos := p.pos
	if p.tok != tok {
		p.errorExpected(tok.String())
		return pos
	}
	p.next()
	return pos
}

// got consumes the current token if it is tok.
func (p *parser) got(tok Token) bool {
	if p.tok != tok {
		return false
	}
	p.next()
	return true
}

// node counts a node against the limit.
func (p *parser) node() {
	p.nodes++
	if p.opts.maxNodes > 0 && p.nodes > p.opts.maxNodes {
		p.fatal(p.pos, fmt.Sprintf("query is too complex: more than %d syntax nodes", p.opts.maxNodes))
	}
}

// enter and leave bracket a nesting level.
func (p *parser) enter() {
	p.depth++
	if p.opts.maxDepth > 0 && p.depth > p.opts.maxDepth {
		p.fatal(p.pos, fmt.Sprintf("query is nested too deeply: more than %d levels", p.opts.maxDepth))
	}
}

func (p *parser) leave() { p.depth-- }

// isIdent reports whether the current token can be an identifier: a plain
// identifier, a contextual keyword, or a word such as Fax2 that scans like
// a currency literal.
func (p *parser) isIdent() bool {
	return p.tok == IDENT || p.tok.IsContextual() || p.tok == CURRENCY && strings.IndexByte(p.lit, '.') < 0
}

// isWord reports whether the current token is a word, keywords included.
// After the colon of a bind variable any word is a name.
func (p *parser) isWord() bool {
	return p.isIdent() || p.tok.IsReserved()
}

// objectName parses the name of an object or relationship. Group is a
// standard object although GROUP is reserved.
func (p *parser) objectName(what string) Ident {
	if p.tok == GROUP {
		id := Ident{NamePos: p.pos, Name: p.lit}
		p.next()
		return id
	}
	return p.ident(what)
}

// ident parses an identifier.
func (p *parser) ident(what string) Ident {
	id := Ident{NamePos: p.pos, Name: p.lit}
	if !p.isIdent() {
		p.errorExpected(what)
		id.Name = ""
		return id
	}
	p.next()
	return id
}

// ----------------------------------------------------------------------------
// Queries

func (p *parser) parseQuery(kind queryKind) *Query {
	p.node()
	q := &Query{Select: p.expect(SELECT)}
	q.Fields = p.parseSelectList(kind)
	if p.tok != FROM && p.isIdent() && len(q.Fields) > 0 {
		// "SELECT Id FORM Account" reads Id as aliased FORM. Report the
		// misspelt FROM, as Salesforce does, and go on from the object.
		if alias := aliasOf(q.Fields[len(q.Fields)-1]); alias != nil && *alias != nil {
			a := *alias
			*alias = nil
			p.error(a.NamePos, "expected FROM, found "+a.Name, a.Name)
		} else {
			p.expect(FROM)
		}
	} else {
		p.expect(FROM)
	}
	q.From = p.parseFrom(kind)

	if kind == topQuery && p.tok == USING {
		p.next()
		p.expect(SCOPE)
		scope := p.ident("scope")
		q.Scope = &scope
	}
	if p.got(WHERE) {
		q.Where = p.parseCond()
	}
	if kind == topQuery {
		for p.tok == WITH {
			q.With = append(q.With, p.parseWith())
		}
		if p.tok == GROUP {
			q.GroupBy = p.parseGroupBy()
			if p.got(HAVING) {
				q.Having = p.parseCond()
			}
		}
	}
	if kind == semiJoinQuery {
		return q
	}
	if p.tok == ORDER {
		p.next()
		p.expect(BY)
		q.OrderBy = p.parseOrderBy()
	}
	if p.got(LIMIT) {
		q.Limit = p.parseIntLit()
	}
	if p.got(OFFSET) {
		q.Offset = p.parseIntLit()
	}
	if kind == topQuery {
		p.parseTail(q)
	}
	return q
}

// aliasOf returns the alias field of a select item, or nil if the item
// cannot have one.
func aliasOf(item SelectItem) **Ident {
	switch x := item.(type) {
	case *FieldPath:
		return &x.Alias
	case *FuncCall:
		return &x.Alias
	}
	return nil
}

// parseTail parses FOR VIEW|REFERENCE, UPDATE TRACKING|VIEWSTAT, FOR UPDATE
// and ALL ROWS.
func (p *parser) parseTail(q *Query) {
	if p.tok == FOR {
		p.next()
		switch p.tok {
		case VIEW:
			q.For = ForView
		case REFERENCE:
			q.For = ForReference
		case UPDATE:
			q.For = ForUpdate
		default:
			p.errorExpected("VIEW, REFERENCE or UPDATE")
			return
		}
		p.next()
	}
	if p.tok == UPDATE {
		p.next()
		switch p.tok {
		case TRACKING:
			q.Update = UpdateTracking
		case VIEWSTAT:
			q.Update = UpdateViewstat
		default:
			p.errorExpected("TRACKING or VIEWSTAT")
			return
		}
		p.next()
	}
	if q.For == ForNone && p.tok == FOR {
		p.next()
		if p.tok != UPDATE {
			p.errorExpected("UPDATE")
			return
		}
		p.next()
		q.For = ForUpdate
	}
	if p.tok == ALL {
		p.next()
		p.expect(ROWS)
		q.AllRows = true
	}
}

func (p *parser) parseSelectList(kind queryKind) []SelectItem {
	var items []SelectItem
	for {
		if item := p.parseSelectItem(kind); item != nil {
			items = append(items, item)
		}
		if p.tok != COMMA {
			return items
		}
		p.next()
	}
}

func (p *parser) parseSelectItem(kind queryKind) SelectItem {
	switch {
	case p.tok == LPAREN && kind != semiJoinQuery:
		return p.parseSubQuery()
	case p.isIdent():
		pos, tok, name := p.pos, p.tok, p.lit
		p.next()
		switch {
		case tok == FIELDS && p.tok == LPAREN:
			return p.parseFields(pos)
		case tok == TYPEOF && p.isIdent():
			return p.parseTypeOf(pos)
		}
		x := p.parseOperandRest(pos, name)
		if alias := aliasOf(x.(SelectItem)); p.isIdent() {
			id := p.ident("alias")
			*alias = &id
		}
		return x.(SelectItem)
	}
	p.errorExpected("field")
	return nil
}

func (p *parser) parseSubQuery() *SubQuery {
	lparen := p.pos
	p.node()
	p.enter()
	p.childDepth++
	if p.childDepth > maxChildDepth {
		p.error(lparen, fmt.Sprintf("subqueries can be nested at most %d levels deep", maxChildDepth), "")
	}
	p.next()
	q := p.parseQuery(childQuery)
	p.expect(RPAREN)
	p.childDepth--
	p.leave()
	return &SubQuery{Lparen: lparen, Query: q}
}

// parseFields parses FIELDS(ALL|STANDARD|CUSTOM) after FIELDS.
func (p *parser) parseFields(pos Pos) *Fields {
	p.node()
	p.expect(LPAREN)
	x := &Fields{FieldsPos: pos}
	switch p.tok {
	case ALL:
		x.Set = FieldsAll
	case STANDARD:
		x.Set = FieldsStandard
	case CUSTOM:
		x.Set = FieldsCustom
	default:
		p.errorExpected("ALL, STANDARD or CUSTOM")
		return x
	}
	p.next()
	p.expect(RPAREN)
	return x
}

// parseTypeOf parses a TYPEOF expression after TYPEOF.
func (p *parser) parseTypeOf(pos Pos) *TypeOf {
	p.node()
	x := &TypeOf{TypeOfPos: pos, Field: p.parsePath()}
	if p.tok != WHEN {
		p.errorExpected("WHEN")
	}
	for p.got(WHEN) {
		w := &TypeOfWhen{Type: p.objectName("object name")}
		p.expect(THEN)
		w.Fields = p.parseFieldList()
		x.Whens = append(x.Whens, w)
	}
	if p.got(ELSE) {
		x.Else = p.parseFieldList()
	}
	p.expect(END)
	return x
}

// parseFieldList parses field paths separated by commas.
func (p *parser) parseFieldList() []*FieldPath {
	var list []*FieldPath
	for {
		list = append(list, p.parsePath())
		if p.tok != COMMA {
			return list
		}
		p.next()
	}
}

func (p *parser) parseFrom(kind queryKind) From {
	var f From
	what := "object name"
	if kind == childQuery {
		what = "relationship name"
	}
	f.Object = p.objectName(what)
	if p.isFromAlias() {
		id := p.ident("alias")
		f.Alias = &id
	}
	for kind == topQuery && p.tok == COMMA {
		// Legacy: FROM Contact c, c.Account a.
		p.next()
		path := p.parsePath()
		if p.isFromAlias() {
			id := p.ident("alias")
			path.Alias = &id
		}
		f.Related = append(f.Related, path)
	}
	return f
}

// isFromAlias reports whether the current token is an alias after an object
// name, which it cannot be if it starts the next clause.
func (p *parser) isFromAlias() bool {
	switch p.tok {
	case USING, ORDER, OFFSET, FOR, UPDATE, ALL:
		return false
	}
	return p.isIdent()
}

func (p *parser) parseWith() *With {
	w := &With{WithPos: p.expect(WITH)}
	p.node()
	switch {
	case p.tok == SECURITY_ENFORCED:
		w.Kind = WithSecurityEnforced
	case p.tok == USER_MODE:
		w.Kind = WithUserMode
	case p.tok == SYSTEM_MODE:
		w.Kind = WithSystemMode
	case p.tok == DATA:
		p.next()
		p.expect(CATEGORY)
		w.Kind = WithDataCategory
		w.Categories = p.parseCategoryFilters()
		return w
	case p.tok == IDENT && strings.EqualFold(p.lit, "RecordVisibilityContext"):
		w.Kind = WithRecordVisibility
		w.Name = p.ident("RecordVisibilityContext")
		w.Params = p.parseParams()
		return w
	default:
		p.errorExpected("SECURITY_ENFORCED, USER_MODE, SYSTEM_MODE, DATA CATEGORY or RecordVisibilityContext")
		return w
	}
	p.next()
	return w
}

// parseCategoryFilters parses the filters of WITH DATA CATEGORY.
func (p *parser) parseCategoryFilters() []*CategoryFilter {
	var list []*CategoryFilter
	for {
		p.node()
		f := &CategoryFilter{Group: p.ident("data category group")}
		switch p.tok {
		case AT, ABOVE, BELOW, ABOVE_OR_BELOW:
			f.Selector = p.tok
			p.next()
		default:
			p.errorExpected("AT, ABOVE, BELOW or ABOVE_OR_BELOW")
			return append(list, f)
		}
		if p.got(LPAREN) {
			for {
				f.Categories = append(f.Categories, p.ident("data category"))
				if !p.got(COMMA) {
					break
				}
			}
			p.expect(RPAREN)
		} else {
			f.Categories = append(f.Categories, p.ident("data category"))
		}
		list = append(list, f)
		if !p.got(AND) {
			return list
		}
	}
}

// parseParams parses (name = value, …) of RecordVisibilityContext.
func (p *parser) parseParams() []*Param {
	p.expect(LPAREN)
	var list []*Param
	for {
		p.node()
		prm := &Param{Name: p.ident("parameter name")}
		p.expect(EQ)
		switch p.tok {
		case INTEGER, TRUE, FALSE:
			prm.Value = p.parseValue()
		default:
			p.errorExpected("integer, TRUE or FALSE")
		}
		list = append(list, prm)
		if !p.got(COMMA) {
			break
		}
	}
	p.expect(RPAREN)
	return list
}

func (p *parser) parseGroupBy() *GroupBy {
	g := &GroupBy{GroupPos: p.expect(GROUP)}
	p.node()
	p.expect(BY)
	if p.tok == ROLLUP || p.tok == CUBE {
		pos, tok, name := p.pos, p.tok, p.lit
		p.next()
		if p.got(LPAREN) {
			g.Kind = GroupRollup
			if tok == CUBE {
				g.Kind = GroupCube
			}
			g.Items = p.parseOperandList()
			p.expect(RPAREN)
			return g
		}
		// A field named Rollup or Cube.
		g.Items = append(g.Items, p.parseOperandRest(pos, name))
		if !p.got(COMMA) {
			return g
		}
	}
	g.Items = append(g.Items, p.parseOperandList()...)
	return g
}

func (p *parser) parseOperandList() []Expr {
	var list []Expr
	for {
		if x := p.parseOperand(); x != nil {
			list = append(list, x)
		}
		if !p.got(COMMA) {
			return list
		}
	}
}

func (p *parser) parseOrderBy() []*OrderItem {
	var list []*OrderItem
	for {
		p.node()
		item := &OrderItem{Expr: p.parseOperand()}
		switch p.tok {
		case ASC:
			item.Dir = Asc
			p.next()
		case DESC:
			item.Dir = Desc
			p.next()
		}
		if p.got(NULLS) {
			switch p.tok {
			case FIRST:
				item.Nulls = NullsFirst
				p.next()
			case LAST:
				item.Nulls = NullsLast
				p.next()
			default:
				p.errorExpected("FIRST or LAST")
			}
		}
		if item.Expr != nil {
			list = append(list, item)
		}
		if !p.got(COMMA) {
			return list
		}
	}
}

// parseIntLit parses the non-negative integer of LIMIT or OFFSET.
func (p *parser) parseIntLit() *IntLit {
	p.node()
	x := &IntLit{ValuePos: p.pos}
	if p.tok != INTEGER || !isDigit(rune(p.lit[0])) {
		p.errorExpected("non-negative integer")
		return x
	}
	n, err := strconv.ParseInt(p.lit, 10, 64)
	if err != nil {
		p.error(p.pos, "integer "+p.lit+" is out of range", "")
	}
	x.Value = n
	p.next()
	return x
}

// ----------------------------------------------------------------------------
// Operands

// parseOperand parses a field path or a function call.
func (p *parser) parseOperand() Expr {
	if !p.isIdent() {
		p.errorExpected("field")
		return nil
	}
	pos, name := p.pos, p.lit
	p.next()
	return p.parseOperandRest(pos, name)
}

// parseOperandRest parses a field path or a function call whose first name
// has been consumed.
func (p *parser) parseOperandRest(pos Pos, name string) Expr {
	if p.tok == LPAREN {
		return p.parseCall(pos, name)
	}
	return p.parsePathRest(pos, name)
}

// parsePath parses a field path.
func (p *parser) parsePath() *FieldPath {
	pos, name := p.pos, p.lit
	if !p.isIdent() {
		p.errorExpected("field")
		name = ""
	} else {
		p.next()
	}
	return p.parsePathRest(pos, name)
}

// parsePathRest parses the rest of a field path after its first segment.
func (p *parser) parsePathRest(pos Pos, first string) *FieldPath {
	p.node()
	x := &FieldPath{NamePos: pos, Segments: []string{first}}
	for p.got(DOT) {
		p.node()
		if !p.isIdent() {
			p.errorExpected("field name")
			break
		}
		x.Segments = append(x.Segments, p.lit)
		p.next()
	}
	return x
}

// parseCall parses a function call's arguments; the name has been consumed
// and the current token is "(".
func (p *parser) parseCall(pos Pos, name string) *FuncCall {
	p.node()
	p.enter()
	defer p.leave()
	x := &FuncCall{NamePos: pos, Name: name}
	info, known := lookupFold(functions, name)
	if !known {
		p.error(pos, "unknown function "+name, name)
	}
	p.expect(LPAREN)
	errs := len(p.errors)
	if p.tok != RPAREN {
		for {
			if arg := p.parseArg(info.kind); arg != nil {
				x.Args = append(x.Args, arg)
			}
			if !p.got(COMMA) {
				break
			}
		}
	}
	p.expect(RPAREN)
	if known && len(p.errors) == errs && (len(x.Args) < info.minArgs || len(x.Args) > info.maxArgs) {
		want := strconv.Itoa(info.minArgs)
		if info.maxArgs != info.minArgs {
			want += " or " + strconv.Itoa(info.maxArgs)
		}
		noun := "arguments"
		if info.maxArgs == 1 {
			noun = "argument"
		}
		p.error(pos, fmt.Sprintf("%s takes %s %s, found %d", name, want, noun, len(x.Args)), "")
	}
	return x
}

// parseArg parses a function argument: an operand or, for DISTANCE and
// GEOLOCATION, a value.
func (p *parser) parseArg(kind funcKind) Expr {
	if p.isIdent() {
		return p.parseOperand()
	}
	if kind != geoFunc {
		p.errorExpected("field")
		p.parseValue() // skip it
		return nil
	}
	return p.parseValue()
}

// ----------------------------------------------------------------------------
// Conditions

// parseCond parses conditions joined by AND or by OR. SOQL has no
// precedence between AND and OR: mixing them needs parentheses.
func (p *parser) parseCond() Cond {
	x := p.parseTerm()
	op := p.tok
	if op != AND && op != OR {
		return x
	}
	conds := appendCond(nil, x, op)
	for p.tok == AND || p.tok == OR {
		if p.tok != op {
			p.unexpected(fmt.Sprintf("unexpected %s: use parentheses to mix AND and OR", p.lit))
		}
		p.next()
		if p.tok == NOT {
			p.unexpected(fmt.Sprintf("NOT after %s must be in parentheses: write (NOT …)", op))
		}
		conds = appendCond(conds, p.parseTerm(), op)
	}
	switch {
	case len(conds) == 0:
		return nil
	case len(conds) == 1:
		return conds[0]
	case op == AND:
		return &AndExpr{Conds: conds}
	default:
		return &OrExpr{Conds: conds}
	}
}

// appendCond appends c to conds joined by op, flattening a parenthesised
// group joined by the same operator.
func appendCond(conds []Cond, c Cond, op Token) []Cond {
	switch x := c.(type) {
	case nil:
		return conds
	case *AndExpr:
		if op == AND {
			return append(conds, x.Conds...)
		}
	case *OrExpr:
		if op == OR {
			return append(conds, x.Conds...)
		}
	}
	return append(conds, c)
}

// parseTerm parses a parenthesised condition, NOT and a term, or a
// predicate.
func (p *parser) parseTerm() Cond {
	switch p.tok {
	case LPAREN:
		p.enter()
		defer p.leave()
		p.next()
		x := p.parseCond()
		p.expect(RPAREN)
		return x
	case NOT:
		p.enter()
		defer p.leave()
		p.node()
		pos := p.pos
		p.next()
		x := p.parseTerm()
		if x == nil {
			return nil
		}
		return &NotExpr{NotPos: pos, X: x}
	}
	return p.parsePredicate()
}

func (p *parser) parsePredicate() Cond {
	left := p.parseOperand()
	if left == nil {
		return nil
	}
	p.node()
	opPos := p.pos
	switch p.tok {
	case EQ, NEQ, LT, LE, GT, GE:
		op := p.tok
		p.next()
		v := p.parseValue()
		if _, ok := v.(*NullLit); ok && op != EQ && op != NEQ {
			p.error(v.Pos(), "NULL can only be compared with = or !=", "")
		}
		return &Comparison{Left: left, OpPos: opPos, Op: op, Value: v}
	case NOT:
		p.next()
		switch p.tok {
		case IN:
			return p.parseIn(left, opPos, true)
		case LIKE:
			return p.parseLike(left, opPos, true)
		}
		p.errorExpected("IN or LIKE")
		return nil
	case IN:
		return p.parseIn(left, opPos, false)
	case LIKE:
		return p.parseLike(left, opPos, false)
	case INCLUDES, EXCLUDES:
		x := &IncludesExpr{Left: left, OpPos: opPos, Excludes: p.tok == EXCLUDES}
		p.next()
		p.expect(LPAREN)
		x.Values = p.parseValueList(p.stringValue)
		p.expect(RPAREN)
		return x
	}
	p.errorExpected("comparison operator")
	return nil
}

// parseIn parses IN and what follows it; the current token is IN.
func (p *parser) parseIn(left Expr, opPos Pos, not bool) *InExpr {
	x := &InExpr{Left: left, OpPos: opPos, Not: not}
	p.next()
	p.expect(LPAREN)
	if p.tok == SELECT {
		p.enter()
		x.Sub = p.parseQuery(semiJoinQuery)
		p.leave()
	} else {
		x.Values = p.parseValueList(p.parseValue)
	}
	p.expect(RPAREN)
	return x
}

// parseLike parses LIKE and its pattern; the current token is LIKE.
func (p *parser) parseLike(left Expr, opPos Pos, not bool) *LikeExpr {
	p.next()
	return &LikeExpr{Left: left, OpPos: opPos, Not: not, Pattern: p.stringValue()}
}

// parseValueList parses values separated by commas.
func (p *parser) parseValueList(value func() Expr) []Expr {
	var list []Expr
	for {
		if v := value(); v != nil {
			list = append(list, v)
		}
		if !p.got(COMMA) {
			return list
		}
	}
}

// stringValue parses a string or a bind variable.
func (p *parser) stringValue() Expr {
	if p.tok != STRING && p.tok != COLON {
		p.errorExpected("string")
		return nil
	}
	return p.parseValue()
}

// ----------------------------------------------------------------------------
// Values

// parseValue parses a literal, a date literal or a bind variable. It
// returns nil after reporting an error.
func (p *parser) parseValue() Expr {
	p.node()
	pos, lit := p.pos, p.lit
	switch p.tok {
	case STRING:
		p.next()
		raw := lit[1 : len(lit)-1]
		return &StringLit{ValuePos: pos, Raw: raw, Value: decode(raw, false)}
	case INTEGER, DECIMAL:
		p.next()
		return &NumberLit{ValuePos: pos, Text: lit, Value: p.parseFloat(pos, lit)}
	case CURRENCY:
		p.next()
		return &CurrencyLit{ValuePos: pos, Code: lit[:3], Text: lit[3:], Value: p.parseFloat(pos, lit[3:])}
	case DATE:
		p.next()
		t, err := time.Parse(time.DateOnly, lit)
		if err != nil {
			p.error(pos, "invalid date "+lit+": "+parseErrorReason(err), "")
		}
		return &DateLit{ValuePos: pos, Text: lit, Value: t}
	case DATETIME:
		p.next()
		t, err := time.Parse(time.RFC3339Nano, lit)
		if err != nil {
			p.error(pos, "invalid datetime "+lit+": "+parseErrorReason(err), "")
		}
		return &DateTimeLit{ValuePos: pos, Text: lit, Value: t}
	case NULL:
		p.next()
		return &NullLit{ValuePos: pos}
	case TRUE, FALSE:
		p.next()
		return &BoolLit{ValuePos: pos, Value: lit[0] == 't' || lit[0] == 'T'}
	case COLON:
		p.next()
		if !p.isWord() {
			p.errorExpected("bind variable name")
			return nil
		}
		name := p.lit
		p.next()
		return &BindVar{ValuePos: pos, Name: name}
	case IDENT:
		takesN, ok := lookupFold(dateLiterals, lit)
		if !ok {
			break
		}
		p.next()
		x := &DateLiteral{ValuePos: pos, Name: upper(lit)}
		if takesN {
			if !p.got(COLON) {
				p.errorExpected(":n after " + x.Name)
				return x
			}
			if p.tok != INTEGER || !isDigit(rune(p.lit[0])) {
				p.errorExpected("non-negative integer")
				return x
			}
			n, err := strconv.Atoi(p.lit)
			if err != nil {
				p.error(p.pos, "integer "+p.lit+" is out of range", "")
			}
			x.N = n
			p.next()
		}
		return x
	}
	p.errorExpected("value")
	return nil
}

func (p *parser) parseFloat(pos Pos, text string) float64 {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		p.error(pos, "number is out of range", "")
	}
	return f
}

// parseErrorReason returns why time.Parse failed, without the input.
func parseErrorReason(err error) string {
	if e, ok := err.(*time.ParseError); ok && e.Message != "" {
		return strings.TrimPrefix(e.Message, ": ")
	}
	return "not a valid calendar value"
}

// upper returns an ASCII word in upper case.
func upper(word string) string {
	for i := 0; i < len(word); i++ {
		if 'a' <= word[i] && word[i] <= 'z' {
			return strings.ToUpper(word)
		}
	}
	return word
}

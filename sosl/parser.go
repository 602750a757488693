package sosl

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/soql"
)

// Default limits of Parse; see the options MaxLength, MaxDepth and MaxNodes.
const (
	DefaultMaxLength = 100_000 // characters of the whole statement
	DefaultMaxDepth  = 50      // nested parentheses in the term, and SOQL's nesting
	DefaultMaxNodes  = 50_000  // syntax tree nodes
)

// maxErrors is the number of errors after which Parse gives up.
const maxErrors = 10

// SOSL reports syntax errors as SOQL does: an *Error has a position, a
// message, the offending token and the text, and prints with a caret.
type (
	// Error is one syntax error (see soql.Error).
	Error = soql.Error
	// ErrorList is the sorted list of a statement's errors (see
	// soql.ErrorList).
	ErrorList = soql.ErrorList
)

// An Option changes a limit of Parse.
type Option func(*options)

type options struct {
	maxLength int
	maxDepth  int
	maxNodes  int
}

// MaxLength limits the text to n characters (DefaultMaxLength unless set).
// Zero or less means no limit.
func MaxLength(n int) Option { return func(o *options) { o.maxLength = n } }

// MaxDepth limits the nesting of parentheses in the search term, and of
// SOQL inside RETURNING, to n levels (DefaultMaxDepth unless set). Zero or
// less means no limit.
func MaxDepth(n int) Option { return func(o *options) { o.maxDepth = n } }

// MaxNodes limits the syntax tree to n nodes (DefaultMaxNodes unless set).
// Zero or less means no limit.
func MaxNodes(n int) Option { return func(o *options) { o.maxNodes = n } }

func makeOptions(opts []Option) options {
	o := options{maxLength: DefaultMaxLength, maxDepth: DefaultMaxDepth, maxNodes: DefaultMaxNodes}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// Parse parses a SOSL statement. On failure it returns a nil Search and an
// ErrorList, sorted by position, of at most ten errors.
//
// Parse checks syntax and the rules that need no metadata (see the package
// documentation). Whether objects and fields exist, and whether the term
// is long enough to search for, is for the search service.
func Parse(src string, opts ...Option) (s *Search, err error) {
	p := newParser(src, makeOptions(opts))
	defer p.recover(&err)
	if p.tooLong() {
		return nil, p.errors
	}
	p.next()
	s = p.parseSearch()
	if len(p.errors) == 0 {
		p.check(s)
	}
	if len(p.errors) > 0 {
		return nil, p.errors
	}
	return s, nil
}

// ParseTerm parses a search term on its own, as the q of a
// parameterizedSearch request holds it: without braces, in which a } needs
// no escape. It returns nil for a term with nothing in it.
func ParseTerm(src string, opts ...Option) (t Term, err error) {
	p := newParser(src, makeOptions(opts))
	p.sc.bare = true
	defer p.recover(&err)
	if p.tooLong() {
		return nil, p.errors
	}
	p.nextTerm()
	t = p.parseTerm()
	if len(p.errors) > 0 {
		return nil, p.errors
	}
	return t, nil
}

func newParser(src string, o options) *parser {
	p := &parser{src: src, opts: o}
	p.sc.Init(src, func(pos Pos, msg string) { p.error(pos, msg, "") })
	return p
}

// recover turns the parser's bailout into its error list; other panics go
// on.
func (p *parser) recover(err *error) {
	if r := recover(); r != nil {
		if _, ok := r.(bailout); !ok {
			panic(r)
		}
	}
	if len(p.errors) > 0 {
		sortErrors(&p.errors)
		*err = p.errors
	}
}

func (p *parser) tooLong() bool {
	if p.opts.maxLength > 0 && len(p.src) > p.opts.maxLength {
		if n := utf8.RuneCountInString(p.src); n > p.opts.maxLength {
			p.error(Pos{Line: 1, Col: 1}, fmt.Sprintf("search is too long: %d characters, the limit is %d", n, p.opts.maxLength), "")
			return true
		}
	}
	return false
}

// sortErrors sorts errors by position, keeping the order of errors at the
// same position, and drops errors repeated at one position.
func sortErrors(l *ErrorList) {
	slices.SortStableFunc(*l, func(a, b *Error) int { return cmp.Compare(a.Pos.Offset, b.Pos.Offset) })
	*l = slices.CompactFunc(*l, func(a, b *Error) bool { return a.Pos == b.Pos })
}

// bailout is the panic that stops a parse after too many errors or on a
// broken limit; only Parse and ParseTerm recover it.
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

	depth int // nesting, against opts.maxDepth
	nodes int // nodes made, against opts.maxNodes
}

// next moves to the next token of the clauses, skipping illegal ones: the
// scanner has reported them.
func (p *parser) next() {
	p.pos, p.tok, p.lit = p.sc.Scan()
	for p.tok == ILLEGAL {
		p.pos, p.tok, p.lit = p.sc.Scan()
	}
}

// nextTerm moves to the next token of the search term.
func (p *parser) nextTerm() {
	for {
		p.pos, p.tok, p.lit = p.sc.ScanTerm()
		if p.tok != ILLEGAL {
			return
		}
	}
}

// error records an error. near is the offending token as written, or
// empty. The tenth error stops the parse.
func (p *parser) error(pos Pos, msg, near string) {
	if n := len(p.errors); n > 0 && p.errors[n-1].Pos == pos {
		return // one error per position is enough
	}
	e := soql.ErrorAt(p.src, pos, msg)
	e.Near = near
	p.errors = append(p.errors, e)
	if len(p.errors) >= maxErrors {
		panic(bailout{})
	}
}

// fatal records an error and stops the parse.
func (p *parser) fatal(pos Pos, msg string) {
	p.errors = append(p.errors, soql.ErrorAt(p.src, pos, msg))
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
		return "end of search"
	}
	return p.lit
}

func (p *parser) errorExpected(what string) {
	p.error(p.pos, "expected "+what+", found "+p.found(), p.near())
}

// expect consumes the current clause token if it is tok, else reports an
// error and consumes nothing. It returns the position of the token.
func (p *parser) expect(tok Token) Pos {
	pos := p.pos
	if p.tok != tok {
		p.errorExpected(tok.String())
		return pos
	}
	p.next()
	return pos
}

// got consumes the current clause token if it is tok.
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
		p.fatal(p.pos, fmt.Sprintf("search is too complex: more than %d syntax nodes", p.opts.maxNodes))
	}
}

// enter and leave bracket a nesting level.
func (p *parser) enter() {
	p.depth++
	if p.opts.maxDepth > 0 && p.depth > p.opts.maxDepth {
		p.fatal(p.pos, fmt.Sprintf("search is nested too deeply: more than %d levels", p.opts.maxDepth))
	}
}

func (p *parser) leave() { p.depth-- }

// isName reports whether the current token can be a name: an identifier or
// any keyword.
func (p *parser) isName() bool { return p.tok == IDENT || p.tok.IsKeyword() }

// name parses a name.
func (p *parser) name(what string) Ident {
	id := Ident{NamePos: p.pos, Name: p.lit}
	if !p.isName() {
		p.errorExpected(what)
		id.Name = ""
		return id
	}
	p.next()
	return id
}

// ----------------------------------------------------------------------------
// Clauses

func (p *parser) parseSearch() *Search {
	p.node()
	s := &Search{Find: p.pos}
	if p.tok != FIND {
		p.errorExpected("FIND")
	} else {
		p.next()
	}
	s.Lbrace = p.pos
	if p.tok != LBRACE {
		p.error(p.pos, "expected { before the search term, found "+p.found(), p.near())
		return s
	}
	p.nextTerm()
	s.Term = p.parseTerm()
	if p.tok != RBRACE {
		// parseTerm stops only at } or the end.
		p.error(p.pos, "search term not terminated: expected }, found "+p.found(), p.near())
		return s
	}
	p.next()

	if p.tok == IN {
		s.ScopePos = p.pos
		p.next()
		switch p.tok {
		case ALL:
			s.Scope = ScopeAll
		case NAME:
			s.Scope = ScopeName
		case EMAIL:
			s.Scope = ScopeEmail
		case PHONE:
			s.Scope = ScopePhone
		case SIDEBAR:
			s.Scope = ScopeSidebar
		default:
			p.errorExpected("ALL, NAME, EMAIL, PHONE or SIDEBAR")
			return s
		}
		p.next()
		p.expect(FIELDS)
	}
	if p.got(RETURNING) {
		s.Returning = p.parseReturningList()
	}
	for p.tok == WITH {
		s.With = append(s.With, p.parseWith())
	}
	if p.got(LIMIT) {
		s.Limit = p.parseIntLit()
	}
	if p.got(UPDATE) {
		for {
			switch p.tok {
			case TRACKING:
				s.Update |= UpdateTracking
			case VIEWSTAT:
				s.Update |= UpdateViewstat
			default:
				p.errorExpected("TRACKING or VIEWSTAT")
				return s
			}
			p.next()
			if !p.got(COMMA) {
				break
			}
		}
	}
	if p.tok != EOF {
		p.errorExpected("end of search")
	}
	return s
}

func (p *parser) parseReturningList() []*Returning {
	var list []*Returning
	for {
		p.node()
		r := &Returning{Object: p.name("object name")}
		if p.tok == LPAREN {
			p.parseSpec(r)
		}
		list = append(list, r)
		if !p.got(COMMA) {
			return list
		}
	}
}

// parseIntLit parses the non-negative integer of LIMIT or OFFSET.
func (p *parser) parseIntLit() *IntLit {
	p.node()
	x := &IntLit{ValuePos: p.pos}
	if p.tok != INTEGER {
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

func (p *parser) parseWith() *With {
	p.node()
	w := &With{WithPos: p.expect(WITH)}
	kind := p.tok
	switch kind {
	case DIVISION, PRICEBOOKID, METADATA:
		p.next()
		p.expect(EQ)
		w.Value = p.stringLit()
	case NETWORK:
		p.next()
		w.Kind = WithNetwork
		if p.got(IN) {
			p.expect(LPAREN)
			for {
				w.Values = append(w.Values, p.stringLit())
				if !p.got(COMMA) {
					break
				}
			}
			p.expect(RPAREN)
		} else {
			p.expect(EQ)
			w.Value = p.stringLit()
		}
		return w
	case SPELL_CORRECTION:
		p.next()
		p.expect(EQ)
		if p.tok != TRUE && p.tok != FALSE {
			p.errorExpected("TRUE or FALSE")
			return w
		}
		w.Value = p.tok.String()
		p.next()
	case SNIPPET:
		p.next()
		if p.got(LPAREN) {
			if p.tok != IDENT || !strings.EqualFold(p.lit, "target_length") {
				p.errorExpected("target_length")
				return w
			}
			p.next()
			p.expect(EQ)
			w.TargetLength = p.parseIntLit()
			p.expect(RPAREN)
		}
	case DATA:
		p.next()
		p.expect(CATEGORY)
		w.Categories = p.parseCategoryFilters()
	case HIGHLIGHT, USER_MODE, SYSTEM_MODE, SECURITY_ENFORCED:
		p.next()
	default:
		p.errorExpected("DIVISION, DATA CATEGORY, SNIPPET, NETWORK, PricebookId, METADATA, SPELL_CORRECTION, HIGHLIGHT, USER_MODE, SYSTEM_MODE or SECURITY_ENFORCED")
		return w
	}
	w.Kind = withKinds[kind]
	return w
}

var withKinds = map[Token]WithKind{
	DIVISION: WithDivision, DATA: WithDataCategory, SNIPPET: WithSnippet, NETWORK: WithNetwork,
	PRICEBOOKID: WithPricebook, METADATA: WithMetadata, SPELL_CORRECTION: WithSpellCorrection,
	HIGHLIGHT: WithHighlight, USER_MODE: WithUserMode, SYSTEM_MODE: WithSystemMode,
	SECURITY_ENFORCED: WithSecurityEnforced,
}

// stringLit parses a string literal and returns it as written.
func (p *parser) stringLit() string {
	if p.tok != STRING {
		p.errorExpected("string")
		return "''"
	}
	lit := p.lit
	p.next()
	return lit
}

// parseCategoryFilters parses the filters of WITH DATA CATEGORY.
func (p *parser) parseCategoryFilters() []*CategoryFilter {
	var list []*CategoryFilter
	for {
		p.node()
		f := &CategoryFilter{Group: p.name("data category group")}
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
				f.Categories = append(f.Categories, p.name("data category"))
				if !p.got(COMMA) {
					break
				}
			}
			p.expect(RPAREN)
		} else {
			f.Categories = append(f.Categories, p.name("data category"))
		}
		list = append(list, f)
		if !p.got(AND) {
			return list
		}
	}
}

// ----------------------------------------------------------------------------
// The search term

// parseTerm parses the search term up to the closing brace (or the end of
// a bare term). It returns nil when there is nothing before it.
func (p *parser) parseTerm() Term {
	if p.tok == RBRACE || p.tok == EOF {
		return nil
	}
	x := p.parseBinary(1)
	for p.tok != RBRACE && p.tok != EOF {
		// A stray ) or operator: report it and go on after it.
		p.error(p.pos, "unexpected "+p.found()+" in the search term", p.near())
		p.nextTerm()
		if p.tok != RBRACE && p.tok != EOF {
			p.parseBinary(1)
		}
	}
	return x
}

// termOp returns the operator at the current token, whether it is written
// (implicit AND is not), and whether it negates (AND NOT, NOT). prec is
// LowestPrec when the current token ends the expression.
func (p *parser) termOp() (op Token, written, negate bool, prec int) {
	switch p.tok {
	case OR, AND:
		return p.tok, true, false, p.tok.Precedence()
	case NOT:
		return AND, true, true, NOT.Precedence()
	case WORD, PHRASE, LPAREN:
		return AND, false, false, AND.Precedence()
	}
	return ILLEGAL, false, false, LowestPrec
}

// parseBinary parses operands joined by operators of precedence prec1 or
// more, by precedence climbing. Operators of equal precedence group to the
// left, as SOSL evaluates terms from left to right.
func (p *parser) parseBinary(prec1 int) Term {
	x := p.parseUnary()
	for {
		op, written, negate, prec := p.termOp()
		if prec < prec1 {
			return x
		}
		opPos := p.pos
		if written {
			p.nextTerm()
			if op == AND && !negate && p.tok == NOT {
				opPos = p.pos
				negate = true
				p.nextTerm()
			}
		}
		y := p.parseBinary(prec + 1)
		if y == nil || x == nil {
			if x == nil {
				x = y
			}
			continue
		}
		p.node()
		if negate {
			y = &NotTerm{NotPos: opPos, X: y}
		}
		x = join(op, x, y)
	}
}

// join joins x and y by op, flattening operands joined by the same
// operator: (a AND b) AND c is a AND b AND c.
func join(op Token, x, y Term) Term {
	if op == OR {
		var terms []Term
		terms = appendFlat[*OrTerm](terms, x, func(t *OrTerm) []Term { return t.Terms })
		terms = appendFlat[*OrTerm](terms, y, func(t *OrTerm) []Term { return t.Terms })
		return &OrTerm{Terms: terms}
	}
	var terms []Term
	terms = appendFlat[*AndTerm](terms, x, func(t *AndTerm) []Term { return t.Terms })
	terms = appendFlat[*AndTerm](terms, y, func(t *AndTerm) []Term { return t.Terms })
	return &AndTerm{Terms: terms}
}

func appendFlat[T Term](list []Term, t Term, kids func(T) []Term) []Term {
	if g, ok := t.(T); ok {
		return append(list, kids(g)...)
	}
	return append(list, t)
}

// parseUnary parses a word, a phrase or a parenthesised term. It returns
// nil after reporting an error.
func (p *parser) parseUnary() Term {
	switch p.tok {
	case LPAREN:
		p.enter()
		defer p.leave()
		p.nextTerm()
		x := p.parseBinary(1)
		if p.tok != RPAREN {
			p.errorExpected(")")
			return x
		}
		p.nextTerm()
		return x
	case WORD:
		p.node()
		x := &Word{WordPos: p.pos, Raw: p.lit, Value: decodeTerm(p.lit)}
		p.checkWildcards(x.WordPos, x.Value)
		p.nextTerm()
		return x
	case PHRASE:
		p.node()
		raw := p.lit[1 : len(p.lit)-1]
		x := &Phrase{Lquote: p.pos, Raw: raw, Value: decodeTerm(raw)}
		p.checkWildcards(x.Lquote, x.Value)
		p.nextTerm()
		return x
	case NOT:
		p.error(p.pos, "NOT needs a term before it: write x AND NOT y", p.near())
		p.nextTerm()
		return p.parseUnary()
	}
	p.errorExpected("search term")
	if p.tok == AND || p.tok == OR {
		p.nextTerm()
	}
	return nil
}

// checkWildcards reports a wildcard that does not follow a letter or digit:
// wildcards extend words, they cannot start them.
func (p *parser) checkWildcards(pos Pos, value string) {
	prev := ' '
	for _, r := range value {
		if (r == '*' || r == '?') && !isWordRune(prev) && prev != '*' && prev != '?' {
			p.error(pos, "a wildcard must follow a letter or digit: * and ? cannot start a word", "")
			return
		}
		prev = r
	}
}

// isWordRune reports whether r belongs to the words the index holds.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// decodeTerm resolves the escapes of a word or phrase: an escaped letter or
// digit stands for itself, any other escaped character becomes a space.
func decodeTerm(raw string) string {
	i := strings.IndexByte(raw, '\\')
	if i < 0 {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	b.WriteString(raw[:i])
	for i < len(raw) {
		c := raw[i]
		if c != '\\' || i+1 == len(raw) {
			b.WriteByte(c)
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(raw[i+1:])
		if isWordRune(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
		i += 1 + w
	}
	return b.String()
}

package sosl

import "github.com/rapportcrm/rapport/soql"

// SOSL shares positions, names and integers with SOQL, and a RETURNING
// object's field list, WHERE and ORDER BY are SOQL's own nodes.
type (
	// Pos is a position in the search text (see soql.Pos).
	Pos = soql.Pos
	// Ident is a name as written, with its position.
	Ident = soql.Ident
	// IntLit is the non-negative integer of LIMIT or OFFSET.
	IntLit = soql.IntLit
)

// A Node is an element of the syntax tree. String prints it as canonical
// SOSL.
type Node interface {
	Pos() Pos
	String() string
}

// A Term is the search term between the braces, or part of it: *Word,
// *Phrase, *AndTerm, *OrTerm or, inside an AndTerm, *NotTerm. Parentheses
// leave no node: the tree's shape records the grouping.
type Term interface {
	Node
	term()
}

// A Search is a SOSL statement.
type Search struct {
	Find   Pos
	Lbrace Pos  // position of the { before the term
	Term   Term // nil when the braces hold nothing

	// Scope is the IN … FIELDS group; ScopeDefault when none is written.
	Scope    Scope
	ScopePos Pos // position of IN, if any

	Returning []*Returning
	With      []*With
	Limit     *IntLit // nil if none

	Update UpdateMode // UPDATE TRACKING and/or VIEWSTAT
}

// Scope is the group of fields a search looks in.
type Scope int

// The scopes. ScopeDefault (nothing written) searches all fields, as
// ScopeAll does.
const (
	ScopeDefault Scope = iota
	ScopeAll           // IN ALL FIELDS
	ScopeName          // IN NAME FIELDS
	ScopeEmail         // IN EMAIL FIELDS
	ScopePhone         // IN PHONE FIELDS
	ScopeSidebar       // IN SIDEBAR FIELDS
)

var scopeNames = [...]string{ScopeAll: "ALL", ScopeName: "NAME", ScopeEmail: "EMAIL", ScopePhone: "PHONE", ScopeSidebar: "SIDEBAR"}

// String returns ALL, NAME, EMAIL, PHONE or SIDEBAR, and ALL for
// ScopeDefault.
func (s Scope) String() string {
	if s == ScopeDefault {
		return "ALL"
	}
	if s > 0 && int(s) < len(scopeNames) {
		return scopeNames[s]
	}
	return "Scope(?)"
}

// UpdateMode records UPDATE TRACKING and UPDATE VIEWSTAT; both may be set.
type UpdateMode int

// The UPDATE clauses.
const (
	UpdateTracking UpdateMode = 1 << iota // UPDATE TRACKING
	UpdateViewstat                        // UPDATE VIEWSTAT
)

// A Returning is one object of the RETURNING clause, with the SOQL-like
// clauses in its parentheses. Without parentheses, Lparen is the zero Pos
// and the rest is empty.
type Returning struct {
	Object Ident
	Lparen Pos

	// Fields are plain fields, parent paths, TYPEOF and the functions
	// toLabel, FORMAT and convertCurrency; never subqueries or aggregates.
	Fields  []soql.SelectItem
	Where   soql.Cond // nil if none
	OrderBy []*soql.OrderItem
	Limit   *IntLit // nil if none
	Offset  *IntLit // nil if none
}

// WithKind is the kind of a WITH clause.
type WithKind int

// The WITH clauses. Rapport reads them all; the search service acts on
// none of them yet.
const (
	WithDivision         WithKind = iota + 1 // WITH DIVISION = 'Global'
	WithDataCategory                         // WITH DATA CATEGORY filters
	WithSnippet                              // WITH SNIPPET [(target_length = n)]
	WithNetwork                              // WITH NETWORK = '…' or WITH NETWORK IN ('…', …)
	WithPricebook                            // WITH PricebookId = '…'
	WithMetadata                             // WITH METADATA = 'LABELS'
	WithSpellCorrection                      // WITH SPELL_CORRECTION = TRUE|FALSE
	WithHighlight                            // WITH HIGHLIGHT
	WithUserMode                             // WITH USER_MODE
	WithSystemMode                           // WITH SYSTEM_MODE
	WithSecurityEnforced                     // WITH SECURITY_ENFORCED
)

// A With is one WITH clause.
type With struct {
	WithPos Pos
	Kind    WithKind

	// Value is the literal after "=" as written: a string in quotes for
	// DIVISION, NETWORK, PricebookId and METADATA, TRUE or FALSE for
	// SPELL_CORRECTION.
	Value string
	// Values are the strings of WITH NETWORK IN (…), as written.
	Values []string
	// TargetLength is SNIPPET's target_length, or nil.
	TargetLength *IntLit
	// Categories are the filters of WITH DATA CATEGORY, joined by AND.
	Categories []*CategoryFilter
}

// A CategoryFilter is "Group AT|ABOVE|BELOW|ABOVE_OR_BELOW category" or the
// same with a parenthesised list of categories.
type CategoryFilter struct {
	Group      Ident
	Selector   Token // AT, ABOVE, BELOW or ABOVE_OR_BELOW
	Categories []Ident
}

// A Word is one word of the search term. Raw is the word as written;
// Value has its escapes resolved. An escaped letter or digit stands for
// itself and any other escaped character becomes a space (punctuation only
// separates the words the index holds), so a * or ? left in Value is a
// wildcard.
type Word struct {
	WordPos Pos
	Raw     string
	Value   string
}

// A Phrase is a double-quoted run of words that must appear in order. Raw
// is the text between the quotes as written; Value is decoded as a Word's.
type Phrase struct {
	Lquote Pos
	Raw    string
	Value  string
}

// An AndTerm is two or more terms that must all match. Every operand but
// the first may be a *NotTerm, whose term must not match.
type AndTerm struct {
	Terms []Term
}

// An OrTerm is two or more terms of which one must match.
type OrTerm struct {
	Terms []Term
}

// A NotTerm is NOT followed by a term; it stands only in an AndTerm, after
// its first operand ("a AND NOT b").
type NotTerm struct {
	NotPos Pos
	X      Term
}

// Pos returns the position of FIND.
func (s *Search) Pos() Pos { return s.Find }

// Pos returns the position of the object's name.
func (r *Returning) Pos() Pos { return r.Object.NamePos }

// Pos returns the position of WITH.
func (w *With) Pos() Pos { return w.WithPos }

// Pos returns the position of the word.
func (x *Word) Pos() Pos { return x.WordPos }

// Pos returns the position of the opening quote.
func (x *Phrase) Pos() Pos { return x.Lquote }

// Pos returns the position of the first operand.
func (x *AndTerm) Pos() Pos { return x.Terms[0].Pos() }

// Pos returns the position of the first operand.
func (x *OrTerm) Pos() Pos { return x.Terms[0].Pos() }

// Pos returns the position of NOT.
func (x *NotTerm) Pos() Pos { return x.NotPos }

func (*Word) term()    {}
func (*Phrase) term()  {}
func (*AndTerm) term() {}
func (*OrTerm) term()  {}
func (*NotTerm) term() {}

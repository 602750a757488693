package soql

import "time"

// A Node is an element of the syntax tree. String prints it as canonical
// SOQL.
type Node interface {
	Pos() Pos
	String() string
}

// A SelectItem is an element of a SELECT list: *FieldPath, *FuncCall,
// *Fields, *SubQuery or *TypeOf.
type SelectItem interface {
	Node
	selectItem()
}

// An Expr is an operand or a value: *FieldPath and *FuncCall are operands;
// *StringLit, *NumberLit, *CurrencyLit, *BoolLit, *NullLit, *DateLit,
// *DateTimeLit, *DateLiteral and *BindVar are values.
type Expr interface {
	Node
	expr()
}

// A Cond is a condition of WHERE or HAVING: *AndExpr, *OrExpr, *NotExpr,
// *Comparison, *InExpr, *IncludesExpr or *LikeExpr. Parentheses leave no
// node: the tree's shape records the grouping, and the printer puts
// parentheses back where SOQL needs them.
type Cond interface {
	Node
	cond()
}

// A Query is a SELECT statement. The same type holds the top-level query,
// a child relationship subquery in a SELECT list (see SubQuery), and the
// subquery of a semi-join or anti-join (see InExpr).
type Query struct {
	Select Pos // position of SELECT
	Fields []SelectItem

	From From

	// Scope is the USING SCOPE name (mine, everything, …) as written, or nil.
	Scope *Ident

	Where Cond // nil if none
	With  []*With

	GroupBy *GroupBy // nil if none
	Having  Cond     // nil if none; only with GroupBy

	OrderBy []*OrderItem

	Limit  *IntLit // nil if none
	Offset *IntLit // nil if none

	For     ForMode    // FOR VIEW, FOR REFERENCE or FOR UPDATE
	Update  UpdateMode // UPDATE TRACKING or UPDATE VIEWSTAT
	AllRows bool       // ALL ROWS
}

// From is a FROM clause: the object (for a child subquery, the child
// relationship name) with an optional alias, followed in the legacy form
// "FROM Contact c, c.Account a" by aliased relationship paths.
type From struct {
	Object  Ident
	Alias   *Ident       // nil if none
	Related []*FieldPath // legacy form; each has an Alias or not
}

// An Ident is a name as written, with its position.
type Ident struct {
	NamePos Pos
	Name    string
}

// ForMode is the mode of a FOR clause.
type ForMode int

// The FOR clauses.
const (
	ForNone      ForMode = iota
	ForView              // FOR VIEW
	ForReference         // FOR REFERENCE
	ForUpdate            // FOR UPDATE
)

// UpdateMode is the mode of an UPDATE clause.
type UpdateMode int

// The UPDATE clauses.
const (
	UpdateNone     UpdateMode = iota
	UpdateTracking            // UPDATE TRACKING
	UpdateViewstat            // UPDATE VIEWSTAT
)

// WithKind is the kind of a WITH clause.
type WithKind int

// The WITH clauses.
const (
	WithSecurityEnforced WithKind = iota + 1 // WITH SECURITY_ENFORCED
	WithUserMode                             // WITH USER_MODE
	WithSystemMode                           // WITH SYSTEM_MODE
	WithDataCategory                         // WITH DATA CATEGORY filters
	WithRecordVisibility                     // WITH RecordVisibilityContext(params)
)

// A With is one WITH clause.
type With struct {
	WithPos Pos
	Kind    WithKind

	// Categories holds the filters of WITH DATA CATEGORY, joined by AND.
	Categories []*CategoryFilter

	// Name and Params hold WITH RecordVisibilityContext(name = value, …).
	Name   Ident
	Params []*Param
}

// A CategoryFilter is "Group AT|ABOVE|BELOW|ABOVE_OR_BELOW category" or the
// same with a parenthesised list of categories.
type CategoryFilter struct {
	Group      Ident
	Selector   Token // AT, ABOVE, BELOW or ABOVE_OR_BELOW
	Categories []Ident
}

// A Param is "name = value" in WITH RecordVisibilityContext(…).
type Param struct {
	Name  Ident
	Value Expr // *NumberLit or *BoolLit
}

// GroupKind says how GROUP BY groups.
type GroupKind int

// The GROUP BY forms.
const (
	GroupPlain  GroupKind = iota // GROUP BY a, b
	GroupRollup                  // GROUP BY ROLLUP(a, b)
	GroupCube                    // GROUP BY CUBE(a, b)
)

// GroupBy is a GROUP BY clause. Items are *FieldPath or *FuncCall.
type GroupBy struct {
	GroupPos Pos
	Kind     GroupKind
	Items    []Expr
}

// Direction is the sort direction of an ORDER BY item.
type Direction int

// The sort directions. DirDefault (nothing written) sorts ascending.
const (
	DirDefault Direction = iota
	Asc
	Desc
)

// NullsOrder says where an ORDER BY item puts nulls.
type NullsOrder int

// The null orderings. NullsDefault (nothing written) puts nulls first.
const (
	NullsDefault NullsOrder = iota
	NullsFirst
	NullsLast
)

// An OrderItem is one element of ORDER BY. Expr is a *FieldPath or a
// *FuncCall.
type OrderItem struct {
	Expr  Expr
	Dir   Direction
	Nulls NullsOrder
}

// A FieldPath is a field or a child-to-parent path such as
// Account.Owner.Name, with each segment as written. The first segment may
// be the object's name or alias; telling which is the binder's job.
type FieldPath struct {
	NamePos  Pos
	Segments []string
	Alias    *Ident // nil if none; only in SELECT lists
}

// A FuncCall is a function call such as COUNT(), COUNT(Id), SUM(Amount),
// CALENDAR_YEAR(convertTimezone(CreatedDate)), toLabel(Status),
// DISTANCE(Loc__c, GEOLOCATION(37.77, -122.41), 'mi') or GROUPING(Name).
// Name is as written; Args are operands and, for DISTANCE and GEOLOCATION,
// values.
type FuncCall struct {
	NamePos Pos
	Name    string
	Args    []Expr
	Alias   *Ident // nil if none; only in SELECT lists
}

// FieldSet is the argument of FIELDS().
type FieldSet int

// The sets of fields that FIELDS() selects.
const (
	FieldsAll      FieldSet = iota + 1 // FIELDS(ALL)
	FieldsStandard                     // FIELDS(STANDARD)
	FieldsCustom                       // FIELDS(CUSTOM)
)

// Fields is FIELDS(ALL), FIELDS(STANDARD) or FIELDS(CUSTOM) in a SELECT list.
type Fields struct {
	FieldsPos Pos
	Set       FieldSet
}

// A SubQuery is a parenthesised child relationship query in a SELECT list,
// such as (SELECT LastName FROM Contacts). Query.From.Object holds the
// relationship name.
type SubQuery struct {
	Lparen Pos
	Query  *Query
}

// TypeOf is a TYPEOF expression on a polymorphic relationship:
//
//	TYPEOF What WHEN Account THEN Phone, Name WHEN Opportunity THEN Amount ELSE Name END
type TypeOf struct {
	TypeOfPos Pos
	Field     *FieldPath
	Whens     []*TypeOfWhen
	Else      []*FieldPath // nil if there is no ELSE
}

// A TypeOfWhen is "WHEN Type THEN fields" in a TYPEOF expression.
type TypeOfWhen struct {
	Type   Ident
	Fields []*FieldPath
}

// AndExpr is two or more conditions joined by AND.
type AndExpr struct {
	Conds []Cond
}

// OrExpr is two or more conditions joined by OR.
type OrExpr struct {
	Conds []Cond
}

// NotExpr is NOT followed by a condition.
type NotExpr struct {
	NotPos Pos
	X      Cond
}

// A Comparison is "operand op value", op being one of = != < <= > >=
// (<> is read as !=).
type Comparison struct {
	Left  Expr // *FieldPath or *FuncCall
	OpPos Pos
	Op    Token
	Value Expr
}

// An InExpr is "operand [NOT] IN (values)" or, for a semi-join or
// anti-join, "operand [NOT] IN (SELECT …)"; exactly one of Values and Sub is
// set.
type InExpr struct {
	Left   Expr // *FieldPath or *FuncCall
	OpPos  Pos  // position of NOT or IN
	Not    bool
	Values []Expr
	Sub    *Query
}

// An IncludesExpr is "operand INCLUDES|EXCLUDES (values)" on a
// multi-select picklist. Each value is a *StringLit (such as 'A;B', meaning
// A and B) or a *BindVar.
type IncludesExpr struct {
	Left     Expr // *FieldPath or *FuncCall
	OpPos    Pos
	Excludes bool
	Values   []Expr
}

// A LikeExpr is "operand [NOT] LIKE pattern". Pattern is a *StringLit
// (see StringLit.LikePattern) or a *BindVar. Salesforce documents NOT LIKE
// as "NOT operand LIKE pattern", which parses as a NotExpr.
type LikeExpr struct {
	Left    Expr // *FieldPath or *FuncCall
	OpPos   Pos
	Not     bool
	Pattern Expr
}

// A StringLit is a string literal. Raw is the text between the quotes as
// written; Value is the decoded text, in which the LIKE escapes \_ and \%
// keep their backslash.
type StringLit struct {
	ValuePos Pos
	Raw      string
	Value    string
}

// A NumberLit is an integer or decimal literal, possibly signed. Text is the
// literal as written, exact; Value is the nearest float64.
type NumberLit struct {
	ValuePos Pos
	Text     string
	Value    float64
}

// A CurrencyLit is a number prefixed with an ISO currency code, such as
// USD5000 or EUR12.50, for multicurrency orgs.
type CurrencyLit struct {
	ValuePos Pos
	Code     string // as written, e.g. "USD"
	Text     string // the number as written, e.g. "5000"
	Value    float64
}

// An IntLit is the non-negative integer of LIMIT or OFFSET.
type IntLit struct {
	ValuePos Pos
	Value    int64
}

// A BoolLit is TRUE or FALSE.
type BoolLit struct {
	ValuePos Pos
	Value    bool
}

// A NullLit is NULL.
type NullLit struct {
	ValuePos Pos
}

// A DateLit is a date such as 2024-01-31. Value is midnight UTC of that day.
type DateLit struct {
	ValuePos Pos
	Text     string
	Value    time.Time
}

// A DateTimeLit is a datetime such as 2024-01-31T10:00:00Z or
// 2024-01-31T10:00:00.000+05:30. Value keeps the written offset.
type DateTimeLit struct {
	ValuePos Pos
	Text     string
	Value    time.Time
}

// A DateLiteral is a relative date range such as TODAY, LAST_90_DAYS or
// LAST_N_DAYS:30. Name is in upper case; N is the number after the colon for
// the names that take one (see DateLiteral.HasN), else 0.
type DateLiteral struct {
	ValuePos Pos
	Name     string
	N        int
}

// A BindVar is an Apex-style bind variable, :name.
type BindVar struct {
	ValuePos Pos // position of the colon
	Name     string
}

// Pos implementations.

// Pos returns the position of SELECT.
func (q *Query) Pos() Pos { return q.Select }

// Pos returns the position of the field's first segment.
func (x *FieldPath) Pos() Pos { return x.NamePos }

// Pos returns the position of the function's name.
func (x *FuncCall) Pos() Pos { return x.NamePos }

// Pos returns the position of FIELDS.
func (x *Fields) Pos() Pos { return x.FieldsPos }

// Pos returns the position of the opening parenthesis.
func (x *SubQuery) Pos() Pos { return x.Lparen }

// Pos returns the position of TYPEOF.
func (x *TypeOf) Pos() Pos { return x.TypeOfPos }

// Pos returns the position of the first condition.
func (x *AndExpr) Pos() Pos { return x.Conds[0].Pos() }

// Pos returns the position of the first condition.
func (x *OrExpr) Pos() Pos { return x.Conds[0].Pos() }

// Pos returns the position of NOT.
func (x *NotExpr) Pos() Pos { return x.NotPos }

// Pos returns the position of the left operand.
func (x *Comparison) Pos() Pos { return x.Left.Pos() }

// Pos returns the position of the left operand.
func (x *InExpr) Pos() Pos { return x.Left.Pos() }

// Pos returns the position of the left operand.
func (x *IncludesExpr) Pos() Pos { return x.Left.Pos() }

// Pos returns the position of the left operand.
func (x *LikeExpr) Pos() Pos { return x.Left.Pos() }

// Pos returns the position of the opening quote.
func (x *StringLit) Pos() Pos { return x.ValuePos }

// Pos returns the position of the number.
func (x *NumberLit) Pos() Pos { return x.ValuePos }

// Pos returns the position of the currency code.
func (x *CurrencyLit) Pos() Pos { return x.ValuePos }

// Pos returns the position of the integer.
func (x *IntLit) Pos() Pos { return x.ValuePos }

// Pos returns the position of the literal.
func (x *BoolLit) Pos() Pos { return x.ValuePos }

// Pos returns the position of NULL.
func (x *NullLit) Pos() Pos { return x.ValuePos }

// Pos returns the position of the date.
func (x *DateLit) Pos() Pos { return x.ValuePos }

// Pos returns the position of the datetime.
func (x *DateTimeLit) Pos() Pos { return x.ValuePos }

// Pos returns the position of the name.
func (x *DateLiteral) Pos() Pos { return x.ValuePos }

// Pos returns the position of the colon.
func (x *BindVar) Pos() Pos { return x.ValuePos }

// Marker methods.

func (*FieldPath) selectItem() {}
func (*FuncCall) selectItem()  {}
func (*Fields) selectItem()    {}
func (*SubQuery) selectItem()  {}
func (*TypeOf) selectItem()    {}

func (*FieldPath) expr()   {}
func (*FuncCall) expr()    {}
func (*StringLit) expr()   {}
func (*NumberLit) expr()   {}
func (*CurrencyLit) expr() {}
func (*BoolLit) expr()     {}
func (*NullLit) expr()     {}
func (*DateLit) expr()     {}
func (*DateTimeLit) expr() {}
func (*DateLiteral) expr() {}
func (*BindVar) expr()     {}

func (*AndExpr) cond()      {}
func (*OrExpr) cond()       {}
func (*NotExpr) cond()      {}
func (*Comparison) cond()   {}
func (*InExpr) cond()       {}
func (*IncludesExpr) cond() {}
func (*LikeExpr) cond()     {}

// HasN reports whether the date literal takes a number, as LAST_N_DAYS:n
// does.
func (x *DateLiteral) HasN() bool { return dateLiterals[x.Name] }

// LikePattern returns the string as a LIKE pattern in which % and _ are
// wildcards and a backslash escapes the next character: a literal %, _ or
// backslash is written \%, \_ or \\, and every other escape is decoded. This
// is the form SQL's LIKE … ESCAPE '\' expects.
func (x *StringLit) LikePattern() string { return decode(x.Raw, true) }

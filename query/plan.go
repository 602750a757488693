package query

import (
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/soql"
)

// A plan is a query bound to metadata: every name resolved to an object,
// field or relationship, every value typed. The compiler turns it into SQL.
type plan struct {
	root  *metadata.Object
	table *join // the root table (alias t0, or c0 in a child plan)

	joins []*join // parent joins, in the order they were needed

	// out is the shape of a result row; cols the SQL columns that fill
	// it (the record's Id is always column 0 in a record query).
	out  []*node
	cols []column

	where     cond
	aggregate bool // GROUP BY or aggregate functions: rows are AggregateResults
	countOnly bool // SELECT COUNT() FROM …
	groupKind soql.GroupKind
	groupBy   []operand
	having    cond
	orderBy   []order

	limit, offset int64 // -1 when absent
	allRows       bool
	scope         string // lower case: mine, team, everything, …

	children []*childPlan

	secEnforced bool

	binder *binder // the binder that made the plan, for nested bindings
}

// A join is the root table or a parent reached through a lookup.
type join struct {
	alias  string
	from   *join           // nil for the root
	field  *metadata.Field // the lookup on from
	target *metadata.Object
}

// A column is one SQL result column.
type column struct {
	expr    string
	storage metadata.Storage
	count   bool // an integer count (int64), not a decimal
}

// An operand is a bound value expression: *fieldRef or *call.
type operand interface{ kind() valueKind }

// valueKind is the type of an operand's values.
type valueKind struct {
	storage metadata.Storage
	field   *metadata.Field // the field, for picklists, lengths, labels
	count   bool
}

// A fieldRef reads a field, through joins. A polymorphic path has one
// candidate per possible parent object; the value is the first non-null.
type fieldRef struct {
	cands  []cand
	field  *metadata.Field // the field as seen on the first candidate
	typeOf bool            // Owner.Type on a polymorphic path: the parent's object name
}

type cand struct {
	j *join
	f *metadata.Field
}

func (r *fieldRef) kind() valueKind {
	if r.typeOf {
		return valueKind{storage: metadata.StoreText}
	}
	return valueKind{storage: r.field.Storage(), field: r.field}
}

// A call is a function applied to an operand (or to nothing, for COUNT()).
type call struct {
	name string // upper case: COUNT, SUM, CALENDAR_YEAR, DAY_ONLY, GROUPING, …
	arg  operand
	tz   bool // the argument is wrapped in convertTimezone()
	out  valueKind
}

func (c *call) kind() valueKind { return c.out }

func isAggregate(name string) bool {
	switch name {
	case "COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX":
		return true
	}
	return false
}

// A cond is a bound condition.
type cond interface{ isCond() }

type andCond struct{ conds []cond }
type orCond struct{ conds []cond }
type notCond struct{ x cond }

// cmpCond compares an operand with a value. value is a canonical Go value
// (nil for null) or, for a relative date literal, a *span.
type cmpCond struct {
	left  operand
	op    soql.Token
	value any
}

type inCond struct {
	left   operand
	not    bool
	values []any
	sub    *semiJoin
}

// semiJoin is the subquery of "Id IN (SELECT AccountId FROM Contact …)".
type semiJoin struct {
	p     *plan
	field *fieldRef
}

type likeCond struct {
	left    operand
	not     bool
	pattern string // lower-cased SQL LIKE pattern with \ as escape
}

type includesCond struct {
	left     operand
	excludes bool
	sets     [][]string // each set: values that must all be present
}

func (*andCond) isCond()      {}
func (*orCond) isCond()       {}
func (*notCond) isCond()      {}
func (*cmpCond) isCond()      {}
func (*inCond) isCond()       {}
func (*likeCond) isCond()     {}
func (*includesCond) isCond() {}

type order struct {
	x          operand
	desc       bool
	nullsFirst bool
}

// A node is one key of a result record.
type node struct {
	name  string
	field *metadata.Field
	col   int // the column holding the value; -1 for relationships and subqueries
	post  string
	// A relationship node: idCol holds the parent's ID (null when the lookup
	// is empty); fields are the parent's selected keys.
	rel    bool
	idCol  int
	fields []*node
	// typeOf maps an object name to the keys selected WHEN it is the
	// parent's type; typeElse for the others.
	typeOf   map[string][]*node
	typeElse []*node
	// child is a child relationship subquery.
	child *childPlan
	// aggOp is the operand of an aggregate query's column.
	aggOp operand
}

// A childPlan is a child relationship subquery: its own plan, over the
// child object, joined to the parent by fk.
type childPlan struct {
	name string // the relationship name as Salesforce spells it (Contacts)
	p    *plan
	fk   *metadata.Field
}

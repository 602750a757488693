package query

import "github.com/rapportcrm/rapport/metadata"

// A Dialect is what the compiler needs to know about one SQL engine. The
// sqlite and postgres backends implement it.
type Dialect interface {
	// Name is "sqlite" or "postgres".
	Name() string
	// Placeholder returns the n-th bind marker (n from 1).
	Placeholder(n int) string
	// Encode turns a canonical Go value into a driver argument; Decode a
	// scanned driver value into the canonical Go value.
	Encode(st metadata.Storage, v any) any
	Decode(st metadata.Storage, v any) (any, error)
	// DatePart returns an integer SQL expression for a part of a date or
	// datetime expression: "year", "month", "day", "dow" (0 = Sunday),
	// "doy" (1–366) or "hour".
	DatePart(part, expr string) string
	// DateOnly returns the date (as the dialect stores dates) of a datetime
	// expression.
	DateOnly(expr string) string
	// InTimeZone returns a datetime expression shifted to the wall-clock
	// time of the IANA zone whose name the SQL string constant tz holds.
	InTimeZone(expr, tz string) string
	// GroupingSets reports whether GROUP BY ROLLUP/CUBE and GROUPING() are
	// native; without them the compiler writes a UNION ALL of groupings.
	GroupingSets() bool
	// Table qualifies an object's table for the org's namespace.
	Table(prefix, table string) string
	// InSet writes "expr is one of the rows of subquery" in the form the
	// engine drives an index scan from.
	InSet(expr, subquery string) string
}

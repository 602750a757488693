package sqlite

import "strings"

// The query.Dialect methods of the SQLite backend. Dates are ISO text and
// datetimes ISO text in UTC, which strftime reads directly.

var strftimeParts = map[string]string{"year": "%Y", "month": "%m", "day": "%d", "dow": "%w", "doy": "%j", "hour": "%H"}

// DatePart implements query.Dialect.
func (b *Backend) DatePart(part, expr string) string {
	return "CAST(strftime('" + strftimeParts[part] + "', " + expr + ") AS INTEGER)"
}

// DateOnly implements query.Dialect.
func (b *Backend) DateOnly(expr string) string { return "substr(" + expr + ", 1, 10)" }

// InTimeZone implements query.Dialect with rapport_tz, a function Rapport
// registers (SQLite has no time zone database).
func (b *Backend) InTimeZone(expr, tzParam string) string {
	return "rapport_tz(" + expr + ", " + tzParam + ")"
}

// GroupingSets implements query.Dialect: SQLite has no ROLLUP or CUBE.
func (b *Backend) GroupingSets() bool { return false }

// Table implements query.Dialect.
func (b *Backend) Table(prefix, table string) string {
	return prefix + `"` + strings.ReplaceAll(table, `"`, `""`) + `"`
}

package postgres

import "strings"

// The query.Dialect methods of the PostgreSQL backend. Sessions run in UTC,
// so EXTRACT on a timestamptz reads UTC fields, as SOQL's date functions do.

var extractParts = map[string]string{"year": "YEAR", "month": "MONTH", "day": "DAY", "dow": "DOW", "doy": "DOY", "hour": "HOUR"}

// DatePart implements query.Dialect.
func (b *Backend) DatePart(part, expr string) string {
	return "CAST(EXTRACT(" + extractParts[part] + " FROM " + expr + ") AS INTEGER)"
}

// DateOnly implements query.Dialect.
func (b *Backend) DateOnly(expr string) string {
	return "CAST(" + expr + " AT TIME ZONE 'UTC' AS date)"
}

// InTimeZone implements query.Dialect.
func (b *Backend) InTimeZone(expr, tzParam string) string {
	return "(" + expr + " AT TIME ZONE CAST(" + tzParam + " AS text))"
}

// GroupingSets implements query.Dialect.
func (b *Backend) GroupingSets() bool { return true }

// Table implements query.Dialect.
func (b *Backend) Table(prefix, table string) string {
	return prefix + `"` + strings.ReplaceAll(table, `"`, `""`) + `"`
}

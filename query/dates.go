package query

import (
	"time"

	"github.com/rapportcrm/rapport/soql"
)

// A span is a half-open interval of days [from, to) in some time zone.
type span struct{ from, to time.Time }

// dateSpan evaluates a relative date literal (TODAY, LAST_N_DAYS:30,
// THIS_FISCAL_QUARTER, …) at now, in now's location, for an org whose fiscal
// year starts in month fiscalStart. Salesforce's rules: ranges start at
// midnight; LAST_N_DAYS:n includes today and the n days before; NEXT_N_DAYS:n
// starts tomorrow; weeks start on Sunday; fiscal years are named by the year
// they end in.
func dateSpan(lit *soql.DateLiteral, now time.Time, fiscalStart int) (span, bool) {
	loc := now.Location()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	day := func(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }
	weekStart := day(today, -int(today.Weekday()))
	monthStart := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, loc)
	quarterStart := time.Date(today.Year(), time.Month((int(today.Month())-1)/3*3+1), 1, 0, 0, 0, 0, loc)
	yearStart := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, loc)
	if fiscalStart < 1 || fiscalStart > 12 {
		fiscalStart = 1
	}
	fyStart := time.Date(today.Year(), time.Month(fiscalStart), 1, 0, 0, 0, 0, loc)
	if today.Before(fyStart) {
		fyStart = fyStart.AddDate(-1, 0, 0)
	}
	// The fiscal quarter containing today.
	fqStart := fyStart
	for !fqStart.AddDate(0, 3, 0).After(today) {
		fqStart = fqStart.AddDate(0, 3, 0)
	}
	n := lit.N
	months := func(start time.Time, k, length int) span {
		return span{start.AddDate(0, k, 0), start.AddDate(0, k+length, 0)}
	}
	switch lit.Name {
	case "YESTERDAY":
		return span{day(today, -1), today}, true
	case "TODAY":
		return span{today, day(today, 1)}, true
	case "TOMORROW":
		return span{day(today, 1), day(today, 2)}, true
	case "LAST_WEEK":
		return span{day(weekStart, -7), weekStart}, true
	case "THIS_WEEK":
		return span{weekStart, day(weekStart, 7)}, true
	case "NEXT_WEEK":
		return span{day(weekStart, 7), day(weekStart, 14)}, true
	case "LAST_MONTH":
		return months(monthStart, -1, 1), true
	case "THIS_MONTH":
		return months(monthStart, 0, 1), true
	case "NEXT_MONTH":
		return months(monthStart, 1, 1), true
	case "LAST_90_DAYS":
		return span{day(today, -90), day(today, 1)}, true
	case "NEXT_90_DAYS":
		return span{day(today, 1), day(today, 91)}, true
	case "LAST_QUARTER":
		return months(quarterStart, -3, 3), true
	case "THIS_QUARTER":
		return months(quarterStart, 0, 3), true
	case "NEXT_QUARTER":
		return months(quarterStart, 3, 3), true
	case "LAST_YEAR":
		return months(yearStart, -12, 12), true
	case "THIS_YEAR":
		return months(yearStart, 0, 12), true
	case "NEXT_YEAR":
		return months(yearStart, 12, 12), true
	case "LAST_FISCAL_QUARTER":
		return months(fqStart, -3, 3), true
	case "THIS_FISCAL_QUARTER":
		return months(fqStart, 0, 3), true
	case "NEXT_FISCAL_QUARTER":
		return months(fqStart, 3, 3), true
	case "LAST_FISCAL_YEAR":
		return months(fyStart, -12, 12), true
	case "THIS_FISCAL_YEAR":
		return months(fyStart, 0, 12), true
	case "NEXT_FISCAL_YEAR":
		return months(fyStart, 12, 12), true
	case "LAST_N_DAYS":
		return span{day(today, -n), day(today, 1)}, true
	case "NEXT_N_DAYS":
		return span{day(today, 1), day(today, n+1)}, true
	case "N_DAYS_AGO":
		return span{day(today, -n), day(today, -n+1)}, true
	case "LAST_N_WEEKS":
		return span{day(weekStart, -7*n), weekStart}, true
	case "NEXT_N_WEEKS":
		return span{day(weekStart, 7), day(weekStart, 7*(n+1))}, true
	case "N_WEEKS_AGO":
		return span{day(weekStart, -7*n), day(weekStart, -7*n+7)}, true
	case "LAST_N_MONTHS":
		return months(monthStart, -n, n), true
	case "NEXT_N_MONTHS":
		return months(monthStart, 1, n), true
	case "N_MONTHS_AGO":
		return months(monthStart, -n, 1), true
	case "LAST_N_QUARTERS":
		return months(quarterStart, -3*n, 3*n), true
	case "NEXT_N_QUARTERS":
		return months(quarterStart, 3, 3*n), true
	case "N_QUARTERS_AGO":
		return months(quarterStart, -3*n, 3), true
	case "LAST_N_YEARS":
		return months(yearStart, -12*n, 12*n), true
	case "NEXT_N_YEARS":
		return months(yearStart, 12, 12*n), true
	case "N_YEARS_AGO":
		return months(yearStart, -12*n, 12), true
	case "LAST_N_FISCAL_QUARTERS":
		return months(fqStart, -3*n, 3*n), true
	case "NEXT_N_FISCAL_QUARTERS":
		return months(fqStart, 3, 3*n), true
	case "N_FISCAL_QUARTERS_AGO":
		return months(fqStart, -3*n, 3), true
	case "LAST_N_FISCAL_YEARS":
		return months(fyStart, -12*n, 12*n), true
	case "NEXT_N_FISCAL_YEARS":
		return months(fyStart, 12, 12*n), true
	case "N_FISCAL_YEARS_AGO":
		return months(fyStart, -12*n, 12), true
	}
	return span{}, false
}

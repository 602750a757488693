package soql

// The names the parser recognises without making them keywords: functions
// and relative date literals. Both tables are keyed by upper-case name and
// looked up ignoring case.

// funcKind classifies the functions of SOQL.
type funcKind int

const (
	aggregateFunc funcKind = iota + 1 // AVG, COUNT, COUNT_DISTINCT, MIN, MAX, SUM
	dateFunc                          // CALENDAR_YEAR, DAY_ONLY, …
	fieldFunc                         // toLabel, FORMAT, convertCurrency, convertTimezone, GROUPING
	geoFunc                           // DISTANCE, GEOLOCATION
)

// A funcInfo says what kind of function a name is and how many arguments
// it takes.
type funcInfo struct {
	kind             funcKind
	minArgs, maxArgs int
}

var functions = map[string]funcInfo{
	"AVG":            {aggregateFunc, 1, 1},
	"COUNT":          {aggregateFunc, 0, 1},
	"COUNT_DISTINCT": {aggregateFunc, 1, 1},
	"MAX":            {aggregateFunc, 1, 1},
	"MIN":            {aggregateFunc, 1, 1},
	"SUM":            {aggregateFunc, 1, 1},

	"CALENDAR_MONTH":   {dateFunc, 1, 1},
	"CALENDAR_QUARTER": {dateFunc, 1, 1},
	"CALENDAR_YEAR":    {dateFunc, 1, 1},
	"DAY_IN_MONTH":     {dateFunc, 1, 1},
	"DAY_IN_WEEK":      {dateFunc, 1, 1},
	"DAY_IN_YEAR":      {dateFunc, 1, 1},
	"DAY_ONLY":         {dateFunc, 1, 1},
	"FISCAL_MONTH":     {dateFunc, 1, 1},
	"FISCAL_QUARTER":   {dateFunc, 1, 1},
	"FISCAL_YEAR":      {dateFunc, 1, 1},
	"HOUR_IN_DAY":      {dateFunc, 1, 1},
	"WEEK_IN_MONTH":    {dateFunc, 1, 1},
	"WEEK_IN_YEAR":     {dateFunc, 1, 1},

	"CONVERTCURRENCY": {fieldFunc, 1, 1},
	"CONVERTTIMEZONE": {fieldFunc, 1, 1},
	"FORMAT":          {fieldFunc, 1, 1},
	"GROUPING":        {fieldFunc, 1, 1},
	"TOLABEL":         {fieldFunc, 1, 1},

	"DISTANCE":    {geoFunc, 3, 3},
	"GEOLOCATION": {geoFunc, 2, 2},
}

// IsAggregate reports whether the function is an aggregate: AVG, COUNT,
// COUNT_DISTINCT, MIN, MAX or SUM.
func (x *FuncCall) IsAggregate() bool {
	info, _ := lookupFold(functions, x.Name)
	return info.kind == aggregateFunc
}

// IsDateFunc reports whether the function is a date function such as
// CALENDAR_YEAR, DAY_ONLY or HOUR_IN_DAY.
func (x *FuncCall) IsDateFunc() bool {
	info, _ := lookupFold(functions, x.Name)
	return info.kind == dateFunc
}

// dateLiterals maps each relative date literal to whether it takes a
// number (LAST_N_DAYS:30).
var dateLiterals = map[string]bool{
	"YESTERDAY":           false,
	"TODAY":               false,
	"TOMORROW":            false,
	"LAST_WEEK":           false,
	"THIS_WEEK":           false,
	"NEXT_WEEK":           false,
	"LAST_MONTH":          false,
	"THIS_MONTH":          false,
	"NEXT_MONTH":          false,
	"LAST_90_DAYS":        false,
	"NEXT_90_DAYS":        false,
	"THIS_QUARTER":        false,
	"LAST_QUARTER":        false,
	"NEXT_QUARTER":        false,
	"THIS_YEAR":           false,
	"LAST_YEAR":           false,
	"NEXT_YEAR":           false,
	"THIS_FISCAL_QUARTER": false,
	"LAST_FISCAL_QUARTER": false,
	"NEXT_FISCAL_QUARTER": false,
	"THIS_FISCAL_YEAR":    false,
	"LAST_FISCAL_YEAR":    false,
	"NEXT_FISCAL_YEAR":    false,

	"LAST_N_DAYS":            true,
	"NEXT_N_DAYS":            true,
	"N_DAYS_AGO":             true,
	"LAST_N_WEEKS":           true,
	"NEXT_N_WEEKS":           true,
	"N_WEEKS_AGO":            true,
	"LAST_N_MONTHS":          true,
	"NEXT_N_MONTHS":          true,
	"N_MONTHS_AGO":           true,
	"LAST_N_QUARTERS":        true,
	"NEXT_N_QUARTERS":        true,
	"N_QUARTERS_AGO":         true,
	"LAST_N_YEARS":           true,
	"NEXT_N_YEARS":           true,
	"N_YEARS_AGO":            true,
	"LAST_N_FISCAL_QUARTERS": true,
	"NEXT_N_FISCAL_QUARTERS": true,
	"N_FISCAL_QUARTERS_AGO":  true,
	"LAST_N_FISCAL_YEARS":    true,
	"NEXT_N_FISCAL_YEARS":    true,
	"N_FISCAL_YEARS_AGO":     true,
}

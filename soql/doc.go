// Package soql scans, parses and prints SOQL, the Salesforce Object Query
// Language. It knows syntax only: binding names to metadata and compiling
// to SQL belong to package query.
//
// Parse turns query text into a *Query; String on any node prints canonical
// SOQL, and parsing that text gives back an equal tree (positions aside).
// Errors come back as an ErrorList sorted by position; each *Error prints
// as "line:col: message" with a caret under the source line, and
// SalesforceMessage words it the way Salesforce's MALFORMED_QUERY does.
//
// # Lexical rules
//
// Keywords, function names and date literal names are case-insensitive;
// identifiers keep the case they were written in. The reserved keywords,
// which never name a field or object, are AND ASC DESC EXCLUDES FIRST FROM
// GROUP HAVING IN INCLUDES LAST LIKE LIMIT NOT NULL NULLS OR SELECT WHERE
// WITH. All other keywords (ORDER, OFFSET, TYPEOF, FIELDS, TRUE, …) are
// contextual: they are identifiers wherever the grammar does not expect
// them, so "SELECT Type FROM Order" works. Where only a name can stand,
// reserved words are names too: "FROM Group" names the Group object, and
// ":first" is a bind variable.
//
//	ident    = letter { letter | digit | "_" } .       (* Name, ns__Obj__c *)
//	integer  = [ "+" | "-" ] digit { digit } .
//	decimal  = integer "." digit { digit } .
//	currency = letter letter letter digit { digit } [ "." digit { digit } ] .  (* USD5000 *)
//	string   = "'" { char | escape } "'" .
//	escape   = `\n` | `\N` | `\r` | `\R` | `\t` | `\T` | `\b` | `\B` | `\f` | `\F`
//	         | `\"` | `\'` | `\\` | `\u` hex hex hex hex | `\_` | `\%` .
//	date     = digit4 "-" digit2 "-" digit2 .              (* 2024-01-31 *)
//	datetime = date "T" digit2 ":" digit2 ":" digit2 [ "." digit { digit } ]
//	           ( "Z" | ( "+" | "-" ) digit2 ":" digit2 ) .
//
// A word of three letters and then digits, such as Fax2, scans as a
// currency literal but is read as an identifier wherever one is expected.
// Whitespace separates tokens; there are no comments.
//
// # Grammar
//
// In this EBNF, keywords are in upper case, [ ] is optional and { } repeats
// zero or more times.
//
//	Query       = SELECT SelectList FROM From
//	              [ USING SCOPE ident ]                   (* top level only *)
//	              [ WHERE Condition ]
//	              { WITH With }                           (* top level only *)
//	              [ GROUP BY GroupBy [ HAVING Condition ] ] (* top level only *)
//	              [ ORDER BY OrderItem { "," OrderItem } ]
//	              [ LIMIT integer ] [ OFFSET integer ]
//	              [ FOR ( VIEW | REFERENCE | UPDATE ) ]    (* the rest top level only *)
//	              [ UPDATE ( TRACKING | VIEWSTAT ) ]
//	              [ FOR UPDATE ]                           (* if no FOR before *)
//	              [ ALL ROWS ] .
//	SelectList  = SelectItem { "," SelectItem } .
//	SelectItem  = Operand [ ident ]                       (* alias *)
//	            | FIELDS "(" ( ALL | STANDARD | CUSTOM ) ")"
//	            | "(" Query ")"                            (* child relationship query *)
//	            | TYPEOF Path { WHEN ident THEN PathList } [ ELSE PathList ] END .
//	From        = ident [ ident ] { "," Path [ ident ] } . (* legacy "Contact c, c.Account a" *)
//	PathList    = Path { "," Path } .
//	Path        = ident { "." ident } .
//	Operand     = Path | Call .
//	Call        = ident "(" [ Arg { "," Arg } ] ")" .
//	Arg         = Operand | Value .                        (* values in DISTANCE, GEOLOCATION *)
//	With        = SECURITY_ENFORCED | USER_MODE | SYSTEM_MODE
//	            | DATA CATEGORY Filter { AND Filter }
//	            | "RecordVisibilityContext" "(" Param { "," Param } ")" .
//	Filter      = ident ( AT | ABOVE | BELOW | ABOVE_OR_BELOW ) ( ident | "(" ident { "," ident } ")" ) .
//	Param       = ident "=" ( integer | TRUE | FALSE ) .
//	GroupBy     = ( ROLLUP | CUBE ) "(" OperandList ")" | OperandList .
//	OperandList = Operand { "," Operand } .
//	OrderItem   = Operand [ ASC | DESC ] [ NULLS ( FIRST | LAST ) ] .
//	Condition   = Term { AND Term } | Term { OR Term } .
//	Term        = "(" Condition ")" | NOT Term | Predicate .
//	Predicate   = Operand ( "=" | "!=" | "<>" | "<" | "<=" | ">" | ">=" ) Value
//	            | Operand [ NOT ] IN "(" ( ValueList | Query ) ")"
//	            | Operand ( INCLUDES | EXCLUDES ) "(" StringList ")"
//	            | Operand [ NOT ] LIKE StringValue .
//	ValueList   = Value { "," Value } .
//	StringList  = StringValue { "," StringValue } .
//	StringValue = string | Bind .
//	Value       = string | integer | decimal | currency | date | datetime
//	            | TRUE | FALSE | NULL | DateLiteral | Bind .
//	DateLiteral = ident [ ":" digit { digit } ] .          (* TODAY, LAST_N_DAYS:30 *)
//	Bind        = ":" ident .
//
// The functions are the aggregates AVG, COUNT (with no argument or one),
// COUNT_DISTINCT, MIN, MAX and SUM; the date functions CALENDAR_MONTH,
// CALENDAR_QUARTER, CALENDAR_YEAR, DAY_IN_MONTH, DAY_IN_WEEK, DAY_IN_YEAR,
// DAY_ONLY, FISCAL_MONTH, FISCAL_QUARTER, FISCAL_YEAR, HOUR_IN_DAY,
// WEEK_IN_MONTH and WEEK_IN_YEAR; toLabel, FORMAT, convertCurrency,
// convertTimezone and GROUPING, each with one argument; DISTANCE with
// three; and GEOLOCATION with two. The date literals are YESTERDAY, TODAY,
// TOMORROW, {LAST,THIS,NEXT}_{WEEK,MONTH,QUARTER,YEAR},
// {LAST,THIS,NEXT}_FISCAL_{QUARTER,YEAR}, LAST_90_DAYS and NEXT_90_DAYS,
// and, with ":n", {LAST,NEXT}_N_{DAYS,WEEKS,MONTHS,QUARTERS,YEARS},
// {LAST,NEXT}_N_FISCAL_{QUARTERS,YEARS} and N_{DAYS,WEEKS,MONTHS,QUARTERS,
// YEARS,FISCAL_QUARTERS,FISCAL_YEARS}_AGO.
//
// # Rules beyond the grammar
//
// Parse also rejects, as Salesforce does:
//
//   - AND and OR at one level without parentheses ("a AND b OR c"), and NOT
//     right after AND or OR ("a AND NOT b"; write "a AND (NOT b)");
//   - NULL compared with anything but = and !=;
//   - a semi-join or anti-join (IN or NOT IN with a subquery) anywhere but
//     at the top level of WHERE, alone or joined by AND; more than two of
//     them; one inside another; a semi-join subquery that selects anything
//     but one plain field, or has clauses other than WHERE;
//   - in a child relationship query: clauses other than WHERE, ORDER BY,
//     LIMIT and OFFSET; OFFSET unless the outer query has LIMIT 1; nesting
//     deeper than five levels;
//   - COUNT() with other fields, GROUP BY or ORDER BY;
//   - an alias on a plain field outside an aggregate query (one with GROUP
//     BY or an aggregate function);
//   - FIELDS(ALL) or FIELDS(CUSTOM) without a LIMIT of at most 200;
//   - an unknown function, or the wrong number of arguments;
//   - a date or datetime that is not on the calendar (2024-02-30).
//
// Everything that needs metadata, such as unknown fields, type mismatches,
// relationship depth or OFFSET above 2,000, is left to the binder.
//
// Parse limits the text to 100,000 characters, as Salesforce does, and the
// tree's depth and size; the options MaxLength, MaxDepth and MaxNodes change
// the limits. After ten errors it stops.
//
// # The tree
//
// Conditions keep no parentheses: the tree's shape records the grouping, a
// group inside a group of the same operator is flattened, and the printer
// puts parentheses back around every AND, OR and NOT nested in another
// condition. String literals keep their text as written (StringLit.Raw)
// next to the decoded Value; StringLit.LikePattern gives a LIKE pattern
// with unambiguous escapes. Numbers keep their text too, so that no
// precision is lost.
package soql

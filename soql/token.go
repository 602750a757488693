package soql

import "strconv"

// Token is a lexical token of SOQL.
type Token int

// The tokens of SOQL.
//
// Keywords come in two kinds. Reserved keywords (the list Salesforce
// documents as reserved, plus SELECT) can never name a field or an object.
// Contextual keywords, such as ORDER, OFFSET or TYPEOF, are keywords only where
// the grammar expects one; elsewhere they are ordinary identifiers, so that
// objects such as Order and fields such as Type or Scope keep working.
const (
	ILLEGAL Token = iota
	EOF

	literalBeg
	IDENT    // Name, Account__c, ns__Obj__c
	INTEGER  // 12, -5, +2
	DECIMAL  // 1.5, -0.25
	STRING   // 'text'
	DATE     // 2024-01-31
	DATETIME // 2024-01-31T10:00:00Z
	CURRENCY // USD5000, EUR12.50
	literalEnd

	operatorBeg
	LPAREN // (
	RPAREN // )
	COMMA  // ,
	DOT    // .
	COLON  // :
	EQ     // =
	NEQ    // != or <>
	LT     // <
	LE     // <=
	GT     // >
	GE     // >=
	operatorEnd

	reservedBeg
	AND
	ASC
	DESC
	EXCLUDES
	FIRST
	FROM
	GROUP
	HAVING
	IN
	INCLUDES
	LAST
	LIKE
	LIMIT
	NOT
	NULL
	NULLS
	OR
	SELECT
	WHERE
	WITH
	reservedEnd

	contextualBeg
	ABOVE
	ABOVE_OR_BELOW
	ALL
	AT
	BELOW
	BY
	CATEGORY
	CUBE
	CUSTOM
	DATA
	ELSE
	END
	FALSE
	FIELDS
	FOR
	OFFSET
	ORDER
	REFERENCE
	ROLLUP
	ROWS
	SCOPE
	SECURITY_ENFORCED
	STANDARD
	SYSTEM_MODE
	THEN
	TRACKING
	TRUE
	TYPEOF
	UPDATE
	USER_MODE
	USING
	VIEW
	VIEWSTAT
	WHEN
	contextualEnd
)

var tokens = [...]string{
	ILLEGAL: "ILLEGAL",
	EOF:     "EOF",

	IDENT:    "IDENT",
	INTEGER:  "INTEGER",
	DECIMAL:  "DECIMAL",
	STRING:   "STRING",
	DATE:     "DATE",
	DATETIME: "DATETIME",
	CURRENCY: "CURRENCY",

	LPAREN: "(",
	RPAREN: ")",
	COMMA:  ",",
	DOT:    ".",
	COLON:  ":",
	EQ:     "=",
	NEQ:    "!=",
	LT:     "<",
	LE:     "<=",
	GT:     ">",
	GE:     ">=",

	AND:      "AND",
	ASC:      "ASC",
	DESC:     "DESC",
	EXCLUDES: "EXCLUDES",
	FIRST:    "FIRST",
	FROM:     "FROM",
	GROUP:    "GROUP",
	HAVING:   "HAVING",
	IN:       "IN",
	INCLUDES: "INCLUDES",
	LAST:     "LAST",
	LIKE:     "LIKE",
	LIMIT:    "LIMIT",
	NOT:      "NOT",
	NULL:     "NULL",
	NULLS:    "NULLS",
	OR:       "OR",
	SELECT:   "SELECT",
	WHERE:    "WHERE",
	WITH:     "WITH",

	ABOVE:             "ABOVE",
	ABOVE_OR_BELOW:    "ABOVE_OR_BELOW",
	ALL:               "ALL",
	AT:                "AT",
	BELOW:             "BELOW",
	BY:                "BY",
	CATEGORY:          "CATEGORY",
	CUBE:              "CUBE",
	CUSTOM:            "CUSTOM",
	DATA:              "DATA",
	ELSE:              "ELSE",
	END:               "END",
	FALSE:             "FALSE",
	FIELDS:            "FIELDS",
	FOR:               "FOR",
	OFFSET:            "OFFSET",
	ORDER:             "ORDER",
	REFERENCE:         "REFERENCE",
	ROLLUP:            "ROLLUP",
	ROWS:              "ROWS",
	SCOPE:             "SCOPE",
	SECURITY_ENFORCED: "SECURITY_ENFORCED",
	STANDARD:          "STANDARD",
	SYSTEM_MODE:       "SYSTEM_MODE",
	THEN:              "THEN",
	TRACKING:          "TRACKING",
	TRUE:              "TRUE",
	TYPEOF:            "TYPEOF",
	UPDATE:            "UPDATE",
	USER_MODE:         "USER_MODE",
	USING:             "USING",
	VIEW:              "VIEW",
	VIEWSTAT:          "VIEWSTAT",
	WHEN:              "WHEN",
}

// String returns the token's spelling for operators and keywords (keywords
// in upper case) and its name for the other tokens.
func (t Token) String() string {
	if 0 <= t && int(t) < len(tokens) && tokens[t] != "" {
		return tokens[t]
	}
	return "token(" + strconv.Itoa(int(t)) + ")"
}

// LowestPrec is the precedence of tokens that are not binary operators.
const LowestPrec = 0

// Precedence returns the binding strength of a binary operator: OR 1, AND 2,
// and 3 for the comparison operators (including LIKE, IN, INCLUDES and
// EXCLUDES). Other tokens have LowestPrec. SOQL forbids mixing AND and OR
// at one level, so their order matters only to a reader of the tree.
func (t Token) Precedence() int {
	switch t {
	case OR:
		return 1
	case AND:
		return 2
	case EQ, NEQ, LT, LE, GT, GE, LIKE, IN, INCLUDES, EXCLUDES:
		return 3
	}
	return LowestPrec
}

// IsLiteral reports whether t is an identifier or a basic literal.
func (t Token) IsLiteral() bool { return literalBeg < t && t < literalEnd }

// IsOperator reports whether t is punctuation or a comparison operator.
func (t Token) IsOperator() bool { return operatorBeg < t && t < operatorEnd }

// IsKeyword reports whether t is a keyword, reserved or contextual.
func (t Token) IsKeyword() bool { return t.IsReserved() || t.IsContextual() }

// IsReserved reports whether t is a reserved keyword, which can never be
// used as an identifier.
func (t Token) IsReserved() bool { return reservedBeg < t && t < reservedEnd }

// IsContextual reports whether t is a contextual keyword, which is an
// identifier wherever the grammar does not expect that keyword.
func (t Token) IsContextual() bool { return contextualBeg < t && t < contextualEnd }

// IsComparison reports whether t is one of the comparison operators
// = != < <= > >=.
func (t Token) IsComparison() bool { return EQ <= t && t <= GE }

var keywords map[string]Token

func init() {
	keywords = make(map[string]Token, reservedEnd-reservedBeg+contextualEnd-contextualBeg)
	for t := reservedBeg + 1; t < reservedEnd; t++ {
		keywords[tokens[t]] = t
	}
	for t := contextualBeg + 1; t < contextualEnd; t++ {
		keywords[tokens[t]] = t
	}
}

// maxKeywordLen is longer than any keyword, function or date literal name;
// longer words are never looked up.
const maxKeywordLen = 32

// Lookup maps a word to its keyword token, ignoring case, or returns IDENT
// if the word is not a keyword.
func Lookup(word string) Token {
	if t, ok := lookupFold(keywords, word); ok {
		return t
	}
	return IDENT
}

// lookupFold looks an ASCII word up in a table keyed by upper-case words,
// ignoring the word's case and without allocating.
func lookupFold[V any](m map[string]V, word string) (V, bool) {
	var buf [maxKeywordLen]byte
	if len(word) > len(buf) {
		var zero V
		return zero, false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	v, ok := m[string(buf[:len(word)])]
	return v, ok
}

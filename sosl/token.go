package sosl

import (
	"strconv"
	"strings"
)

// Token is a lexical token of SOSL. The scanner has two modes: clauses
// (FIND, IN, RETURNING, WITH, LIMIT, …) and the search term between braces
// (words, phrases, AND, OR, NOT and parentheses).
type Token int

// The tokens of SOSL. Every keyword is contextual: where the grammar wants a
// name, such as an object in RETURNING, a keyword is a name.
const (
	ILLEGAL Token = iota
	EOF

	literalBeg
	IDENT   // Account, ns__Obj__c
	INTEGER // 200
	STRING  // 'text'
	WORD    // smith, sm?th*, o\'brien (term mode)
	PHRASE  // "jane smith" (term mode)
	OTHER   // any other character; meaningful only inside RETURNING (…)
	literalEnd

	operatorBeg
	LBRACE // {
	RBRACE // }
	LPAREN // (
	RPAREN // )
	COMMA  // ,
	EQ     // =
	operatorEnd

	keywordBeg
	ABOVE
	ABOVE_OR_BELOW
	ALL
	AND
	AT
	BELOW
	BY
	CATEGORY
	DATA
	DIVISION
	EMAIL
	FALSE
	FIELDS
	FIND
	HIGHLIGHT
	IN
	LIMIT
	METADATA
	NAME
	NETWORK
	NOT
	OFFSET
	OR
	ORDER
	PHONE
	PRICEBOOKID
	RETURNING
	SECURITY_ENFORCED
	SIDEBAR
	SNIPPET
	SPELL_CORRECTION
	SYSTEM_MODE
	TRACKING
	TRUE
	UPDATE
	USER_MODE
	VIEWSTAT
	WHERE
	WITH
	keywordEnd
)

var tokens = [...]string{
	ILLEGAL: "ILLEGAL",
	EOF:     "EOF",

	IDENT:   "IDENT",
	INTEGER: "INTEGER",
	STRING:  "STRING",
	WORD:    "WORD",
	PHRASE:  "PHRASE",
	OTHER:   "OTHER",

	LBRACE: "{",
	RBRACE: "}",
	LPAREN: "(",
	RPAREN: ")",
	COMMA:  ",",
	EQ:     "=",

	ABOVE:             "ABOVE",
	ABOVE_OR_BELOW:    "ABOVE_OR_BELOW",
	ALL:               "ALL",
	AND:               "AND",
	AT:                "AT",
	BELOW:             "BELOW",
	BY:                "BY",
	CATEGORY:          "CATEGORY",
	DATA:              "DATA",
	DIVISION:          "DIVISION",
	EMAIL:             "EMAIL",
	FALSE:             "FALSE",
	FIELDS:            "FIELDS",
	FIND:              "FIND",
	HIGHLIGHT:         "HIGHLIGHT",
	IN:                "IN",
	LIMIT:             "LIMIT",
	METADATA:          "METADATA",
	NAME:              "NAME",
	NETWORK:           "NETWORK",
	NOT:               "NOT",
	OFFSET:            "OFFSET",
	OR:                "OR",
	ORDER:             "ORDER",
	PHONE:             "PHONE",
	PRICEBOOKID:       "PRICEBOOKID",
	RETURNING:         "RETURNING",
	SECURITY_ENFORCED: "SECURITY_ENFORCED",
	SIDEBAR:           "SIDEBAR",
	SNIPPET:           "SNIPPET",
	SPELL_CORRECTION:  "SPELL_CORRECTION",
	SYSTEM_MODE:       "SYSTEM_MODE",
	TRACKING:          "TRACKING",
	TRUE:              "TRUE",
	UPDATE:            "UPDATE",
	USER_MODE:         "USER_MODE",
	VIEWSTAT:          "VIEWSTAT",
	WHERE:             "WHERE",
	WITH:              "WITH",
}

// String returns the token's spelling for operators and keywords (keywords
// in upper case) and its name for the other tokens.
func (t Token) String() string {
	if 0 <= t && int(t) < len(tokens) && tokens[t] != "" {
		return tokens[t]
	}
	return "token(" + strconv.Itoa(int(t)) + ")"
}

// LowestPrec is the precedence of tokens that are not operators of the
// search term.
const LowestPrec = 0

// Precedence returns the binding strength of an operator of the search
// term: OR 1, and 2 for AND and NOT (as in "a AND NOT b" or "a NOT b").
// Two terms side by side are joined by AND. Operators of the same strength
// apply from left to right.
func (t Token) Precedence() int {
	switch t {
	case OR:
		return 1
	case AND, NOT:
		return 2
	}
	return LowestPrec
}

// IsLiteral reports whether t is an identifier, a literal, a word or a
// phrase.
func (t Token) IsLiteral() bool { return literalBeg < t && t < literalEnd }

// IsOperator reports whether t is punctuation.
func (t Token) IsOperator() bool { return operatorBeg < t && t < operatorEnd }

// IsKeyword reports whether t is a keyword.
func (t Token) IsKeyword() bool { return keywordBeg < t && t < keywordEnd }

var keywords map[string]Token

func init() {
	keywords = make(map[string]Token, keywordEnd-keywordBeg)
	for t := keywordBeg + 1; t < keywordEnd; t++ {
		keywords[tokens[t]] = t
	}
}

// maxKeywordLen is longer than any keyword; longer words are never looked
// up.
const maxKeywordLen = 24

// Lookup maps a word to its keyword token, ignoring case, or returns IDENT
// if the word is not a keyword.
func Lookup(word string) Token {
	if len(word) > maxKeywordLen {
		return IDENT
	}
	if t, ok := keywords[strings.ToUpper(word)]; ok {
		return t
	}
	return IDENT
}

// Package sosl scans, parses and prints SOSL, the Salesforce Object Search
// Language, and splits text into the words a search matches. It knows
// syntax only: finding the words in the index, and binding RETURNING
// objects and fields to metadata, belong to package search.
//
// Parse turns a statement into a *Search; String on any node prints
// canonical SOSL, and parsing that text gives back an equal tree
// (positions aside). ParseTerm reads a search term without braces, as the
// q of a parameterizedSearch request; FromParameterized builds a whole
// *Search from such a request. Errors come back as an ErrorList sorted by
// position, of the same *Error that package soql uses, so they print with
// a caret and word themselves as Salesforce's MALFORMED_SEARCH does.
//
// # Grammar
//
// Keywords are case-insensitive and contextual: where a name stands, as
// after RETURNING, any word is a name. In this EBNF, keywords are in upper
// case, [ ] is optional and { } repeats zero or more times.
//
//	Search    = FIND "{" [ Term ] "}"
//	            [ IN ( ALL | NAME | EMAIL | PHONE | SIDEBAR ) FIELDS ]
//	            [ RETURNING Object { "," Object } ]
//	            { WITH With }
//	            [ LIMIT integer ]
//	            [ UPDATE Update { "," Update } ] .
//	Object    = name [ "(" SelectList [ WHERE Condition ]
//	                       [ ORDER BY OrderItem { "," OrderItem } ]
//	                       [ LIMIT integer ] [ OFFSET integer ] ")" ] .
//	With      = DIVISION "=" string
//	          | DATA CATEGORY Filter { AND Filter }
//	          | SNIPPET [ "(" "target_length" "=" integer ")" ]
//	          | NETWORK ( "=" string | IN "(" string { "," string } ")" )
//	          | PRICEBOOKID "=" string
//	          | METADATA "=" string
//	          | SPELL_CORRECTION "=" ( TRUE | FALSE )
//	          | HIGHLIGHT | USER_MODE | SYSTEM_MODE | SECURITY_ENFORCED .
//	Filter    = name ( AT | ABOVE | BELOW | ABOVE_OR_BELOW ) ( name | "(" name { "," name } ")" ) .
//	Update    = TRACKING | VIEWSTAT .
//
// SelectList, Condition and OrderItem are SOQL's (see package soql), as
// are strings and integers. Inside a RETURNING object's parentheses the
// text is handed to soql.Parse with SELECT and FROM put back, so every
// SOQL rule applies; the fields may not be subqueries, FIELDS() or
// aggregates, and no clause but WHERE, ORDER BY, LIMIT and OFFSET may
// follow them.
//
// # The search term
//
//	Term      = Or .
//	Or        = And { OR And } .
//	And       = Unary { [ AND ] Unary | [ AND ] NOT Unary } .
//	Unary     = word | phrase | "(" Or ")" .
//	phrase    = `"` { char | escape } `"` .
//	word      = ( char | escape ) { char | escape } .
//	escape    = `\` any character .
//
// A word runs to white space, a parenthesis, a double quote or a brace.
// AND, OR and NOT (in any case) are operators unless quoted or escaped;
// words side by side are joined by AND, which binds tighter than OR, and
// operators of one strength apply from left to right. NOT needs a term on
// its left: "a AND NOT b" and "a NOT b" both mean a without b. In a word
// or phrase, * stands for any run of characters and ? for exactly one; a
// wildcard must follow a letter or digit. A backslash escapes the
// character after it, which then means itself: Salesforce reserves
// ? & | ! { } [ ] ( ) ^ ~ * : \ " ' + - in terms. The term ends at the
// first unescaped }, inside a phrase too.
//
// # Words
//
// Words are what indexing and searching agree on (see Tokens): runs of
// letters or of digits, in lower case without diacritics. A word of the
// term that holds punctuation ("jane.doe@acme.com", "415-555-1212") is
// therefore a phrase of the words in it.
//
// # Rules beyond the grammar
//
// Parse also rejects an object named twice in RETURNING and OFFSET when
// RETURNING names more than one object. The search service enforces what
// needs metadata or policy: objects and fields that exist and may be read,
// a term of at least two letters or digits, LIMIT and OFFSET ranges.
//
// Parse limits the text to 100,000 characters, and the tree's depth and
// size; the options MaxLength, MaxDepth and MaxNodes change the limits.
// After ten errors it stops.
package sosl

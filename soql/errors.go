package soql

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a position in the query text. Line and Col start at 1; Col counts
// characters (not bytes), as Salesforce does in its error messages. The zero
// Pos means "no position".
type Pos struct {
	Offset int // byte offset, from 0
	Line   int
	Col    int
}

// IsValid reports whether p is a real position.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String returns "line:col", or "-" for the zero Pos.
func (p Pos) String() string {
	if !p.IsValid() {
		return "-"
	}
	return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

// An Error is one syntax error in a query.
type Error struct {
	Pos Pos
	Msg string // "expected FROM, found Account"

	// Near is the offending token as written ("<EOF>" at the end of the
	// query) when the error is an unexpected token; it is empty when the
	// error is about something else, such as an over-long query.
	Near string

	src string // the whole query, for the snippet
}

// Error returns "line:col: message" followed by the source line and a
// caret under the error's column.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if line, caret := e.snippet(); line != "" {
		b.WriteByte('\n')
		b.WriteString(line)
		b.WriteByte('\n')
		b.WriteString(caret)
	}
	return b.String()
}

// SalesforceMessage formats e the way Salesforce words a MALFORMED_QUERY
// message: the source line, a caret, the row and column, and the reason,
// which for an unexpected token is "unexpected token: X". For example:
//
//	"\nSELECT Id FORM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: FORM"
func (e *Error) SalesforceMessage() string {
	line, caret := e.snippet()
	reason := e.Msg
	if e.Near != "" {
		reason = "unexpected token: " + e.Near
	}
	return fmt.Sprintf("\n%s\n%s\nERROR at Row:%d:Column:%d\n%s", line, caret, e.Pos.Line, e.Pos.Col, reason)
}

// snippetWidth is the most characters of a line that a snippet shows;
// longer lines are cut to a window around the error.
const snippetWidth = 120

// snippet returns the line holding the error and a line with a caret under
// the error's column. Tabs in the line are repeated in the caret line so
// that the caret stays aligned.
func (e *Error) snippet() (line, caret string) {
	if !e.Pos.IsValid() || e.Pos.Offset > len(e.src) {
		return "", ""
	}
	start := strings.LastIndexByte(e.src[:e.Pos.Offset], '\n') + 1
	end := strings.IndexByte(e.src[e.Pos.Offset:], '\n')
	if end < 0 {
		end = len(e.src)
	} else {
		end += e.Pos.Offset
	}
	line = strings.TrimSuffix(e.src[start:end], "\r")
	col := e.Pos.Col - 1 // characters before the error on its line
	if n := utf8.RuneCountInString(line); n > snippetWidth {
		from := max(0, min(col-snippetWidth/2, n-snippetWidth))
		line = runeSlice(line, from, from+snippetWidth)
		col -= from
	}
	var b strings.Builder
	i := 0
	for _, r := range line {
		if i == col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		i++
	}
	for ; i < col; i++ {
		b.WriteByte(' ')
	}
	b.WriteByte('^')
	return line, b.String()
}

// runeSlice returns the characters [from, to) of s.
func runeSlice(s string, from, to int) string {
	i, start := 0, len(s)
	for off := range s {
		if i == from {
			start = off
		}
		if i == to {
			return s[start:off]
		}
		i++
	}
	return s[start:]
}

// ErrorList is the list of syntax errors of one query, sorted by position.
// Parse returns a non-empty ErrorList, never an empty one.
type ErrorList []*Error

// add appends an error.
func (l *ErrorList) add(e *Error) { *l = append(*l, e) }

// sort sorts the list by position, keeping the order of errors at the same
// position, and drops errors repeated at the same position.
func (l *ErrorList) sort() {
	slices.SortStableFunc(*l, func(a, b *Error) int { return cmp.Compare(a.Pos.Offset, b.Pos.Offset) })
	*l = slices.CompactFunc(*l, func(a, b *Error) bool { return a.Pos == b.Pos })
}

// Error describes the first error and says how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	case 2:
		return l[0].Error() + "\n(and 1 more error)"
	}
	return fmt.Sprintf("%s\n(and %d more errors)", l[0].Error(), len(l)-1)
}

// Unwrap returns the errors, so that errors.As finds an *Error.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

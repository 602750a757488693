package sosl

import "unicode/utf8"

// An ErrorHandler receives the scanner's errors: the position of the
// offending character and a message.
type ErrorHandler func(pos Pos, msg string)

// A Scanner splits SOSL text into tokens. It looks one character ahead and
// has two modes: Scan reads the clauses, ScanTerm the search term between
// the braces. The parser switches after { and after }. Set it up with
// Init; the zero Scanner scans nothing.
type Scanner struct {
	src  string
	errh ErrorHandler

	ch       rune // current character; -1 at the end
	offset   int  // byte offset of ch
	rdOffset int  // byte offset after ch
	line     int  // line of ch
	col      int  // column of ch, in characters

	// bare scans a term that has no braces around it (the q of a
	// parameterizedSearch): { and } are then ordinary characters.
	bare bool

	// ErrorCount is the number of errors the scanner has reported.
	ErrorCount int
}

// Init prepares s to scan src. Errors go to errh, which may be nil.
func (s *Scanner) Init(src string, errh ErrorHandler) {
	*s = Scanner{src: src, errh: errh, line: 1}
	s.next()
}

func (s *Scanner) error(pos Pos, msg string) {
	s.ErrorCount++
	if s.errh != nil {
		s.errh(pos, msg)
	}
}

func (s *Scanner) pos() Pos { return Pos{Offset: s.offset, Line: s.line, Col: s.col} }

// next moves to the next character.
func (s *Scanner) next() {
	switch {
	case s.ch == '\n':
		s.line++
		s.col = 1
	case s.ch >= 0:
		s.col++
	}
	if s.rdOffset >= len(s.src) {
		s.offset = len(s.src)
		s.ch = -1
		return
	}
	s.offset = s.rdOffset
	r, w := rune(s.src[s.rdOffset]), 1
	if r >= utf8.RuneSelf {
		r, w = utf8.DecodeRuneInString(s.src[s.rdOffset:])
		if r == utf8.RuneError && w == 1 {
			s.error(s.pos(), "illegal UTF-8 encoding")
		}
	}
	s.rdOffset += w
	s.ch = r
}

func isLetter(ch rune) bool { return 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' }
func isDigit(ch rune) bool  { return '0' <= ch && ch <= '9' }
func isSpace(ch rune) bool  { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' }

// Scan returns the next token of the clauses, its position and its text as
// written. Characters that mean nothing to SOSL's own clauses come back as
// OTHER: inside a RETURNING object's parentheses they belong to SOQL, which
// the parser hands over whole. At the end of the text Scan returns EOF with
// an empty literal.
func (s *Scanner) Scan() (pos Pos, tok Token, lit string) {
	for isSpace(s.ch) {
		s.next()
	}
	pos = s.pos()
	start := s.offset
	switch ch := s.ch; {
	case isLetter(ch) || ch == '_':
		for isLetter(s.ch) || isDigit(s.ch) || s.ch == '_' {
			s.next()
		}
		tok = Lookup(s.src[start:s.offset])
	case isDigit(ch):
		for isDigit(s.ch) {
			s.next()
		}
		tok = INTEGER
	default:
		s.next()
		switch ch {
		case -1:
			return pos, EOF, ""
		case '\'':
			tok = s.scanString(pos)
		case '{':
			tok = LBRACE
		case '}':
			tok = RBRACE
		case '(':
			tok = LPAREN
		case ')':
			tok = RPAREN
		case ',':
			tok = COMMA
		case '=':
			tok = EQ
		default:
			tok = OTHER
		}
	}
	return pos, tok, s.src[start:s.offset]
}

// scanString scans a SOQL string literal after its opening quote. A
// backslash escapes the next character; which escapes are valid is SOQL's
// business, checked where the literal is used.
func (s *Scanner) scanString(pos Pos) Token {
	for {
		switch s.ch {
		case -1:
			s.error(pos, "string literal not terminated")
			return ILLEGAL
		case '\'':
			s.next()
			return STRING
		case '\\':
			s.next()
			if s.ch >= 0 {
				s.next()
			}
		default:
			s.next()
		}
	}
}

// ScanTerm returns the next token of a search term: WORD, PHRASE, AND, OR,
// NOT, LPAREN, RPAREN, RBRACE at the term's end, or EOF. A backslash
// escapes the character after it anywhere in a term. Words are split at
// white space, parentheses, double quotes and braces; AND, OR and NOT in any
// case are operators unless escaped or quoted.
func (s *Scanner) ScanTerm() (pos Pos, tok Token, lit string) {
	for isSpace(s.ch) {
		s.next()
	}
	pos = s.pos()
	start := s.offset
	switch ch := s.ch; {
	case ch == -1:
		return pos, EOF, ""
	case ch == '}' && !s.bare:
		s.next()
		return pos, RBRACE, "}"
	case ch == '{' && !s.bare:
		s.next()
		s.error(pos, `unescaped { in the search term: write \{`)
		return pos, ILLEGAL, "{"
	case ch == '(':
		s.next()
		return pos, LPAREN, "("
	case ch == ')':
		s.next()
		return pos, RPAREN, ")"
	case ch == '"':
		s.next()
		tok = s.scanPhrase(pos)
		return pos, tok, s.src[start:s.offset]
	}
	escaped := false
	for s.ch >= 0 && !isSpace(s.ch) {
		switch s.ch {
		case '(', ')', '"':
			goto done
		case '{', '}':
			if !s.bare {
				goto done
			}
		case '\\':
			escaped = true
			epos := s.pos()
			s.next()
			if s.ch < 0 {
				s.error(epos, `\ at the end of the search term escapes nothing`)
				return pos, ILLEGAL, s.src[start:s.offset]
			}
		}
		s.next()
	}
done:
	lit = s.src[start:s.offset]
	tok = WORD
	if !escaped && len(lit) <= 3 {
		switch t := Lookup(lit); t {
		case AND, OR, NOT:
			tok = t
		}
	}
	return pos, tok, lit
}

// scanPhrase scans a phrase after its opening double quote. The term ends
// at the first unescaped }, inside a phrase too.
func (s *Scanner) scanPhrase(pos Pos) Token {
	for {
		switch {
		case s.ch == -1 || s.ch == '}' && !s.bare:
			s.error(pos, `phrase not terminated: a " is missing`)
			return ILLEGAL
		case s.ch == '"':
			s.next()
			return PHRASE
		case s.ch == '{' && !s.bare:
			s.error(s.pos(), `unescaped { in the search term: write \{`)
			s.next()
		case s.ch == '\\':
			epos := s.pos()
			s.next()
			if s.ch < 0 {
				s.error(epos, `\ at the end of the search term escapes nothing`)
				return ILLEGAL
			}
			s.next()
		default:
			s.next()
		}
	}
}

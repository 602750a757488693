package soql

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// An ErrorHandler receives the scanner's errors: the position of the
// offending character and a message.
type ErrorHandler func(pos Pos, msg string)

// A Scanner splits SOQL text into tokens. It looks one character ahead.
// Set it up with Init; the zero Scanner scans nothing.
type Scanner struct {
	src  string
	errh ErrorHandler

	ch       rune // current character; -1 at the end
	offset   int  // byte offset of ch
	rdOffset int  // byte offset after ch
	line     int  // line of ch
	col      int  // column of ch, in characters

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

// peek returns the byte after the current character, or 0 at the end.
func (s *Scanner) peek() byte {
	if s.rdOffset < len(s.src) {
		return s.src[s.rdOffset]
	}
	return 0
}

func isLetter(ch rune) bool { return 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' }
func isDigit(ch rune) bool  { return '0' <= ch && ch <= '9' }

func isHex(ch rune) bool {
	return isDigit(ch) || 'a' <= ch && ch <= 'f' || 'A' <= ch && ch <= 'F'
}

// Scan returns the next token, its position and its text as written. At the
// end of the text it returns EOF with an empty literal.
func (s *Scanner) Scan() (pos Pos, tok Token, lit string) {
	for s.ch == ' ' || s.ch == '\t' || s.ch == '\n' || s.ch == '\r' || s.ch == '\f' {
		s.next()
	}
	pos = s.pos()
	start := s.offset
	switch ch := s.ch; {
	case isLetter(ch):
		tok = s.scanWord()
	case isDigit(ch):
		tok = s.scanNumber(pos, true)
	default:
		s.next()
		switch ch {
		case -1:
			return pos, EOF, ""
		case '\'':
			tok = s.scanString(pos)
		case '(':
			tok = LPAREN
		case ')':
			tok = RPAREN
		case ',':
			tok = COMMA
		case '.':
			tok = DOT
		case ':':
			tok = COLON
		case '=':
			tok = EQ
		case '!':
			if s.ch == '=' {
				s.next()
				tok = NEQ
			} else {
				s.error(pos, "illegal character '!'; use != for not equal")
				tok = ILLEGAL
			}
		case '<':
			tok = LT
			switch s.ch {
			case '=':
				s.next()
				tok = LE
			case '>':
				s.next()
				tok = NEQ
			}
		case '>':
			tok = GT
			if s.ch == '=' {
				s.next()
				tok = GE
			}
		case '-', '+':
			if isDigit(s.ch) {
				tok = s.scanNumber(pos, false)
				break
			}
			s.error(pos, fmt.Sprintf("illegal character %q; a sign must be followed by digits", ch))
			tok = ILLEGAL
		default:
			if ch == '"' {
				s.error(pos, "strings are quoted with ' in SOQL, not \"")
			} else {
				s.error(pos, fmt.Sprintf("illegal character %#U", ch))
			}
			tok = ILLEGAL
		}
	}
	return pos, tok, s.src[start:s.offset]
}

// scanWord scans an identifier, a keyword or a currency literal such as
// USD5000 or EUR12.50 (three letters, then a number).
func (s *Scanner) scanWord() Token {
	start := s.offset
	letters := 0
	for isLetter(s.ch) {
		s.next()
		letters++
	}
	digitsOnly := letters == 3 && isDigit(s.ch)
	for isLetter(s.ch) || isDigit(s.ch) || s.ch == '_' {
		if !isDigit(s.ch) {
			digitsOnly = false
		}
		s.next()
	}
	if digitsOnly {
		if s.ch == '.' && '0' <= s.peek() && s.peek() <= '9' {
			s.next()
			for isDigit(s.ch) {
				s.next()
			}
		}
		return CURRENCY
	}
	return Lookup(s.src[start:s.offset])
}

// scanNumber scans an integer, a decimal, a date or a datetime. The current
// character is the first digit; a sign, if any, has been consumed.
// Dates cannot be signed.
func (s *Scanner) scanNumber(pos Pos, unsigned bool) Token {
	digits := s.digits()
	if unsigned && digits == 4 && s.ch == '-' && '0' <= s.peek() && s.peek() <= '9' {
		return s.scanDate(pos)
	}
	if s.ch == '.' && '0' <= s.peek() && s.peek() <= '9' {
		s.next()
		s.digits()
		return DECIMAL
	}
	return INTEGER
}

func (s *Scanner) digits() int {
	n := 0
	for isDigit(s.ch) {
		s.next()
		n++
	}
	return n
}

// scanDate scans the rest of YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.fff]
// followed by Z, +hh:mm or -hh:mm. The year has been consumed. Ranges (a
// 13th month) are checked by the parser.
func (s *Scanner) scanDate(pos Pos) Token {
	ok := s.want('-') && s.want2Digits() && s.want('-') && s.want2Digits()
	if !ok {
		s.error(pos, "malformed date: want YYYY-MM-DD")
		return ILLEGAL
	}
	if s.ch != 'T' {
		return DATE
	}
	s.next()
	ok = s.want2Digits() && s.want(':') && s.want2Digits() && s.want(':') && s.want2Digits()
	if ok && s.ch == '.' {
		s.next()
		ok = s.digits() > 0
	}
	if ok {
		switch s.ch {
		case 'Z':
			s.next()
		case '+', '-':
			s.next()
			ok = s.want2Digits() && s.want(':') && s.want2Digits()
		default:
			ok = false
		}
	}
	if !ok {
		s.error(pos, "malformed datetime: want YYYY-MM-DDThh:mm:ss[.sss] and Z, +hh:mm or -hh:mm")
		return ILLEGAL
	}
	return DATETIME
}

func (s *Scanner) want(ch rune) bool {
	if s.ch != ch {
		return false
	}
	s.next()
	return true
}

func (s *Scanner) want2Digits() bool {
	return isDigit(s.ch) && s.want(s.ch) && isDigit(s.ch) && s.want(s.ch)
}

// scanString scans a string literal after its opening quote, checking its
// escape sequences: \n \r \t \b \f in either case, \" \' \\ \uXXXX, and the
// LIKE escapes \_ and \%.
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
			epos := s.pos()
			s.next()
			switch s.ch {
			case 'n', 'N', 'r', 'R', 't', 'T', 'b', 'B', 'f', 'F', '"', '\'', '\\', '_', '%':
				s.next()
			case 'u':
				s.next()
				for range 4 {
					if !isHex(s.ch) {
						s.error(epos, `invalid escape sequence: \u needs four hexadecimal digits`)
						break
					}
					s.next()
				}
			case -1:
				// Reported as not terminated.
			default:
				s.error(epos, fmt.Sprintf(`invalid escape sequence \%c`, s.ch))
				s.next()
			}
		default:
			s.next()
		}
	}
}

// decode decodes the escapes of a string literal's text, which the scanner
// has checked. With like set it returns a LIKE pattern instead: the escapes
// \_ and \% stay as they are, and a backslash, % or _ that an escape
// produced is escaped with a backslash. Without it, \_ and \% also stay as
// they are, having no meaning outside LIKE.
func decode(raw string, like bool) string {
	i := strings.IndexByte(raw, '\\')
	if i < 0 {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	b.WriteString(raw[:i])
	for ; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 == len(raw) {
			b.WriteByte(c)
			continue
		}
		i++
		var r rune
		switch c = raw[i]; c {
		case 'n', 'N':
			r = '\n'
		case 'r', 'R':
			r = '\r'
		case 't', 'T':
			r = '\t'
		case 'b', 'B':
			r = '\b'
		case 'f', 'F':
			r = '\f'
		case '"', '\'', '\\':
			r = rune(c)
		case 'u':
			if i+4 < len(raw) {
				if n, err := strconv.ParseUint(raw[i+1:i+5], 16, 32); err == nil {
					r = rune(n)
					i += 4
					break
				}
			}
			b.WriteString(`\u`)
			continue
		default: // \_, \%, and escapes the scanner has rejected
			b.WriteByte('\\')
			b.WriteByte(c)
			continue
		}
		if like && (r == '\\' || r == '%' || r == '_') {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

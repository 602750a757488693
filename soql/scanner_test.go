package soql

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type scanned struct {
	Tok Token
	Lit string
}

// scanAll returns the tokens of src up to EOF and the scanner's errors.
func scanAll(src string) ([]scanned, []string) {
	var s Scanner
	var errs []string
	s.Init(src, func(pos Pos, msg string) { errs = append(errs, pos.String()+": "+msg) })
	var toks []scanned
	for {
		_, tok, lit := s.Scan()
		if tok == EOF {
			return toks, errs
		}
		toks = append(toks, scanned{tok, lit})
	}
}

func TestScan(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []scanned
		wantErr []string
	}{
		{
			name: "keywords keep their spelling",
			src:  "select Id from Account",
			want: []scanned{{SELECT, "select"}, {IDENT, "Id"}, {FROM, "from"}, {IDENT, "Account"}},
		},
		{
			name: "contextual keywords",
			src:  "Order By typeOf True",
			want: []scanned{{ORDER, "Order"}, {BY, "By"}, {TYPEOF, "typeOf"}, {TRUE, "True"}},
		},
		{
			name: "identifiers",
			src:  "ns__Obj__c Account__r A1_b",
			want: []scanned{{IDENT, "ns__Obj__c"}, {IDENT, "Account__r"}, {IDENT, "A1_b"}},
		},
		{
			name: "operators",
			src:  "( ) , . : = != <> < <= > >=",
			want: []scanned{{LPAREN, "("}, {RPAREN, ")"}, {COMMA, ","}, {DOT, "."}, {COLON, ":"}, {EQ, "="},
				{NEQ, "!="}, {NEQ, "<>"}, {LT, "<"}, {LE, "<="}, {GT, ">"}, {GE, ">="}},
		},
		{
			name: "numbers",
			src:  "0 42 -5 +2 1.5 -0.25 5. 7",
			want: []scanned{{INTEGER, "0"}, {INTEGER, "42"}, {INTEGER, "-5"}, {INTEGER, "+2"}, {DECIMAL, "1.5"},
				{DECIMAL, "-0.25"}, {INTEGER, "5"}, {DOT, "."}, {INTEGER, "7"}},
		},
		{
			name: "currency",
			src:  "USD5000 eur12.50 Fax2 Fax2x ABCD1",
			want: []scanned{{CURRENCY, "USD5000"}, {CURRENCY, "eur12.50"}, {CURRENCY, "Fax2"}, {IDENT, "Fax2x"}, {IDENT, "ABCD1"}},
		},
		{
			name: "dates",
			src:  "2024-01-31 2024-01-31T10:00:00Z 2024-01-31T10:00:00.123+05:30 2024-01-31T10:00:00-08:00 1234",
			want: []scanned{{DATE, "2024-01-31"}, {DATETIME, "2024-01-31T10:00:00Z"},
				{DATETIME, "2024-01-31T10:00:00.123+05:30"}, {DATETIME, "2024-01-31T10:00:00-08:00"}, {INTEGER, "1234"}},
		},
		{
			name: "date literal with a number",
			src:  "LAST_N_DAYS:30",
			want: []scanned{{IDENT, "LAST_N_DAYS"}, {COLON, ":"}, {INTEGER, "30"}},
		},
		{
			name: "strings",
			src:  `'' 'a b' 'it\'s' 'a\\b' '\u00e9\n' 'x\_y\%'`,
			want: []scanned{{STRING, "''"}, {STRING, "'a b'"}, {STRING, `'it\'s'`}, {STRING, `'a\\b'`},
				{STRING, `'\u00e9\n'`}, {STRING, `'x\_y\%'`}},
		},
		{
			name: "whitespace and lines",
			src:  "a\n\tb\r\n c\f",
			want: []scanned{{IDENT, "a"}, {IDENT, "b"}, {IDENT, "c"}},
		},
		{
			name:    "illegal characters",
			src:     "a # b ! \" - é",
			want:    []scanned{{IDENT, "a"}, {ILLEGAL, "#"}, {IDENT, "b"}, {ILLEGAL, "!"}, {ILLEGAL, `"`}, {ILLEGAL, "-"}, {ILLEGAL, "é"}},
			wantErr: []string{"1:3: illegal character U+0023 '#'", "1:7: illegal character '!'; use != for not equal", `1:9: strings are quoted with ' in SOQL, not "`, `1:11: illegal character '-'; a sign must be followed by digits`, "1:13: illegal character U+00E9 'é'"},
		},
		{
			name:    "bad escapes",
			src:     `'\q' '\u12x4'`,
			want:    []scanned{{STRING, `'\q'`}, {STRING, `'\u12x4'`}},
			wantErr: []string{`1:2: invalid escape sequence \q`, `1:7: invalid escape sequence: \u needs four hexadecimal digits`},
		},
		{
			name:    "unterminated string",
			src:     "'abc",
			want:    []scanned{{ILLEGAL, "'abc"}},
			wantErr: []string{"1:1: string literal not terminated"},
		},
		{
			name:    "unterminated string after backslash",
			src:     `'abc\`,
			want:    []scanned{{ILLEGAL, `'abc\`}},
			wantErr: []string{"1:1: string literal not terminated"},
		},
		{
			name:    "malformed dates",
			src:     "2024-1-31 2024-01-31T10 2024-01-31T10:00:00+0530",
			want:    []scanned{{ILLEGAL, "2024-1"}, {INTEGER, "-31"}, {ILLEGAL, "2024-01-31T10"}, {ILLEGAL, "2024-01-31T10:00:00+05"}, {INTEGER, "30"}},
			wantErr: []string{"1:1: malformed date: want YYYY-MM-DD", "1:11: malformed datetime: want YYYY-MM-DDThh:mm:ss[.sss] and Z, +hh:mm or -hh:mm", "1:25: malformed datetime: want YYYY-MM-DDThh:mm:ss[.sss] and Z, +hh:mm or -hh:mm"},
		},
		{
			name:    "invalid UTF-8",
			src:     "a '\xff'",
			want:    []scanned{{IDENT, "a"}, {STRING, "'\xff'"}},
			wantErr: []string{"1:4: illegal UTF-8 encoding"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := scanAll(tc.src)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Scan(%q) tokens mismatch (-want +got):\n%s", tc.src, diff)
			}
			if diff := cmp.Diff(tc.wantErr, errs); diff != "" {
				t.Errorf("Scan(%q) errors mismatch (-want +got):\n%s", tc.src, diff)
			}
		})
	}
}

func TestScanPositions(t *testing.T) {
	src := "SELECT\n  Name, 'Zürich' x\r\n\tFROM"
	want := []Pos{
		{Offset: 0, Line: 1, Col: 1},
		{Offset: 9, Line: 2, Col: 3},
		{Offset: 13, Line: 2, Col: 7},
		{Offset: 15, Line: 2, Col: 9},
		{Offset: 25, Line: 2, Col: 18}, // ü is two bytes, one column
		{Offset: 29, Line: 3, Col: 2},
		{Offset: 33, Line: 3, Col: 6}, // EOF
	}
	var s Scanner
	s.Init(src, nil)
	for i, w := range want {
		pos, tok, lit := s.Scan()
		if pos != w {
			t.Errorf("Scan(%q) token %d (%v %q) at %+v, want %+v", src, i, tok, lit, pos, w)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		word string
		want Token
	}{
		{"SELECT", SELECT},
		{"select", SELECT},
		{"SeLeCt", SELECT},
		{"nulls", NULLS},
		{"security_enforced", SECURITY_ENFORCED},
		{"Account", IDENT},
		{"", IDENT},
		{strings.Repeat("a", 100), IDENT},
	}
	for _, tc := range tests {
		if got := Lookup(tc.word); got != tc.want {
			t.Errorf("Lookup(%q) = %v, want %v", tc.word, got, tc.want)
		}
	}
}

func TestTokenClasses(t *testing.T) {
	for tok := ILLEGAL; tok < contextualEnd; tok++ {
		if tok == literalBeg || tok == literalEnd || tok == operatorBeg || tok == operatorEnd ||
			tok == reservedBeg || tok == reservedEnd || tok == contextualBeg {
			continue
		}
		name := tok.String()
		if strings.HasPrefix(name, "token(") {
			t.Errorf("token %d has no name", int(tok))
		}
		if tok.IsKeyword() && Lookup(strings.ToLower(name)) != tok {
			t.Errorf("Lookup(%q) = %v, want %v", strings.ToLower(name), Lookup(name), tok)
		}
		if tok.IsReserved() == tok.IsContextual() && tok.IsKeyword() {
			t.Errorf("%v is both reserved and contextual", tok)
		}
	}
	if got := Token(-1).String(); got != "token(-1)" {
		t.Errorf("Token(-1).String() = %q, want token(-1)", got)
	}
	for _, tc := range []struct {
		tok  Token
		want int
	}{{OR, 1}, {AND, 2}, {EQ, 3}, {LIKE, 3}, {IN, 3}, {COMMA, LowestPrec}} {
		if got := tc.tok.Precedence(); got != tc.want {
			t.Errorf("%v.Precedence() = %d, want %d", tc.tok, got, tc.want)
		}
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{"plain", "plain"},
		{`a\nb\Nc`, "a\nb\nc"},
		{`\r\R\t\T\b\B\f\F`, "\r\r\t\t\b\b\f\f"},
		{`\"\'\\`, `"'\`},
		{`\u00e9\u6771`, "é東"},
		{`\_\%`, `\_\%`},
	}
	for _, tc := range tests {
		if got := decode(tc.raw, false); got != tc.want {
			t.Errorf("decode(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

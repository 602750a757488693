package sosl

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The words of the index. Indexing and searching split text the same way,
// here, so that both databases and the search service agree on what a word
// is: a maximal run of letters, or of digits (a change from letters to
// digits or back also ends a word, as in Salesforce: "ABC123" is abc and
// 123), folded to lower case and stripped of diacritics ("Zürich" is
// zurich). Everything else separates words.

// Tokens returns the words of text.
func Tokens(text string) []string {
	return split(text, false)
}

// Normalize returns the words of text joined by single spaces, the form
// the index stores.
func Normalize(text string) string {
	var b []byte
	class := 0
	for _, r := range text {
		c := runeClass(r)
		if c == 0 {
			class = 0
			continue
		}
		if c != class && len(b) > 0 {
			b = append(b, ' ')
		}
		class = c
		b = appendFolded(b, r)
	}
	return string(b)
}

// Patterns returns the words of a search word or phrase's Value, each
// possibly with the wildcards * (any run of characters, none included) and
// ? (exactly one), which stay inside the word they follow.
func Patterns(value string) []string {
	return split(value, true)
}

// split splits text into words; with wild set, * and ? join the word
// before them.
func split(text string, wild bool) []string {
	var out []string
	var b []byte
	class := 0
	flush := func() {
		if len(b) > 0 {
			out = append(out, string(b))
			b = b[:0]
		}
	}
	for _, r := range text {
		if wild && (r == '*' || r == '?') {
			if len(b) > 0 {
				b = append(b, byte(r))
			}
			continue
		}
		c := runeClass(r)
		if c != class {
			flush()
			class = c
		}
		if c != 0 {
			b = appendFolded(b, r)
		}
	}
	flush()
	return out
}

// runeClass is 1 for letters, 2 for digits and other numbers, 0 for
// separators.
func runeClass(r rune) int {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z':
			return 1
		case '0' <= r && r <= '9':
			return 2
		}
		return 0
	case unicode.IsLetter(r):
		return 1
	case unicode.IsNumber(r):
		return 2
	}
	return 0
}

// appendFolded appends r in lower case without diacritics.
func appendFolded(b []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(b, byte(r))
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if norm.NFD.IsNormal(buf[:n]) {
		return utf8.AppendRune(b, unicode.ToLower(r))
	}
	for _, d := range norm.NFD.String(string(buf[:n])) {
		if !unicode.Is(unicode.Mn, d) {
			b = utf8.AppendRune(b, unicode.ToLower(d))
		}
	}
	return b
}

// MatchPattern reports whether the word w matches pattern, in which *
// stands for any run of characters and ? for exactly one.
func MatchPattern(pattern, w string) bool {
	// Iterative glob matching with one backtrack point for the last *.
	px, wx := 0, 0
	starP, starW := -1, 0
	for wx < len(w) || px < len(pattern) {
		if px < len(pattern) {
			switch c := pattern[px]; c {
			case '*':
				starP, starW = px, wx
				px++
				continue
			case '?':
				if wx < len(w) {
					_, n := utf8.DecodeRuneInString(w[wx:])
					px++
					wx += n
					continue
				}
			default:
				if wx < len(w) && w[wx] == c {
					px++
					wx++
					continue
				}
			}
		}
		if starP >= 0 && starW < len(w) {
			_, n := utf8.DecodeRuneInString(w[starW:])
			starW += n
			px, wx = starP+1, starW
			continue
		}
		return false
	}
	return true
}

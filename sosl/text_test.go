package sosl

import (
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"words", "Jane Smith", []string{"jane", "smith"}},
		{"email", "jane.doe@acme.example", []string{"jane", "doe", "acme", "example"}},
		{"phone", "(415) 555-1212", []string{"415", "555", "1212"}},
		{"letters then digits", "ABC123def", []string{"abc", "123", "def"}},
		{"diacritics", "Zürich Genève Ångström", []string{"zurich", "geneve", "angstrom"}},
		{"letters without decomposition", "Øresund Straße", []string{"øresund", "straße"}},
		{"dotted capital I", "İstanbul", []string{"istanbul"}},
		{"other scripts", "東京都知事 Москва", []string{"東京都知事", "москва"}},
		{"punctuation only", "-- ** !!", nil},
		{"apostrophe", "O'Brien", []string{"o", "brien"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Tokens(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tc.text, got, tc.want)
			}
			want := ""
			for i, w := range tc.want {
				if i > 0 {
					want += " "
				}
				want += w
			}
			if got := Normalize(tc.text); got != want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.text, got, want)
			}
		})
	}
}

func TestPatterns(t *testing.T) {
	tests := []struct {
		value string
		want  []string
	}{
		{"Sm*", []string{"sm*"}},
		{"Sm?th*", []string{"sm?th*"}},
		{"jane.sm*", []string{"jane", "sm*"}},
		{"ab*cd", []string{"ab*cd"}},
		{"abc1*", []string{"abc", "1*"}},
		{"Zü*", []string{"zu*"}},
	}
	for _, tc := range tests {
		if got := Patterns(tc.value); !slices.Equal(got, tc.want) {
			t.Errorf("Patterns(%q) = %q, want %q", tc.value, got, tc.want)
		}
	}
}

func TestMatchPattern(t *testing.T) {
	tests := []struct {
		pattern, word string
		want          bool
	}{
		{"smith", "smith", true},
		{"smith", "smiths", false},
		{"sm*", "sm", true},
		{"sm*", "smith", true},
		{"sm*", "asmith", false},
		{"sm?th", "smith", true},
		{"sm?th", "smyth", true},
		{"sm?th", "smth", false},
		{"sm?th*", "smythe", true},
		{"j*n", "jn", true},
		{"j*n", "john", true},
		{"j*n", "johnny", false},
		{"j*n*y", "johnny", true},
		{"z?rich", "zürich", true},
		{"a*b*c", "aXbXbXc", true},
		{"a*b*c", "aXbXbX", false},
	}
	for _, tc := range tests {
		if got := MatchPattern(tc.pattern, tc.word); got != tc.want {
			t.Errorf("MatchPattern(%q, %q) = %v, want %v", tc.pattern, tc.word, got, tc.want)
		}
	}
}

func BenchmarkNormalize(b *testing.B) {
	text := "Jane Smith jane.smith@acme.example (415) 555-1212 Zürich Keynote Speaker"
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Normalize(text)
	}
}

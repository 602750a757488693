package sosl

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFromParameterized(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{
			name: "term only",
			body: `{"q":"Acme"}`,
			want: "FIND {Acme}",
		},
		{
			name: "global fields, limits and scope",
			body: `{"q":"Acme Corp","fields":["Id","Name"],"sobjects":[{"name":"Account","limit":20},{"name":"Contact","fields":["Id","Email"]}],"in":"name","overallLimit":100,"defaultLimit":"10"}`,
			want: "FIND {Acme AND Corp} IN NAME FIELDS RETURNING Account(Id, Name LIMIT 20), Contact(Id, Email LIMIT 10) LIMIT 100",
		},
		{
			name: "where and order by",
			body: `{"q":"Acme","sobjects":[{"name":"Account","fields":["Name"],"where":"Industry = 'Energy' and NumberOfEmployees > 5","orderBy":"Name DESC"}]}`,
			want: "FIND {Acme} RETURNING Account(Name WHERE Industry = 'Energy' AND NumberOfEmployees > 5 ORDER BY Name DESC)",
		},
		{
			name: "braces need no escape in q",
			body: `{"q":"a}b"}`,
			want: `FIND {a\}b}`,
		},
		{
			name: "options become WITH and UPDATE",
			body: `{"q":"Acme","division":"Global","metadata":"LABELS","spellCorrection":false,"snippet":{"targetLength":120},"netWorkIds":["0DB1"],"pricebookId":"01s1","updateTracking":true,"unknownKey":1}`,
			want: "FIND {Acme} WITH DIVISION = 'Global' WITH SNIPPET(target_length = 120) WITH NETWORK IN ('0DB1') WITH PricebookId = '01s1' WITH METADATA = 'LABELS' WITH SPELL_CORRECTION = FALSE UPDATE TRACKING",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ps Parameterized
			if err := json.Unmarshal([]byte(tc.body), &ps); err != nil {
				t.Fatal(err)
			}
			s, err := FromParameterized(&ps)
			if err != nil {
				t.Fatalf("FromParameterized(%s) = %v", tc.body, err)
			}
			if got := s.String(); got != tc.want {
				t.Errorf("FromParameterized(%s) =\n%s\nwant\n%s", tc.body, got, tc.want)
			}
			if _, err := Parse(s.String()); err != nil {
				t.Errorf("Parse(%s) = %v", s, err)
			}
		})
	}
}

func TestFromParameterizedErrors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"bad term", `{"q":"a AND"}`, "q: "},
		{"bad where", `{"q":"a","sobjects":[{"name":"Account","where":"Name ="}]}`, "sobjects Account: "},
		{"where escaping its parentheses", `{"q":"a","sobjects":[{"name":"Account","where":"Name = 'x'), Contact(Id"}]}`, "sobjects Account: "},
		{"bad name", `{"q":"a","sobjects":[{"name":"Account(Id)"}]}`, "not an object name"},
		{"bad scope", `{"q":"a","in":"BODY"}`, "in must be"},
		{"object twice", `{"q":"a","sobjects":[{"name":"Account"},{"name":"account"}]}`, "named twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ps Parameterized
			if err := json.Unmarshal([]byte(tc.body), &ps); err != nil {
				t.Fatal(err)
			}
			s, err := FromParameterized(&ps)
			if err == nil {
				t.Fatalf("FromParameterized(%s) = %s, want an error", tc.body, s)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("FromParameterized(%s) = %v, want it to mention %q", tc.body, err, tc.want)
			}
		})
	}
	var n Number
	for _, bad := range []string{`-1`, `1.5`, `"x"`, `true`} {
		if err := json.Unmarshal([]byte(bad), &n); err == nil {
			t.Errorf("Number from %s = %d, want an error", bad, n)
		}
	}
}

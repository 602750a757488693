package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/metadata"
)

// funcs are the functions templates call.
func (a *App) funcs() template.FuncMap {
	return template.FuncMap{
		// asset is the cacheable URL of an embedded asset.
		"asset": func(name string) string {
			if u, ok := a.assets[name]; ok {
				return u
			}
			return "/static/" + name
		},
		// cell makes a field's value showable and editable in the user's
		// conventions: {{(cell $.S $f $v "").HTML}}.
		"cell": newCell,
		// when formats an instant in the user's time zone.
		"when": func(s *session, v any) string {
			t, ok := asTime(v)
			if !ok {
				return ""
			}
			loc := time.UTC
			if s != nil && s.User.Location != nil {
				loc = s.User.Location
			}
			return t.In(loc).Format("Jan 2, 2006, 3:04 PM")
		},
		// day formats a date.
		"day": func(v any) string {
			if t, ok := asDate(v); ok {
				return t.Format("Jan 2, 2006")
			}
			return ""
		},
		"add":   func(a, b int) int { return a + b },
		"sub":   func(a, b int) int { return a - b },
		"lower": strings.ToLower,
		"join":  strings.Join,
		// dict builds a map for passing several values to a template:
		// {{template "x" dict "S" $.S "Rows" .Rows}}.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"initials": initials,
		"label":    fieldLabel,
	}
}

// newCell is a field's value in the conventions of the user in s.
func newCell(s *session, f *metadata.Field, v any, refName string) cell {
	c := cell{Field: f, Value: v, RefName: refName, Loc: time.UTC, Currency: "USD"}
	if s != nil {
		if s.User.Location != nil {
			c.Loc = s.User.Location
		}
		if s.User.Currency != "" {
			c.Currency = s.User.Currency
		}
	}
	return c
}

// initials are the first letters of a name's first two words, for avatars.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			out = append(out, r)
			break
		}
		if len(out) == 2 {
			break
		}
	}
	return strings.ToUpper(string(out))
}

// fieldLabel is a field's label as a column or form shows it: a lookup is
// labelled by what it points at (Account, not Account ID).
func fieldLabel(f *metadata.Field) string {
	if f.Type.IsReference() {
		if l, ok := strings.CutSuffix(f.Label, " ID"); ok && l != "" {
			return l
		}
	}
	return f.Label
}

package sosl

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/soql"
)

// Parameterized is a search given as parameters instead of SOSL: the JSON
// body of POST /parameterizedSearch, whose GET form carries the same in the
// query string. Keys Rapport does not know are ignored.
type Parameterized struct {
	// Q is the search term, without braces (see ParseTerm).
	Q string `json:"q"`
	// Fields are returned for every object that names none of its own.
	Fields   []string      `json:"fields"`
	SObjects []ParamObject `json:"sobjects"`
	// In is ALL, NAME, EMAIL, PHONE or SIDEBAR.
	In string `json:"in"`
	// OverallLimit bounds the whole result; DefaultLimit each object's.
	OverallLimit Number `json:"overallLimit"`
	DefaultLimit Number `json:"defaultLimit"`

	Division        string   `json:"division"`
	Metadata        string   `json:"metadata"`
	PricebookID     string   `json:"pricebookId"`
	NetworkIDs      []string `json:"netWorkIds"`
	SpellCorrection *bool    `json:"spellCorrection"`
	Snippet         *struct {
		TargetLength Number `json:"targetLength"`
	} `json:"snippet"`
	UpdateTracking bool `json:"updateTracking"`
	UpdateViewStat bool `json:"updateViewStat"`
}

// A ParamObject is one object to search and return, with SOQL text for
// its condition and sort order.
type ParamObject struct {
	Name    string   `json:"name"`
	Fields  []string `json:"fields"`
	Where   string   `json:"where"`
	OrderBy string   `json:"orderBy"`
	Limit   Number   `json:"limit"`
}

// A Number is a non-negative integer given as a JSON number or string, as
// Salesforce documents some of these parameters as strings. Zero means
// none.
type Number int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Number) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*n = 0
		return nil
	case float64:
		if x >= 0 && x == float64(int64(x)) {
			*n = Number(x)
			return nil
		}
	case string:
		if i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil && i >= 0 {
			*n = Number(i)
			return nil
		}
	}
	return fmt.Errorf("%s is not a non-negative integer", b)
}

// FromParameterized builds the search a parameterized request stands for.
// Errors are an ErrorList whose positions refer to the parameter at fault,
// which each message names.
func FromParameterized(ps *Parameterized, opts ...Option) (*Search, error) {
	var errs ErrorList
	fail := func(what string, err error) {
		if list, ok := err.(ErrorList); ok {
			for _, e := range list {
				e.Msg = what + ": " + e.Msg
				errs = append(errs, e)
			}
			return
		}
		errs = append(errs, soql.ErrorAt(what, Pos{}, err.Error()))
	}
	s := &Search{}
	t, err := ParseTerm(ps.Q, opts...)
	if err != nil {
		fail("q", err)
	}
	s.Term = t
	if ps.In != "" {
		switch strings.ToUpper(ps.In) {
		case "ALL":
			s.Scope = ScopeAll
		case "NAME":
			s.Scope = ScopeName
		case "EMAIL":
			s.Scope = ScopeEmail
		case "PHONE":
			s.Scope = ScopePhone
		case "SIDEBAR":
			s.Scope = ScopeSidebar
		default:
			errs = append(errs, soql.ErrorAt(ps.In, Pos{}, "in must be ALL, NAME, EMAIL, PHONE or SIDEBAR, not "+ps.In))
		}
	}
	for _, o := range ps.SObjects {
		r, err := parseParamObject(o, ps, opts)
		if err != nil {
			fail("sobjects "+o.Name, err)
			continue
		}
		s.Returning = append(s.Returning, r)
	}
	if ps.OverallLimit > 0 {
		s.Limit = &IntLit{Value: int64(ps.OverallLimit)}
	}
	if ps.Division != "" {
		s.With = append(s.With, &With{Kind: WithDivision, Value: soql.Quote(ps.Division)})
	}
	if ps.Snippet != nil {
		w := &With{Kind: WithSnippet}
		if ps.Snippet.TargetLength > 0 {
			w.TargetLength = &IntLit{Value: int64(ps.Snippet.TargetLength)}
		}
		s.With = append(s.With, w)
	}
	if len(ps.NetworkIDs) > 0 {
		w := &With{Kind: WithNetwork}
		for _, id := range ps.NetworkIDs {
			w.Values = append(w.Values, soql.Quote(id))
		}
		s.With = append(s.With, w)
	}
	if ps.PricebookID != "" {
		s.With = append(s.With, &With{Kind: WithPricebook, Value: soql.Quote(ps.PricebookID)})
	}
	if ps.Metadata != "" {
		s.With = append(s.With, &With{Kind: WithMetadata, Value: soql.Quote(ps.Metadata)})
	}
	if ps.SpellCorrection != nil {
		s.With = append(s.With, &With{Kind: WithSpellCorrection, Value: strings.ToUpper(strconv.FormatBool(*ps.SpellCorrection))})
	}
	if ps.UpdateTracking {
		s.Update |= UpdateTracking
	}
	if ps.UpdateViewStat {
		s.Update |= UpdateViewstat
	}
	if len(errs) == 0 {
		p := &parser{}
		p.check(s)
		errs = p.errors
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return s, nil
}

// parseParamObject parses one object of a parameterized search: its
// fields, condition, order and limit are put together as the text of a
// RETURNING object's parentheses and parsed as such.
func parseParamObject(o ParamObject, ps *Parameterized, opts []Option) (*Returning, error) {
	name := strings.TrimSpace(o.Name)
	if !validName(name) {
		return nil, fmt.Errorf("%q is not an object name", o.Name)
	}
	fields := o.Fields
	if len(fields) == 0 {
		fields = ps.Fields
	}
	if len(fields) == 0 {
		fields = []string{"Id"}
	}
	var b strings.Builder
	b.WriteString("(")
	b.WriteString(strings.Join(fields, ", "))
	if strings.TrimSpace(o.Where) != "" {
		b.WriteString(" WHERE " + o.Where)
	}
	if strings.TrimSpace(o.OrderBy) != "" {
		b.WriteString(" ORDER BY " + o.OrderBy)
	}
	limit := o.Limit
	if limit == 0 {
		limit = ps.DefaultLimit
	}
	if limit > 0 {
		b.WriteString(" LIMIT " + strconv.FormatInt(int64(limit), 10))
	}
	b.WriteString(")")

	p := newParser(b.String(), makeOptions(opts))
	var err error
	r := &Returning{Object: Ident{Name: name}}
	func() {
		defer p.recover(&err)
		p.next()
		p.parseSpec(r)
		if p.tok != EOF {
			p.error(p.pos, "unexpected "+p.found()+" after the object's clauses", p.near())
		}
	}()
	if err != nil {
		return nil, err
	}
	return r, nil
}

// validName reports whether s is a word the scanner reads as one name.
func validName(s string) bool {
	if s == "" || !(isLetter(rune(s[0])) || s[0] == '_') {
		return false
	}
	for _, r := range s {
		if !isLetter(r) && !isDigit(r) && r != '_' {
			return false
		}
	}
	return true
}

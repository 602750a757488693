package record

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// Date and time layouts of canonical values.
const (
	DateLayout     = "2006-01-02"
	TimeLayout     = "15:04:05.000"
	DateTimeLayout = "2006-01-02T15:04:05.000Z07:00"
)

// Default lengths of types whose length is fixed by Salesforce.
const (
	emailLength        = 80
	phoneLength        = 40
	urlLength          = 255
	textAreaLength     = 255
	longTextLength     = 131072
	multiPicklistLimit = 4099
	picklistLength     = 255
)

// MaxLength returns the maximum length in characters of a text field.
func MaxLength(f *metadata.Field) int {
	if f.Length > 0 {
		return f.Length
	}
	switch f.Type {
	case metadata.TypeEmail:
		return emailLength
	case metadata.TypePhone:
		return phoneLength
	case metadata.TypeURL:
		return urlLength
	case metadata.TypeTextArea:
		return textAreaLength
	case metadata.TypeLongTextArea, metadata.TypeHTML:
		return longTextLength
	case metadata.TypeMultiPicklist:
		return multiPicklistLimit
	case metadata.TypePicklist:
		return picklistLength
	}
	return 255
}

// Coerce turns an input value for field f into its canonical Go value (see
// the package comment), or returns a coded error naming the field. Empty
// strings are null for every type but text, where they are null too, as in
// Salesforce.
func Coerce(f *metadata.Field, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if s, ok := v.(string); ok && s == "" {
		return nil, nil
	}
	switch f.Storage() {
	case metadata.StoreText:
		return coerceText(f, v)
	case metadata.StoreDecimal:
		return coerceNumber(f, v)
	case metadata.StoreBool:
		return coerceBool(f, v)
	case metadata.StoreDate:
		return coerceDate(f, v)
	case metadata.StoreDateTime:
		return coerceDateTime(f, v)
	case metadata.StoreTime:
		return coerceTime(f, v)
	case metadata.StoreID:
		return coerceID(f, v)
	}
	return nil, typeError(f, v)
}

func typeError(f *metadata.Field, v any) error {
	return rapport.FieldErrorf(rapport.InvalidTypeOnFieldInRecord, []string{f.Name},
		"%s: value not of required type: %s", f.Label, describe(v))
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		if utf8.RuneCountInString(x) > 60 {
			r := []rune(x)
			x = string(r[:60]) + "…"
		}
		return x
	case json.Number:
		return x.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func coerceText(f *metadata.Field, v any) (any, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case json.Number:
		s = x.String()
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		s = strconv.Itoa(x)
	case int64:
		s = strconv.FormatInt(x, 10)
	case bool:
		s = strconv.FormatBool(x)
	default:
		return nil, typeError(f, v)
	}
	if !utf8.ValidString(s) {
		return nil, rapport.FieldErrorf(rapport.InvalidTypeOnFieldInRecord, []string{f.Name}, "%s: text is not valid UTF-8", f.Label)
	}
	switch f.Type {
	case metadata.TypeText, metadata.TypeEmail, metadata.TypePhone, metadata.TypeURL, metadata.TypePicklist:
		// Single-line types lose their surrounding spaces, as in Salesforce.
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, nil
		}
	}
	switch f.Type {
	case metadata.TypeEmail:
		if !validEmail(s) {
			return nil, rapport.FieldErrorf(rapport.InvalidEmailAddress, []string{f.Name}, "%s: invalid email address: %s", f.Label, describe(s))
		}
	case metadata.TypePicklist:
		if pv, ok := f.Picklist.Lookup(s); ok {
			s = pv.Value
		} else if f.Picklist != nil && f.Picklist.Restricted {
			return nil, rapport.FieldErrorf(rapport.InvalidOrNullForRestrictedPick, []string{f.Name}, "%s: bad value for restricted picklist field: %s", f.Label, describe(s))
		}
	case metadata.TypeMultiPicklist:
		var err error
		if s, err = coerceMulti(f, s); err != nil {
			return nil, err
		}
		if s == "" {
			return nil, nil
		}
	}
	if n := utf8.RuneCountInString(s); n > MaxLength(f) {
		return nil, rapport.FieldErrorf(rapport.StringTooLong, []string{f.Name}, "%s: data value too large: %s (max length=%d)", f.Label, describe(s), MaxLength(f))
	}
	return s, nil
}

func coerceMulti(f *metadata.Field, s string) (string, error) {
	seen := map[string]bool{}
	var out []string
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if pv, ok := f.Picklist.Lookup(part); ok {
			part = pv.Value
		} else if f.Picklist != nil && f.Picklist.Restricted {
			return "", rapport.FieldErrorf(rapport.InvalidOrNullForRestrictedPick, []string{f.Name}, "%s: bad value for restricted picklist field: %s", f.Label, describe(part))
		}
		if !seen[part] {
			seen[part] = true
			out = append(out, part)
		}
	}
	// Keep the picklist's order, so equal selections are equal strings.
	if f.Picklist != nil {
		order := map[string]int{}
		for i, v := range f.Picklist.Values {
			order[v.Value] = i
		}
		sortStable(out, func(a, b string) bool {
			ia, oka := order[a]
			ib, okb := order[b]
			if !oka {
				ia = len(order)
			}
			if !okb {
				ib = len(order)
			}
			return ia < ib
		})
	}
	return strings.Join(out, ";"), nil
}

func sortStable(s []string, less func(a, b string) bool) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func validEmail(s string) bool {
	if strings.ContainsAny(s, " \t\r\n<>,;") {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at == len(s)-1 || !strings.Contains(s[at+1:], ".") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

func coerceNumber(f *metadata.Field, v any) (any, error) {
	var text string
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, typeError(f, v)
		}
		text = strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		text = strconv.Itoa(x)
	case int64:
		text = strconv.FormatInt(x, 10)
	case json.Number:
		text = x.String()
	case string:
		text = strings.TrimSpace(x)
	default:
		return nil, typeError(f, v)
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok || strings.ContainsAny(text, "/") {
		return nil, typeError(f, v)
	}
	scale := f.Scale
	precision := f.Precision
	if precision == 0 {
		precision = 18
	}
	// Round half up (away from zero) to the field's scale, as Salesforce does.
	rounded := roundRat(r, scale)
	digits := precision - scale
	limit := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil))
	if new(big.Rat).Abs(rounded).Cmp(limit) >= 0 {
		return nil, rapport.FieldErrorf(rapport.NumberOutsideValidRange, []string{f.Name},
			"%s: value outside of valid range on numeric field: %s", f.Label, text)
	}
	out, _ := rounded.Float64()
	return out, nil
}

func roundRat(r *big.Rat, scale int) *big.Rat {
	m := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
	x := new(big.Rat).Mul(r, new(big.Rat).SetInt(m))
	num, den := x.Num(), x.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	// |rem|*2 >= den → round away from zero
	if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(den) >= 0 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return new(big.Rat).SetFrac(q, m)
}

func coerceBool(f *metadata.Field, v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1", "yes":
			return true, nil
		case "false", "0", "no":
			return false, nil
		}
	case float64:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case json.Number:
		if x == "0" || x == "1" {
			return x == "1", nil
		}
	}
	return nil, typeError(f, v)
}

func coerceDate(f *metadata.Field, v any) (any, error) {
	switch x := v.(type) {
	case time.Time:
		return x.Format(DateLayout), nil
	case string:
		s := strings.TrimSpace(x)
		if t, err := time.Parse(DateLayout, s); err == nil {
			return t.Format(DateLayout), nil
		}
		// A datetime is accepted for a date: its date part counts.
		if t, ok := parseDateTime(s); ok {
			return t.Format(DateLayout), nil
		}
	}
	return nil, typeError(f, v)
}

func coerceDateTime(f *metadata.Field, v any) (any, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Truncate(time.Millisecond), nil
	case string:
		if t, ok := parseDateTime(strings.TrimSpace(x)); ok {
			return t, nil
		}
	}
	return nil, typeError(f, v)
}

// dateTimeLayouts are the forms Salesforce clients send: Z, +hh:mm and +hhmm
// offsets, with or without fractions; a bare date means midnight UTC.
var dateTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	DateLayout,
}

func parseDateTime(s string) (time.Time, bool) {
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Truncate(time.Millisecond), true
		}
	}
	return time.Time{}, false
}

var timeLayouts = []string{"15:04:05.999999999Z07:00", "15:04:05.999999999", "15:04:05Z07:00", "15:04:05", "15:04"}

func coerceTime(f *metadata.Field, v any) (any, error) {
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		for _, layout := range timeLayouts {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC().Format(TimeLayout), nil
			}
		}
	}
	return nil, typeError(f, v)
}

func coerceID(f *metadata.Field, v any) (any, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = strings.TrimSpace(x)
	case rapport.ID:
		s = string(x)
	default:
		return nil, typeError(f, v)
	}
	id, err := rapport.ParseID(s)
	if err != nil {
		return nil, rapport.FieldErrorf(rapport.MalformedID, []string{f.Name}, "%s: id value of incorrect type: %s", f.Label, describe(s))
	}
	return id, nil
}

// FormatValue renders a canonical value as text, as history rows and CSV
// files show it.
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case rapport.ID:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	return fmt.Sprint(v)
}

// Equal reports whether two canonical values are the same.
func Equal(a, b any) bool {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return a == b
}

package web

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// A cell is one field's value of one record, as pages show and edit it.
// For a reference, RefName is the referenced record's name.
type cell struct {
	Field   *metadata.Field
	Value   any
	RefName string
	// Error is a validation message for this field from the last save.
	Error string
	// Loc is the time zone date-times are shown and entered in.
	Loc *time.Location
	// Currency is the ISO code currency amounts are shown with.
	Currency string
}

// refPath is the SOQL path that reads the name of the record a reference
// field points at (Account.Name, Owner.Name), or "" for a reference
// without a relationship name.
func refPath(sch *metadata.Schema, f *metadata.Field) string {
	if !f.Type.IsReference() || f.RelationshipName == "" {
		return ""
	}
	name := "Name"
	if len(f.ReferenceTo) == 1 {
		if t := sch.Object(f.ReferenceTo[0]); t != nil && t.NameField != "" {
			name = t.NameField
		}
	}
	return f.RelationshipName + "." + name
}

// displayType is the type a field's values are shown as: a formula's
// return type, else the field's own.
func displayType(f *metadata.Field) metadata.FieldType {
	if (f.Type == metadata.TypeFormula || f.Type == metadata.TypeSummary) && f.ReturnType != "" {
		return f.ReturnType
	}
	return f.Type
}

// text formats a value as plain text in the user's conventions.
func (c cell) text() string {
	v := c.Value
	if v == nil {
		return ""
	}
	switch displayType(c.Field) {
	case metadata.TypeCurrency:
		if n, ok := number(v); ok {
			return currencySymbol(c.Currency) + groupDigits(n, c.Field.Scale)
		}
	case metadata.TypeNumber, metadata.TypeSummary:
		if n, ok := number(v); ok {
			return groupDigits(n, c.Field.Scale)
		}
	case metadata.TypePercent:
		if n, ok := number(v); ok {
			return groupDigits(n, c.Field.Scale) + "%"
		}
	case metadata.TypeCheckbox:
		if b, ok := v.(bool); ok && b {
			return "Yes"
		}
		return "No"
	case metadata.TypeDate:
		if t, ok := asDate(v); ok {
			return t.Format("Jan 2, 2006")
		}
	case metadata.TypeDateTime:
		if t, ok := asTime(v); ok {
			return t.In(c.loc()).Format("Jan 2, 2006, 3:04 PM")
		}
	case metadata.TypeTime:
		if s, ok := v.(string); ok {
			if t, err := time.Parse("15:04:05.000Z", s); err == nil {
				return t.Format("3:04 PM")
			}
		}
	case metadata.TypePicklist:
		return picklistLabel(c.Field, fmt.Sprint(v))
	case metadata.TypeMultiPicklist:
		s := fmt.Sprint(v)
		parts := strings.Split(s, ";")
		for i, p := range parts {
			parts[i] = picklistLabel(c.Field, p)
		}
		return strings.Join(parts, "; ")
	case metadata.TypeLookup, metadata.TypeMasterDetail:
		if c.RefName != "" {
			return c.RefName
		}
	}
	return record.FormatValue(v)
}

func (c cell) loc() *time.Location {
	if c.Loc == nil {
		return time.UTC
	}
	return c.Loc
}

// HTML shows a value: links for references, email addresses, phone
// numbers and web addresses, line breaks kept in long text.
// LinkText is the cell as the text of a link to its row's record: a
// lookup's name without a link of its own (links do not nest).
func (c cell) LinkText() template.HTML {
	if c.Field.Type.IsReference() {
		return template.HTML(template.HTMLEscapeString(c.text()))
	}
	return c.HTML()
}

func (c cell) HTML() template.HTML {
	if c.Value == nil || c.Value == "" {
		return ""
	}
	esc := template.HTMLEscapeString
	t := c.text()
	switch displayType(c.Field) {
	case metadata.TypeLookup, metadata.TypeMasterDetail, metadata.TypeID:
		id := record.FormatValue(c.Value)
		if c.Field.Type == metadata.TypeID && c.RefName == "" {
			return template.HTML(esc(id))
		}
		return template.HTML(`<a href="/r/` + url.PathEscape(id) + `">` + esc(t) + `</a>`)
	case metadata.TypeEmail:
		return template.HTML(`<a href="mailto:` + esc(t) + `">` + esc(t) + `</a>`)
	case metadata.TypePhone:
		return template.HTML(`<a href="tel:` + esc(strings.Map(phoneRune, t)) + `">` + esc(t) + `</a>`)
	case metadata.TypeURL:
		href := t
		if !strings.Contains(href, "://") {
			href = "https://" + href
		}
		if u, err := url.Parse(href); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return template.HTML(esc(t))
		}
		return template.HTML(`<a href="` + esc(href) + `" rel="noopener noreferrer" target="_blank">` + esc(t) + `</a>`)
	case metadata.TypeCheckbox:
		if b, _ := c.Value.(bool); b {
			return `<span class="check" role="img" aria-label="Yes">✓</span>`
		}
		return `<span class="check off" role="img" aria-label="No">–</span>`
	case metadata.TypeTextArea, metadata.TypeLongTextArea, metadata.TypeHTML:
		return template.HTML(strings.ReplaceAll(esc(t), "\n", "<br>"))
	case metadata.TypeCurrency, metadata.TypeNumber, metadata.TypePercent, metadata.TypeSummary:
		return template.HTML(`<span class="num">` + esc(t) + `</span>`)
	}
	return template.HTML(esc(t))
}

func phoneRune(r rune) rune {
	if r >= '0' && r <= '9' || r == '+' {
		return r
	}
	return -1
}

// Numeric reports whether the value is a number, for right alignment.
func (c cell) Numeric() bool {
	switch displayType(c.Field) {
	case metadata.TypeCurrency, metadata.TypeNumber, metadata.TypePercent, metadata.TypeSummary:
		return true
	}
	return false
}

func picklistLabel(f *metadata.Field, v string) string {
	if f.Picklist != nil {
		for _, pv := range f.Picklist.Values {
			if pv.Value == v && pv.Label != "" {
				return pv.Label
			}
		}
	}
	return v
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case string:
		n, err := strconv.ParseFloat(x, 64)
		return n, err == nil
	}
	return 0, false
}

func asDate(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		t, err := time.Parse(record.DateLayout, x)
		return t, err == nil
	}
	return time.Time{}, false
}

func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700"} {
			if t, err := time.Parse(layout, x); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// groupDigits formats n with scale decimals and thousands separators.
func groupDigits(n float64, scale int) string {
	if scale < 0 {
		scale = 0
	}
	s := strconv.FormatFloat(math.Abs(n), 'f', scale, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

func currencySymbol(code string) string {
	switch code {
	case "", "USD":
		return "$"
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "JPY":
		return "¥"
	case "INR":
		return "₹"
	}
	return code + " "
}

// editable reports whether a field can be given a value in a form: not
// system-maintained, not computed, and writable by the user.
func editable(s *session, obj *metadata.Object, f *metadata.Field, creating bool) bool {
	if f.System || f.ReadOnly || f.Deleted || f.Type == metadata.TypeID || f.Type == metadata.TypeFormula ||
		f.Type == metadata.TypeSummary || f.Type == metadata.TypeAutoNumber || f.Compound == "" && f.NameField && isCompoundName(obj, f) {
		return false
	}
	if f.CreateOnly && !creating {
		return false
	}
	if s != nil && s.Policy != nil {
		fp := s.Policy.Field(obj, f)
		if !fp.Edit {
			return false
		}
	}
	return true
}

// isCompoundName reports whether f is a Name computed from parts (a
// contact's FirstName and LastName).
func isCompoundName(obj *metadata.Object, f *metadata.Field) bool {
	for _, g := range obj.Fields {
		if g.Compound == f.Name {
			return true
		}
	}
	return false
}

// readable reports whether the user may see a field.
func readable(s *session, obj *metadata.Object, f *metadata.Field) bool {
	if f.Deleted {
		return false
	}
	if s != nil && s.Policy != nil {
		return s.Policy.Field(obj, f).Read
	}
	return true
}

// Input renders the form control for a field: the right control for its
// type, its label, a required mark and the error of the last save.
func (c cell) Input() template.HTML {
	f := c.Field
	esc := template.HTMLEscapeString
	id := "f-" + f.Name
	var b strings.Builder
	required := f.Required && f.Type != metadata.TypeCheckbox
	b.WriteString(`<div class="field` + map[bool]string{true: " has-error"}[c.Error != ""] + `">`)
	if f.Type == metadata.TypeCheckbox {
		b.WriteString(`<input type="hidden" name="` + esc(f.Name) + `" value="false">`)
		b.WriteString(`<label class="check-label" for="` + id + `"><input type="checkbox" id="` + id + `" name="` + esc(f.Name) + `" value="true"`)
		if v, _ := c.Value.(bool); v {
			b.WriteString(" checked")
		}
		b.WriteString("> " + esc(f.Label) + "</label>")
	} else {
		b.WriteString(`<label for="` + id + `">` + esc(fieldLabel(f)))
		if required {
			b.WriteString(` <abbr class="req" title="required">*</abbr>`)
		}
		b.WriteString("</label>")
		attrs := ` id="` + id + `" name="` + esc(f.Name) + `"`
		if required {
			attrs += ` required aria-required="true"`
		}
		if c.Error != "" {
			attrs += ` aria-invalid="true" aria-describedby="` + id + `-err"`
		}
		if f.HelpText != "" {
			attrs += ` title="` + esc(f.HelpText) + `"`
		}
		b.WriteString(c.control(id, attrs))
	}
	if c.Error != "" {
		b.WriteString(`<p class="field-error" id="` + id + `-err">` + esc(c.Error) + `</p>`)
	}
	b.WriteString("</div>")
	return template.HTML(b.String())
}

// control is the input element of a field with the given attributes.
func (c cell) control(id, attrs string) string {
	f := c.Field
	esc := template.HTMLEscapeString
	raw := ""
	if c.Value != nil {
		raw = record.FormatValue(c.Value)
	}
	input := func(typ, value, extra string) string {
		return `<input type="` + typ + `"` + attrs + ` value="` + esc(value) + `"` + extra + `>`
	}
	maxLen := ""
	if n := record.MaxLength(f); n > 0 {
		maxLen = ` maxlength="` + strconv.Itoa(n) + `"`
	}
	switch f.Type {
	case metadata.TypeTextArea, metadata.TypeLongTextArea, metadata.TypeHTML:
		rows := f.VisibleLines
		if rows <= 0 {
			rows = 3
		}
		return `<textarea` + attrs + maxLen + ` rows="` + strconv.Itoa(rows) + `">` + esc(raw) + `</textarea>`
	case metadata.TypeEmail:
		return input("email", raw, maxLen+` autocomplete="off"`)
	case metadata.TypePhone:
		return input("tel", raw, maxLen)
	case metadata.TypeURL:
		return input("text", raw, maxLen+` inputmode="url"`)
	case metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent:
		step := "1"
		if f.Scale > 0 {
			step = "0." + strings.Repeat("0", f.Scale-1) + "1"
		}
		if n, ok := number(c.Value); ok {
			raw = strconv.FormatFloat(n, 'f', -1, 64)
		}
		in := input("number", raw, ` step="`+step+`" inputmode="decimal"`)
		switch f.Type {
		case metadata.TypeCurrency:
			return `<span class="affix"><span class="prefix">` + esc(strings.TrimSpace(currencySymbol(c.Currency))) + `</span>` + in + `</span>`
		case metadata.TypePercent:
			return `<span class="affix">` + in + `<span class="suffix">%</span></span>`
		}
		return in
	case metadata.TypeDate:
		if t, ok := asDate(c.Value); ok {
			raw = t.Format(record.DateLayout)
		}
		return input("date", raw, "")
	case metadata.TypeDateTime:
		if t, ok := asTime(c.Value); ok {
			raw = t.In(c.loc()).Format("2006-01-02T15:04")
		}
		return input("datetime-local", raw, "")
	case metadata.TypeTime:
		if len(raw) >= 5 {
			raw = raw[:5]
		}
		return input("time", raw, "")
	case metadata.TypePicklist:
		var b strings.Builder
		b.WriteString(`<select` + attrs + `><option value="">--None--</option>`)
		for _, pv := range picklistValues(f, raw) {
			b.WriteString(`<option value="` + esc(pv.Value) + `"`)
			if pv.Value == raw {
				b.WriteString(" selected")
			}
			b.WriteString(">" + esc(labelOf(pv)) + "</option>")
		}
		b.WriteString("</select>")
		return b.String()
	case metadata.TypeMultiPicklist:
		chosen := map[string]bool{}
		for _, v := range strings.Split(raw, ";") {
			chosen[v] = true
		}
		var b strings.Builder
		b.WriteString(`<select multiple size="5"` + attrs + `>`)
		for _, pv := range picklistValues(f, "") {
			b.WriteString(`<option value="` + esc(pv.Value) + `"`)
			if chosen[pv.Value] {
				b.WriteString(" selected")
			}
			b.WriteString(">" + esc(labelOf(pv)) + "</option>")
		}
		b.WriteString("</select>")
		return b.String()
	case metadata.TypeLookup, metadata.TypeMasterDetail:
		// A type-ahead: the visible box searches, the hidden input keeps
		// the chosen record's ID (app.js wires them).
		target := ""
		if len(f.ReferenceTo) > 0 {
			target = f.ReferenceTo[0]
		}
		name := c.RefName
		if name == "" {
			name = raw
		}
		list := id + "-options"
		return `<span class="lookup" data-lookup="` + esc(target) + `">` +
			`<input type="hidden" name="` + esc(f.Name) + `" value="` + esc(raw) + `" class="lookup-id">` +
			`<input type="text" id="` + id + `" class="lookup-box" value="` + esc(name) + `" autocomplete="off" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="` + list + `"` +
			` placeholder="Search ` + esc(target) + `…"` + requiredAttr(f) +
			` hx-get="/lookup/` + esc(url.PathEscape(target)) + `" hx-trigger="input changed delay:200ms, focus" hx-target="#` + list + `" name="_q" hx-params="_q">` +
			`<ul class="lookup-options" id="` + list + `" role="listbox"></ul></span>`
	}
	return input("text", raw, maxLen)
}

func requiredAttr(f *metadata.Field) string {
	if f.Required {
		return ` required aria-required="true"`
	}
	return ""
}

func labelOf(pv metadata.PicklistValue) string {
	if pv.Label != "" {
		return pv.Label
	}
	return pv.Value
}

// picklistValues are a picklist's active values, with the current value
// kept even if it was since deactivated.
func picklistValues(f *metadata.Field, current string) []metadata.PicklistValue {
	if f.Picklist == nil {
		return nil
	}
	var out []metadata.PicklistValue
	seen := false
	for _, pv := range f.Picklist.Values {
		if pv.Value == current {
			seen = true
		}
		if pv.Inactive && pv.Value != current {
			continue
		}
		out = append(out, pv)
	}
	if current != "" && !seen {
		out = append(out, metadata.PicklistValue{Value: current})
	}
	return out
}

// formValues reads the submitted values of fields from a form, as the
// record service takes them: empty text clears a field; date-times are
// read in the user's time zone. A value that cannot be read is an error
// for its field.
func formValues(form url.Values, fields []*metadata.Field, loc *time.Location) (map[string]any, map[string]string) {
	out := map[string]any{}
	errs := map[string]string{}
	for _, f := range fields {
		vs, ok := form[f.Name]
		if !ok {
			continue
		}
		v := strings.TrimSpace(lastOf(vs))
		switch f.Type {
		case metadata.TypeCheckbox:
			out[f.Name] = contains(vs, "true")
			continue
		case metadata.TypeMultiPicklist:
			var picked []string
			for _, x := range vs {
				if x = strings.TrimSpace(x); x != "" {
					picked = append(picked, x)
				}
			}
			if len(picked) == 0 {
				out[f.Name] = nil
			} else {
				out[f.Name] = strings.Join(picked, ";")
			}
			continue
		case metadata.TypeTextArea, metadata.TypeLongTextArea, metadata.TypeHTML:
			v = strings.ReplaceAll(lastOf(vs), "\r\n", "\n")
			if strings.TrimSpace(v) == "" {
				v = ""
			}
		}
		if v == "" {
			out[f.Name] = nil
			continue
		}
		switch f.Type {
		case metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent:
			clean := strings.Map(func(r rune) rune {
				if r == ',' || r == '$' || r == '%' || r == ' ' || r == '€' || r == '£' {
					return -1
				}
				return r
			}, v)
			if _, err := strconv.ParseFloat(clean, 64); err != nil {
				errs[f.Name] = "Enter a number."
				continue
			}
			out[f.Name] = clean
		case metadata.TypeDateTime:
			t, err := time.ParseInLocation("2006-01-02T15:04", v, loc)
			if err != nil {
				t, err = time.ParseInLocation("2006-01-02T15:04:05", v, loc)
			}
			if err != nil {
				errs[f.Name] = "Enter a date and time."
				continue
			}
			out[f.Name] = t.UTC()
		case metadata.TypeDate:
			if _, err := time.Parse(record.DateLayout, v); err != nil {
				errs[f.Name] = "Enter a date as YYYY-MM-DD."
				continue
			}
			out[f.Name] = v
		case metadata.TypeLookup, metadata.TypeMasterDetail:
			if _, err := rapport.ParseID(v); err != nil {
				errs[f.Name] = "Choose a record from the list."
				continue
			}
			out[f.Name] = v
		default:
			out[f.Name] = v
		}
	}
	return out, errs
}

func lastOf(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

func contains(vs []string, s string) bool {
	for _, v := range vs {
		if v == s {
			return true
		}
	}
	return false
}

// fieldErrors splits a save's error into messages by field: a domain error
// naming fields is shown next to them; the rest goes to the form's top.
func fieldErrors(err error) (map[string]string, string) {
	var re *rapport.Error
	if !errors.As(err, &re) {
		return nil, message(err)
	}
	msg := message(re)
	if len(re.Fields) == 0 {
		return nil, msg
	}
	if re.Code == rapport.RequiredFieldMissing {
		// Next to the field, the field's name goes without saying.
		msg = "Complete this field."
	}
	out := map[string]string{}
	for _, f := range re.Fields {
		out[f] = msg
	}
	return out, ""
}

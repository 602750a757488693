package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// fieldManagerRoutes adds an object's fields: create, edit, delete,
// undelete and purge.
func (a *App) fieldManagerRoutes(admin func(pattern string, h handlerFunc)) {
	admin("GET /setup/objects/{object}/fields/new", a.fieldNew)
	admin("GET /setup/objects/{object}/fields/settings", a.fieldSettings)
	admin("POST /setup/objects/{object}/fields", a.fieldCreate)
	admin("GET /setup/objects/{object}/fields/{field}", a.fieldEdit)
	admin("POST /setup/objects/{object}/fields/{field}", a.fieldSave)
	admin("POST /setup/objects/{object}/fields/{field}/delete", a.fieldDelete)
	admin("POST /setup/objects/{object}/fields/{field}/undelete", a.fieldUndelete)
	admin("POST /setup/objects/{object}/fields/{field}/purge", a.fieldPurge)
}

// fieldTypeInfo describes a field type in the type picker.
type fieldTypeInfo struct {
	Type        metadata.FieldType
	Label, Help string
	// Available is false for types the record service cannot create yet.
	Available bool
}

var typeLabels = map[metadata.FieldType][2]string{
	metadata.TypeText:          {"Text", "Letters, numbers and symbols, up to 255 characters."},
	metadata.TypeTextArea:      {"Text Area", "Several lines of text, up to 255 characters."},
	metadata.TypeLongTextArea:  {"Long Text Area", "Several lines of text, up to 131,072 characters."},
	metadata.TypeHTML:          {"Rich Text Area", "Formatted text, up to 131,072 characters."},
	metadata.TypeEmail:         {"Email", "An email address, checked and linked."},
	metadata.TypePhone:         {"Phone", "A phone number, linked for calling."},
	metadata.TypeURL:           {"URL", "A web address, linked."},
	metadata.TypeNumber:        {"Number", "A number with the digits you choose."},
	metadata.TypeCurrency:      {"Currency", "An amount of money."},
	metadata.TypePercent:       {"Percent", "A percentage: 10 means 10%."},
	metadata.TypeCheckbox:      {"Checkbox", "Yes or no."},
	metadata.TypeDate:          {"Date", "A calendar day."},
	metadata.TypeDateTime:      {"Date/Time", "A day and a time of day."},
	metadata.TypeTime:          {"Time", "A time of day."},
	metadata.TypePicklist:      {"Picklist", "One value from a list you define."},
	metadata.TypeMultiPicklist: {"Multi-Select Picklist", "Several values from a list you define."},
	metadata.TypeLookup:        {"Lookup Relationship", "Links to a record of another object."},
	metadata.TypeMasterDetail:  {"Master-Detail Relationship", "Links to a parent record that owns this one: its sharing, deletion and roll-ups."},
	metadata.TypeAutoNumber:    {"Auto Number", "A number given to each new record, such as INV-{0000}."},
	metadata.TypeFormula:       {"Formula", "A value computed from other fields."},
	metadata.TypeSummary:       {"Roll-Up Summary", "A count, sum, minimum or maximum of detail records."},
}

// typeLabel is a field type's name as people read it.
func typeLabel(t metadata.FieldType) string {
	if l, ok := typeLabels[t]; ok {
		return l[0]
	}
	return string(t)
}

// fieldTypes are the types of the picker: those the metadata can create,
// then the computed ones, offered once the record service creates them.
func fieldTypes() []fieldTypeInfo {
	var out []fieldTypeInfo
	seen := map[metadata.FieldType]bool{}
	for _, t := range metadata.FieldTypes {
		seen[t] = true
		out = append(out, fieldTypeInfo{Type: t, Label: typeLabel(t), Help: typeLabels[t][1], Available: true})
	}
	for _, t := range []metadata.FieldType{metadata.TypeFormula, metadata.TypeSummary} {
		if !seen[t] {
			out = append(out, fieldTypeInfo{Type: t, Label: typeLabel(t), Help: typeLabels[t][1]})
		}
	}
	return out
}

func knownType(t metadata.FieldType) bool {
	_, ok := typeLabels[t]
	return ok
}

// pvRow is one picklist value in the edit form.
type pvRow struct {
	Index         int
	Value, Label  string
	Active        bool
	Default       bool
	Order         int
	Existing      bool
	DisplayLabels bool
}

// summaryChoice is a detail object and its master-detail field to roll up.
type summaryChoice struct {
	Value, Label string
}

// sumFilterRow is one filter criterion of a roll-up in the form.
type sumFilterRow struct {
	Index            int
	Field, Op, Value string
}

// sumFilterRows is how many criteria the form offers.
const sumFilterRows = 3

// SumFilterOps are a filter's operations.
func (f *fieldForm) SumFilterOps() []summaryChoice {
	return []summaryChoice{{"equals", "equals"}, {"notEqual", "not equal to"}, {"lessThan", "less than"},
		{"greaterThan", "greater than"}, {"lessOrEqual", "less or equal"}, {"greaterOrEqual", "greater or equal"}}
}

// FilterRows are the criteria rows of the form: the roll-up's, then
// empty ones.
func (f *fieldForm) FilterRows() []sumFilterRow {
	rows := append([]sumFilterRow(nil), f.SumFilters...)
	for len(rows) < sumFilterRows {
		rows = append(rows, sumFilterRow{Op: "equals"})
	}
	for i := range rows {
		rows[i].Index = i
	}
	return rows
}

type summaryGroup struct {
	Label   string
	Choices []summaryChoice
}

// fieldForm is the form that creates or edits a field.
type fieldForm struct {
	Object   *metadata.Object
	Targets  []*metadata.Object
	Children []summaryChoice
	// SumFields are the fields each detail object offers to SUM, MIN and
	// MAX, grouped by detail object.
	SumFields []summaryGroup
	Types     []fieldTypeInfo

	Editing  bool
	Original string // the field's API name when editing
	Standard bool   // a standard field: label, help, tracking and values only
	NameLock bool   // the object's name field

	Type                                      metadata.FieldType
	Label, Name, Description, HelpText        string
	Length, Precision, Scale, VisibleLines    string
	Required, Unique, CaseSensitive, External bool
	TrackHistory                              bool
	DefaultValue                              string
	DefaultChecked                            bool

	Values       string // create: one value a line
	FirstDefault bool
	Restricted   bool
	PV           []pvRow // edit: the existing values
	AddValues    string

	Target, RelName, ChildRelName, Constraint string
	Reparentable                              bool

	DisplayFormat, StartingNumber string

	Formula, ReturnType string

	SumOp, SumChild, SumField string
	// SumFilters are the roll-up's filter criteria, with empty rows to add.
	SumFilters []sumFilterRow
	// FilterFields are the fields each detail object can be filtered on.
	FilterFields []summaryGroup

	Errors map[string]string
	Error  string
}

// NameInput is the API name box.
func (f *fieldForm) NameInput() template.HTML {
	return apiNameInput(f.Name, customAPIName(f.Label), f.Errors["name"])
}

// TypeLabel is the form's type as people read it.
func (f *fieldForm) TypeLabel() string { return typeLabel(f.Type) }

// Has reports whether the form's type has a setting.
func (f *fieldForm) Has(setting string) bool {
	t := f.Type
	switch setting {
	case "length":
		return t == metadata.TypeText || t == metadata.TypeLongTextArea || t == metadata.TypeHTML
	case "lines":
		return t == metadata.TypeLongTextArea || t == metadata.TypeHTML || t == metadata.TypeTextArea || t == metadata.TypeMultiPicklist
	case "precision":
		return t == metadata.TypeNumber || t == metadata.TypeCurrency || t == metadata.TypePercent
	case "unique":
		return t == metadata.TypeText || t == metadata.TypeEmail || t == metadata.TypeNumber
	case "external":
		return t == metadata.TypeText || t == metadata.TypeEmail || t == metadata.TypeNumber || t == metadata.TypeAutoNumber
	case "caseSensitive":
		return t == metadata.TypeText
	case "default":
		switch t {
		case metadata.TypeText, metadata.TypeTextArea, metadata.TypeEmail, metadata.TypePhone, metadata.TypeURL,
			metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent, metadata.TypeDate, metadata.TypeDateTime, metadata.TypeTime:
			return true
		}
	case "checkbox":
		return t == metadata.TypeCheckbox
	case "required":
		switch t {
		case metadata.TypeCheckbox, metadata.TypeAutoNumber, metadata.TypeFormula, metadata.TypeSummary, metadata.TypeMasterDetail:
			return false
		}
		return true
	case "picklist":
		return t == metadata.TypePicklist || t == metadata.TypeMultiPicklist
	case "reference":
		return t.IsReference()
	case "lookup":
		return t == metadata.TypeLookup
	case "masterDetail":
		return t == metadata.TypeMasterDetail
	case "autoNumber":
		return t == metadata.TypeAutoNumber
	case "formula":
		return t == metadata.TypeFormula
	case "summary":
		return t == metadata.TypeSummary
	}
	return false
}

// Returns are the return types a formula may have.
func (f *fieldForm) Returns() []fieldTypeInfo {
	var out []fieldTypeInfo
	for _, t := range []metadata.FieldType{metadata.TypeText, metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent,
		metadata.TypeCheckbox, metadata.TypeDate, metadata.TypeDateTime, metadata.TypeTime} {
		out = append(out, fieldTypeInfo{Type: t, Label: typeLabel(t)})
	}
	return out
}

// Constraints are a lookup's choices of what deleting its target does.
func (f *fieldForm) Constraints() []summaryChoice {
	return []summaryChoice{
		{string(metadata.SetNull), constraintLabel(metadata.SetNull)},
		{string(metadata.Restrict), constraintLabel(metadata.Restrict)},
		{string(metadata.Cascade), constraintLabel(metadata.Cascade)},
	}
}

// Action is where the form posts.
func (f *fieldForm) Action() string {
	if f.Editing {
		return objectsURL(f.Object.Name) + "/fields/" + url.PathEscape(f.Original)
	}
	return objectsURL(f.Object.Name) + "/fields"
}

// newFieldForm is an empty form for a new field of type t on o.
func (a *App) newFieldForm(sch *metadata.Schema, o *metadata.Object, t metadata.FieldType) *fieldForm {
	f := &fieldForm{Object: o, Types: fieldTypes(), Type: t, Errors: map[string]string{}}
	f.fillChoices(sch)
	switch t {
	case metadata.TypeText:
		f.Length = "255"
	case metadata.TypeLongTextArea, metadata.TypeHTML:
		f.Length, f.VisibleLines = "32768", "5"
	case metadata.TypeTextArea:
		f.VisibleLines = "3"
	case metadata.TypeMultiPicklist:
		f.VisibleLines = "4"
	case metadata.TypeNumber, metadata.TypePercent:
		f.Precision, f.Scale = "18", "0"
	case metadata.TypeCurrency:
		f.Precision, f.Scale = "16", "2"
	case metadata.TypeAutoNumber:
		f.DisplayFormat, f.StartingNumber = "{0000}", "1"
	case metadata.TypeLookup:
		f.Constraint = string(metadata.SetNull)
	case metadata.TypeFormula:
		f.ReturnType = string(metadata.TypeText)
	case metadata.TypeSummary:
		f.SumOp = "count"
	}
	return f
}

// fillChoices lists the lookup targets and the detail objects to roll up.
func (f *fieldForm) fillChoices(sch *metadata.Schema) {
	f.Targets = sch.Objects()
	sort.SliceStable(f.Targets, func(i, j int) bool { return strings.ToLower(f.Targets[i].Label) < strings.ToLower(f.Targets[j].Label) })
	f.Children, f.SumFields, f.FilterFields = nil, nil, nil
	seen := map[string]bool{}
	for _, rel := range sch.ChildRelationships(f.Object) {
		if !record.RollsUp(rel.Child, rel.Field) {
			continue
		}
		f.Children = append(f.Children, summaryChoice{Value: rel.Child.Name + "." + rel.Field.Name, Label: rel.Child.Label + " (" + rel.Field.Label + ")"})
		if seen[rel.Child.Name] {
			continue
		}
		seen[rel.Child.Name] = true
		fg := summaryGroup{Label: rel.Child.Label}
		for _, cf := range rel.Child.LiveFields() {
			switch cf.Type {
			case metadata.TypeLongTextArea, metadata.TypeHTML, metadata.TypeMultiPicklist, metadata.TypeTextArea, metadata.TypeID:
				continue
			}
			if !cf.System || cf.Name == metadata.FieldOwnerID {
				fg.Choices = append(fg.Choices, summaryChoice{Value: cf.Name, Label: cf.Label + " (" + cf.Name + ")"})
			}
		}
		if len(fg.Choices) > 0 {
			f.FilterFields = append(f.FilterFields, fg)
		}
		g := summaryGroup{Label: rel.Child.Label}
		for _, cf := range rel.Child.LiveFields() {
			switch displayType(cf) {
			case metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent, metadata.TypeDate, metadata.TypeDateTime:
				if !cf.System {
					g.Choices = append(g.Choices, summaryChoice{Value: cf.Name, Label: cf.Label + " (" + cf.Name + ")"})
				}
			}
		}
		if len(g.Choices) > 0 {
			f.SumFields = append(f.SumFields, g)
		}
	}
}

// editFieldForm is the form that edits field fd of o.
func (a *App) editFieldForm(sch *metadata.Schema, o *metadata.Object, fd *metadata.Field) *fieldForm {
	f := &fieldForm{
		Object: o, Types: fieldTypes(), Editing: true, Original: fd.Name, Standard: !fd.Custom, NameLock: fd.NameField,
		Type: fd.Type, Label: fd.Label, Name: fd.Name, Description: fd.Description, HelpText: fd.HelpText,
		Required: fd.Required, Unique: fd.Unique, CaseSensitive: fd.CaseSensitive, External: fd.ExternalID,
		TrackHistory: fd.TrackHistory, DefaultValue: fd.DefaultValue, DefaultChecked: fd.DefaultValue == "true",
		RelName: strings.TrimSuffix(fd.RelationshipName, "__r"), ChildRelName: strings.TrimSuffix(fd.ChildRelationshipName, "__r"),
		Constraint: string(fd.DeleteConstraint), Reparentable: fd.ReparentableMasterDetail,
		DisplayFormat: fd.DisplayFormat, StartingNumber: strconv.FormatInt(fd.StartingNumber, 10),
		Formula: fd.Formula, ReturnType: string(fd.ReturnType), Errors: map[string]string{},
	}
	f.fillChoices(sch)
	if fd.Length > 0 {
		f.Length = strconv.Itoa(fd.Length)
	}
	if fd.Type.IsNumeric() {
		// The form shows digits before the point and decimal places.
		f.Precision, f.Scale = strconv.Itoa(fd.Precision-fd.Scale), strconv.Itoa(fd.Scale)
	}
	if fd.VisibleLines > 0 {
		f.VisibleLines = strconv.Itoa(fd.VisibleLines)
	}
	if len(fd.ReferenceTo) > 0 {
		f.Target = fd.ReferenceTo[0]
	}
	if fd.Summary != nil {
		f.SumOp, f.SumChild, f.SumField = fd.Summary.Operation, fd.Summary.ChildObject+"."+fd.Summary.ForeignKey, fd.Summary.Field
		for _, flt := range fd.Summary.Filters {
			f.SumFilters = append(f.SumFilters, sumFilterRow{Field: flt.Field, Op: flt.Operation, Value: flt.Value})
		}
	}
	if fd.Picklist != nil {
		f.Restricted = fd.Picklist.Restricted
		for i, v := range fd.Picklist.Values {
			f.PV = append(f.PV, pvRow{Index: i, Value: v.Value, Label: v.DisplayLabel(), Active: !v.Inactive, Default: v.Default, Order: i + 1, Existing: true})
		}
	}
	return f
}

// fieldPage renders the field form: the whole page, or to htmx the form
// alone.
func (a *App) fieldPage(w http.ResponseWriter, r *http.Request, s *session, status int, f *fieldForm) {
	title := "New field · " + f.Object.Label
	if f.Editing {
		title = f.Label + " · " + f.Object.Label
	}
	if r.Method == http.MethodPost && r.Header.Get("HX-Request") == "true" {
		a.renderFragment(w, r, s, status, "setup_field", "field_form", setupView{Page: f})
		return
	}
	a.setupPage(w, r, s, status, "setup_field", title, "/setup/objects", f)
}

func (a *App) fieldNew(w http.ResponseWriter, r *http.Request, s *session) {
	sch, o, ok := a.setupSchemaObject(w, r, s)
	if !ok {
		return
	}
	t := metadata.FieldType(r.URL.Query().Get("type"))
	if t != "" && !knownType(t) {
		t = ""
	}
	a.fieldPage(w, r, s, http.StatusOK, a.newFieldForm(sch, o, t))
}

// fieldSettings answers the type picker of a field form: the settings of
// the chosen type, for htmx to swap in.
func (a *App) fieldSettings(w http.ResponseWriter, r *http.Request, s *session) {
	sch, o, ok := a.setupSchemaObject(w, r, s)
	if !ok {
		return
	}
	t := metadata.FieldType(r.URL.Query().Get("type"))
	if !knownType(t) {
		a.renderError(w, r, s, http.StatusBadRequest, "Choose a field type.")
		return
	}
	f := a.newFieldForm(sch, o, t)
	if name := r.URL.Query().Get("field"); name != "" {
		if fd := o.Field(name); fd != nil {
			f = a.editFieldForm(sch, o, fd)
			f.Type = t
			g := a.newFieldForm(sch, o, t)
			if fd.Type != t {
				f.Length, f.Precision, f.Scale, f.VisibleLines = firstNonBlank(f.Length, g.Length), firstNonBlank(f.Precision, g.Precision), firstNonBlank(f.Scale, g.Scale), firstNonBlank(f.VisibleLines, g.VisibleLines)
			}
		}
	}
	a.renderFragment(w, r, s, http.StatusOK, "setup_field", "field_settings", setupView{Page: f})
}

func firstNonBlank(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func (a *App) setupSchemaObject(w http.ResponseWriter, r *http.Request, s *session) (*metadata.Schema, *metadata.Object, bool) {
	sch, err := a.records.Schema(r.Context(), s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return nil, nil, false
	}
	o := sch.Object(r.PathValue("object"))
	if o == nil {
		a.renderError(w, r, s, http.StatusNotFound, "There is no object named "+r.PathValue("object")+".")
		return nil, nil, false
	}
	return sch, o, true
}

// readFieldForm reads the submitted form into f and returns the field
// definition, or leaves errors in f.Errors for what the page can check
// itself; the record service checks the rest.
func readFieldForm(r *http.Request, f *fieldForm) *metadata.Field {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	on := func(k string) bool { return r.PostFormValue(k) == "on" || r.PostFormValue(k) == "true" }
	if t := metadata.FieldType(v("type")); t != "" && !f.Standard && !f.NameLock {
		f.Type = t
	}
	if !knownType(f.Type) {
		f.Errors["type"] = "Choose a field type."
		return nil
	}
	f.Label, f.Description, f.HelpText = v("label"), v("description"), v("help")
	if !f.Standard {
		f.Name = v("name")
	}
	f.Length, f.Precision, f.Scale, f.VisibleLines = v("length"), v("precision"), v("scale"), v("lines")
	f.Required, f.Unique, f.CaseSensitive, f.External, f.TrackHistory = on("required"), on("unique"), on("case_sensitive"), on("external"), on("track")
	f.DefaultValue, f.DefaultChecked = v("default"), on("default_checked")
	f.Values, f.FirstDefault, f.Restricted, f.AddValues = r.PostFormValue("values"), on("first_default"), on("restricted"), r.PostFormValue("add_values")
	f.Target, f.RelName, f.ChildRelName, f.Constraint, f.Reparentable = v("target"), v("rel_name"), v("child_rel_name"), v("constraint"), on("reparentable")
	f.DisplayFormat, f.StartingNumber = v("display_format"), v("starting_number")
	f.Formula, f.ReturnType = strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("formula"), "\r\n", "\n")), v("return_type")
	f.SumOp, f.SumChild, f.SumField = v("sum_op"), v("sum_child"), v("sum_field")
	for i := 0; i < sumFilterRows; i++ {
		n := strconv.Itoa(i)
		if field := v("sum_filter_field_" + n); field != "" {
			f.SumFilters = append(f.SumFilters, sumFilterRow{Field: field, Op: v("sum_filter_op_" + n), Value: v("sum_filter_value_" + n)})
		}
	}

	if f.Label == "" {
		f.Errors["label"] = "Enter a label."
	}
	if f.Name == "" && !f.Standard {
		f.Name = customAPIName(f.Label)
	}
	if f.Name != "" && !f.Standard && !strings.HasSuffix(f.Name, "__c") {
		f.Name += "__c"
	}
	def := &metadata.Field{
		Name: f.Name, Label: f.Label, Type: f.Type, Description: f.Description, HelpText: f.HelpText,
		TrackHistory: f.TrackHistory,
	}
	num := func(key, val string, min, max int, msg string) int {
		if val == "" {
			return 0
		}
		n, err := strconv.Atoi(val)
		if err != nil || n < min || n > max {
			f.Errors[key] = msg
		}
		return n
	}
	if f.Has("required") {
		def.Required = f.Required
	}
	if f.Has("length") {
		if f.Type == metadata.TypeText {
			def.Length = num("length", f.Length, 1, 255, "Enter a length from 1 to 255.")
		} else {
			def.Length = num("length", f.Length, 256, 131072, "Enter a length from 256 to 131,072.")
		}
	}
	if f.Has("lines") {
		def.VisibleLines = num("lines", f.VisibleLines, 1, 50, "Enter a number of lines from 1 to 50.")
	}
	if f.Has("precision") {
		digits := num("precision", f.Precision, 1, 18, "Enter a length from 1 to 18 digits.")
		def.Scale = num("scale", f.Scale, 0, 18, "Enter 0 to 18 decimal places.")
		// The form asks for digits before and after the point, as Salesforce
		// does; metadata keeps the total.
		def.Precision = digits + def.Scale
		if f.Errors["precision"] == "" && f.Errors["scale"] == "" && def.Precision > 18 {
			f.Errors["scale"] = "The digits before and after the point add up to at most 18."
		}
	}
	if f.Has("unique") {
		def.Unique = f.Unique
		if f.Has("caseSensitive") {
			def.CaseSensitive = f.CaseSensitive
		}
	}
	if f.Has("external") {
		def.ExternalID = f.External
	}
	if f.Has("default") {
		def.DefaultValue = f.DefaultValue
	}
	if f.Has("checkbox") {
		def.DefaultValue = strconv.FormatBool(f.DefaultChecked)
	}
	if f.Has("picklist") {
		def.Picklist = f.picklist()
		if len(def.Picklist.Values) == 0 {
			f.Errors["values"] = "Enter at least one value, one a line."
		}
	}
	if f.Has("reference") {
		if f.Target == "" {
			f.Errors["target"] = "Choose the object this field relates to."
		} else {
			def.ReferenceTo = []string{f.Target}
		}
		def.RelationshipName, def.ChildRelationshipName = f.RelName, f.ChildRelName
		if f.Has("lookup") {
			def.DeleteConstraint = metadata.DeleteConstraint(f.Constraint)
		}
		def.ReparentableMasterDetail = f.Has("masterDetail") && f.Reparentable
	}
	if f.Has("autoNumber") {
		def.DisplayFormat = f.DisplayFormat
		if !strings.Contains(f.DisplayFormat, "{0") {
			f.Errors["display_format"] = "A display format needs a number such as {0000}."
		}
		if f.StartingNumber != "" {
			n, err := strconv.ParseInt(f.StartingNumber, 10, 64)
			if err != nil || n < 0 {
				f.Errors["starting_number"] = "Enter a whole number, 0 or more."
			}
			def.StartingNumber = n
		}
	}
	if f.Has("formula") {
		def.Formula, def.ReturnType = f.Formula, metadata.FieldType(f.ReturnType)
		if f.Formula == "" {
			f.Errors["formula"] = "Enter a formula."
		}
		if f.ReturnType == "" || !knownType(def.ReturnType) {
			f.Errors["return_type"] = "Choose the type of the formula's result."
		}
	}
	if f.Has("summary") {
		child, fk, _ := strings.Cut(f.SumChild, ".")
		def.Summary = &metadata.Summary{Operation: f.SumOp, ChildObject: child, ForeignKey: fk, Field: f.SumField}
		for _, row := range f.SumFilters {
			def.Summary.Filters = append(def.Summary.Filters, metadata.SummaryFilter{Field: row.Field, Operation: row.Op, Value: row.Value})
		}
		if f.SumChild == "" {
			f.Errors["sum_child"] = "Choose the detail object to summarize."
		}
		switch f.SumOp {
		case "count":
			def.Summary.Field = ""
		case "sum", "min", "max":
			if f.SumField == "" {
				f.Errors["sum_field"] = "Choose the field to summarize."
			}
		default:
			f.Errors["sum_op"] = "Choose COUNT, SUM, MIN or MAX."
		}
	}
	return def
}

// picklist reads the picklist values of the form: the existing values in
// their new order, labels and states, then the values added, one a line.
func (f *fieldForm) picklist() *metadata.Picklist {
	p := &metadata.Picklist{Restricted: f.Restricted}
	seen := map[string]bool{}
	for _, row := range f.PV {
		p.Values = append(p.Values, metadata.PicklistValue{Value: row.Value, Label: labelIfRenamed(row), Default: row.Default, Inactive: !row.Active})
		seen[strings.ToLower(row.Value)] = true
	}
	added := f.Values
	if f.Editing {
		added = f.AddValues
	}
	for i, line := range strings.Split(added, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		pv := metadata.PicklistValue{Value: line}
		if !f.Editing && f.FirstDefault && i == firstLine(added) {
			pv.Default = true
		}
		p.Values = append(p.Values, pv)
		seen[strings.ToLower(line)] = true
	}
	return p
}

func labelIfRenamed(row pvRow) string {
	if row.Label == "" || row.Label == row.Value {
		return ""
	}
	return row.Label
}

// firstLine is the index of the first non-blank line of s.
func firstLine(s string) int {
	for i, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) != "" {
			return i
		}
	}
	return -1
}

// readPicklistRows reads the existing values' rows of the edit form:
// pv_value_N, pv_label_N, pv_active_N, pv_order_N and pv_default = N.
func readPicklistRows(r *http.Request, f *fieldForm, old *metadata.Field) {
	if old.Picklist == nil {
		return
	}
	def := r.PostFormValue("pv_default")
	f.PV = nil
	for i, v := range old.Picklist.Values {
		k := strconv.Itoa(i)
		row := pvRow{Index: i, Value: v.Value, Label: strings.TrimSpace(r.PostFormValue("pv_label_" + k)), Existing: true, Order: i + 1}
		if _, sent := r.PostForm["pv_order_"+k]; !sent {
			// A form without the rows (a type change) keeps the values.
			row.Label, row.Active, row.Default = v.DisplayLabel(), !v.Inactive, v.Default
			f.PV = append(f.PV, row)
			continue
		}
		row.Active = r.PostFormValue("pv_active_"+k) == "on"
		row.Default = def == k
		if n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("pv_order_" + k))); err == nil {
			row.Order = n
		} else {
			f.Errors["values"] = "Enter the order of each value as a number."
		}
		if row.Label == "" {
			row.Label = v.DisplayLabel()
		}
		f.PV = append(f.PV, row)
	}
	sort.SliceStable(f.PV, func(i, j int) bool { return f.PV[i].Order < f.PV[j].Order })
	for i := range f.PV {
		f.PV[i].Order = i + 1
	}
}

func (a *App) fieldCreate(w http.ResponseWriter, r *http.Request, s *session) {
	sch, o, ok := a.setupSchemaObject(w, r, s)
	if !ok {
		return
	}
	f := a.newFieldForm(sch, o, "")
	def := readFieldForm(r, f)
	if len(f.Errors) > 0 {
		a.fieldPage(w, r, s, http.StatusUnprocessableEntity, f)
		return
	}
	created, err := a.records.CreateField(r.Context(), o.Name, def)
	if err != nil {
		a.fieldFailed(w, r, s, f, err)
		return
	}
	a.setupRedirect(w, r, objectsURL(o.Name)+"?flash="+url.QueryEscape("Created the field "+created.Label+" ("+created.Name+")."))
}

// fieldFailed shows a failed save of the field form: the service's message
// next to the input it concerns, or above the type's settings.
func (a *App) fieldFailed(w http.ResponseWriter, r *http.Request, s *session, f *fieldForm, err error) {
	var re *rapport.Error
	if !errors.As(err, &re) || re.Code == rapport.Internal {
		a.serverError(w, r, err)
		return
	}
	if re.Code == rapport.InsufficientAccess {
		a.renderError(w, r, s, http.StatusForbidden, message(err))
		return
	}
	msg := message(err)
	named := false
	for _, n := range re.Fields {
		named = named || strings.EqualFold(n, f.Name) || strings.EqualFold(n, f.Original)
	}
	switch {
	case re.Code == rapport.DuplicateDeveloperName || re.Code == rapport.InvalidField:
		f.Errors["name"] = msg
	case re.Code == rapport.InvalidFieldTypeChange:
		f.Errors["type"] = msg
	case named:
		f.Errors["settings"] = msg
	default:
		f.Error = msg
	}
	a.fieldPage(w, r, s, http.StatusUnprocessableEntity, f)
}

func (a *App) setupField(w http.ResponseWriter, r *http.Request, s *session) (*metadata.Schema, *metadata.Object, *metadata.Field, bool) {
	sch, o, ok := a.setupSchemaObject(w, r, s)
	if !ok {
		return nil, nil, nil, false
	}
	fd := o.Field(r.PathValue("field"))
	if fd == nil {
		a.renderError(w, r, s, http.StatusNotFound, o.Label+" has no field named "+r.PathValue("field")+".")
		return nil, nil, nil, false
	}
	return sch, o, fd, true
}

func (a *App) fieldEdit(w http.ResponseWriter, r *http.Request, s *session) {
	sch, o, fd, ok := a.setupField(w, r, s)
	if !ok {
		return
	}
	a.fieldPage(w, r, s, http.StatusOK, a.editFieldForm(sch, o, fd))
}

func (a *App) fieldSave(w http.ResponseWriter, r *http.Request, s *session) {
	sch, o, old, ok := a.setupField(w, r, s)
	if !ok {
		return
	}
	f := a.editFieldForm(sch, o, old)
	r.ParseForm()
	readPicklistRows(r, f, old)
	def := readFieldForm(r, f)
	if len(f.Errors) > 0 {
		a.fieldPage(w, r, s, http.StatusUnprocessableEntity, f)
		return
	}
	if f.Standard || f.NameLock {
		// Standard fields and the name field keep their type and shape;
		// only labels, help, tracking and picklist values change.
		c := old.Clone()
		c.Label, c.HelpText, c.Description, c.TrackHistory = def.Label, def.HelpText, def.Description, def.TrackHistory
		if old.Picklist != nil && def.Picklist != nil {
			c.Picklist = def.Picklist
		}
		if f.NameLock && old.Custom {
			c.Required = def.Required
		}
		def = c
	} else {
		// What the form does not show stays as it was.
		def.Compound, def.CreateOnly, def.DefaultFormula = old.Compound, old.CreateOnly, old.DefaultFormula
		if def.Picklist != nil && old.Picklist != nil {
			def.Picklist.Sorted = old.Picklist.Sorted
		}
		if def.Type == old.Type && def.Type == metadata.TypeAutoNumber && def.StartingNumber == 0 {
			def.StartingNumber = old.StartingNumber
		}
	}
	updated, err := a.records.UpdateField(r.Context(), o.Name, old.Name, def)
	if err != nil {
		a.fieldFailed(w, r, s, f, err)
		return
	}
	a.setupRedirect(w, r, objectsURL(o.Name)+"?flash="+url.QueryEscape("Saved the field "+updated.Label+"."))
}

func (a *App) fieldDelete(w http.ResponseWriter, r *http.Request, s *session) {
	_, o, fd, ok := a.setupField(w, r, s)
	if !ok {
		return
	}
	if err := a.records.DeleteField(r.Context(), o.Name, fd.Name); err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.setupRedirect(w, r, objectsURL(o.Name)+"?flash="+url.QueryEscape("Deleted the field "+fd.Label+". You can undelete it under Deleted fields until it is purged."))
}

func (a *App) fieldUndelete(w http.ResponseWriter, r *http.Request, s *session) {
	_, o, ok := a.setupSchemaObject(w, r, s)
	if !ok {
		return
	}
	name := r.PathValue("field")
	if err := a.records.UndeleteField(r.Context(), o.Name, name); err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.setupRedirect(w, r, objectsURL(o.Name)+"?flash="+url.QueryEscape("Undeleted the field "+name+" with its data."))
}

func (a *App) fieldPurge(w http.ResponseWriter, r *http.Request, s *session) {
	_, o, ok := a.setupSchemaObject(w, r, s)
	if !ok {
		return
	}
	name := r.PathValue("field")
	if err := a.records.PurgeField(r.Context(), o.Name, name); err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.setupRedirect(w, r, objectsURL(o.Name)+"?flash="+url.QueryEscape("Purged the field "+name+" and its data for good."))
}

package metadata

import "strings"

// A FieldType is the kind of a field, named as in Salesforce's Metadata API.
type FieldType string

// Field types.
const (
	TypeID            FieldType = "Id"
	TypeText          FieldType = "Text"
	TypeTextArea      FieldType = "TextArea"
	TypeLongTextArea  FieldType = "LongTextArea"
	TypeHTML          FieldType = "Html" // rich text area
	TypeEmail         FieldType = "Email"
	TypePhone         FieldType = "Phone"
	TypeURL           FieldType = "Url"
	TypeNumber        FieldType = "Number"
	TypeCurrency      FieldType = "Currency"
	TypePercent       FieldType = "Percent"
	TypeCheckbox      FieldType = "Checkbox"
	TypeDate          FieldType = "Date"
	TypeDateTime      FieldType = "DateTime"
	TypeTime          FieldType = "Time"
	TypePicklist      FieldType = "Picklist"
	TypeMultiPicklist FieldType = "MultiselectPicklist"
	TypeLookup        FieldType = "Lookup"
	TypeMasterDetail  FieldType = "MasterDetail"
	TypeAutoNumber    FieldType = "AutoNumber"
	// TypeFormula and TypeSummary are computed fields. A roll-up summary is
	// stored and kept current by the record layer; formulas come with the
	// formula language.
	TypeFormula FieldType = "Formula"
	TypeSummary FieldType = "Summary"
)

// FieldTypes lists every type a field can be created with.
var FieldTypes = []FieldType{
	TypeText, TypeTextArea, TypeLongTextArea, TypeHTML, TypeEmail, TypePhone, TypeURL,
	TypeNumber, TypeCurrency, TypePercent, TypeCheckbox, TypeDate, TypeDateTime, TypeTime,
	TypePicklist, TypeMultiPicklist, TypeLookup, TypeMasterDetail, TypeAutoNumber, TypeSummary,
}

// Storage is the portable column type a field is stored as.
type Storage int

// Storage classes. Each dialect maps them to its own SQL types.
const (
	StoreText     Storage = iota // variable-length text
	StoreDecimal                 // fixed-point number of a given precision and scale
	StoreBool                    // boolean
	StoreDate                    // calendar date
	StoreDateTime                // instant, UTC, millisecond precision
	StoreTime                    // time of day
	StoreID                      // 18-character record ID
	StoreNone                    // not stored (formula)
)

// Storage returns how values of type t are stored.
func (t FieldType) Storage() Storage {
	switch t {
	case TypeID, TypeLookup, TypeMasterDetail:
		return StoreID
	case TypeNumber, TypeCurrency, TypePercent, TypeSummary:
		return StoreDecimal
	case TypeCheckbox:
		return StoreBool
	case TypeDate:
		return StoreDate
	case TypeDateTime:
		return StoreDateTime
	case TypeTime:
		return StoreTime
	case TypeFormula:
		return StoreNone
	default:
		return StoreText
	}
}

// Storage returns how the field's values are stored: by its type, but a
// roll-up summary stores the type of its result (a date for the MIN of
// dates).
func (f *Field) Storage() Storage {
	if f.Type == TypeSummary && f.ReturnType != "" {
		return f.ReturnType.Storage()
	}
	return f.Type.Storage()
}

// IsReference reports whether t points at other records.
func (t FieldType) IsReference() bool { return t == TypeLookup || t == TypeMasterDetail }

// IsNumeric reports whether values of t are numbers.
func (t FieldType) IsNumeric() bool { return t.Storage() == StoreDecimal }

// IsText reports whether values of t are strings (text, picklists, contact
// details).
func (t FieldType) IsText() bool {
	switch t {
	case TypeText, TypeTextArea, TypeLongTextArea, TypeHTML, TypeEmail, TypePhone, TypeURL,
		TypePicklist, TypeMultiPicklist, TypeAutoNumber:
		return true
	}
	return false
}

// DeleteConstraint says what deleting a referenced record does to a lookup.
type DeleteConstraint string

// Delete constraints.
const (
	SetNull  DeleteConstraint = "SetNull"  // clear the lookup (Salesforce's default)
	Restrict DeleteConstraint = "Restrict" // refuse the delete
	Cascade  DeleteConstraint = "Cascade"  // delete the referencing records too
)

// A Field is one typed attribute of an object.
type Field struct {
	Name        string    `json:"name"` // API name: Industry, Region__c
	Label       string    `json:"label"`
	Description string    `json:"description,omitempty"`
	HelpText    string    `json:"helpText,omitempty"`
	Type        FieldType `json:"type"`
	// Column is the physical column name, stable for the field's life.
	Column string `json:"column"`

	Length    int `json:"length,omitempty"`    // text types: maximum characters
	Precision int `json:"precision,omitempty"` // numbers: total digits
	Scale     int `json:"scale,omitempty"`     // numbers: digits after the point
	// VisibleLines is a hint for text areas and multi-select picklists.
	VisibleLines int `json:"visibleLines,omitempty"`

	Required      bool `json:"required,omitempty"`
	Unique        bool `json:"unique,omitempty"`
	CaseSensitive bool `json:"caseSensitive,omitempty"` // for Unique text fields
	ExternalID    bool `json:"externalId,omitempty"`
	// DefaultValue is a literal default, in the field's API form ("true",
	// "Prospecting", "0"); DefaultFormula is a formula (later).
	DefaultValue   string `json:"defaultValue,omitempty"`
	DefaultFormula string `json:"defaultFormula,omitempty"`
	TrackHistory   bool   `json:"trackHistory,omitempty"`

	Picklist *Picklist `json:"picklist,omitempty"`

	// ReferenceTo names the objects a lookup may point at: one, or several for
	// a polymorphic lookup (OwnerId → User, Group).
	ReferenceTo []string `json:"referenceTo,omitempty"`
	// RelationshipName is the name of the parent in SOQL paths (Account,
	// Owner, Parent__r); ChildRelationshipName the name of the children on the
	// parent (Contacts, Children__r).
	RelationshipName      string           `json:"relationshipName,omitempty"`
	ChildRelationshipName string           `json:"childRelationshipName,omitempty"`
	DeleteConstraint      DeleteConstraint `json:"deleteConstraint,omitempty"`
	// ReparentableMasterDetail allows a master-detail field to be changed.
	ReparentableMasterDetail bool `json:"reparentable,omitempty"`

	// DisplayFormat and StartingNumber describe an auto-number: "CON-{00000}".
	DisplayFormat  string `json:"displayFormat,omitempty"`
	StartingNumber int64  `json:"startingNumber,omitempty"`

	// Formula and ReturnType describe a formula field (evaluated later);
	// Summary a roll-up summary field, whose ReturnType is the type of its
	// result (Number for a COUNT, the summarized field's type otherwise).
	Formula    string    `json:"formula,omitempty"`
	ReturnType FieldType `json:"returnType,omitempty"`
	Summary    *Summary  `json:"summary,omitempty"`

	// Compound names the compound field this one is part of (BillingAddress,
	// Name on Contact); CompoundKind is set on the compound field itself.
	Compound string `json:"compound,omitempty"`

	Custom bool `json:"custom,omitempty"`
	// NameField marks the object's name field.
	NameField bool `json:"nameField,omitempty"`
	// System marks fields Rapport maintains (Id, CreatedDate, …).
	System bool `json:"system,omitempty"`
	// ReadOnly marks fields no user writes: system fields, auto-numbers,
	// formulas and fields derived by Rapport (Opportunity.IsClosed).
	ReadOnly bool `json:"readOnly,omitempty"`
	// CreateOnly marks fields that can be set on insert but not changed.
	CreateOnly bool `json:"createOnly,omitempty"`
	// Deleted marks a field deleted but not yet purged: its column and data
	// remain until the purge.
	Deleted bool `json:"deleted,omitempty"`
}

// Summary describes a roll-up summary field.
type Summary struct {
	Operation   string `json:"operation"`   // count, sum, min, max
	ChildObject string `json:"childObject"` // the detail object
	Field       string `json:"field,omitempty"`
	ForeignKey  string `json:"foreignKey"` // the master-detail field on the child
	// Filters keep the details that count, all of them at once (Salesforce's
	// summaryFilterItems).
	Filters []SummaryFilter `json:"filters,omitempty"`
}

// A SummaryFilter keeps the details whose Field compares to Value by
// Operation: equals, notEqual, lessThan, greaterThan, lessOrEqual or
// greaterOrEqual. An empty Value is a blank field.
type SummaryFilter struct {
	Field     string `json:"field"`
	Operation string `json:"operation"`
	Value     string `json:"value,omitempty"`
}

// Equal reports whether two summaries compute the same thing.
func (s *Summary) Equal(o *Summary) bool {
	if s == nil || o == nil {
		return s == o
	}
	if s.Operation != o.Operation || s.ChildObject != o.ChildObject || s.Field != o.Field || s.ForeignKey != o.ForeignKey || len(s.Filters) != len(o.Filters) {
		return false
	}
	for i := range s.Filters {
		if s.Filters[i] != o.Filters[i] {
			return false
		}
	}
	return true
}

// A Picklist is the set of values a picklist or multi-select picklist takes.
type Picklist struct {
	Values []PicklistValue `json:"values"`
	// Restricted refuses values not in the list.
	Restricted bool `json:"restricted,omitempty"`
	Sorted     bool `json:"sorted,omitempty"`
}

// A PicklistValue is one value of a picklist. The optional attributes carry
// the meaning some standard picklists give their values (an opportunity stage
// is closed and won, a case status is closed, …).
type PicklistValue struct {
	Value            string `json:"value"`
	Label            string `json:"label,omitempty"`
	Default          bool   `json:"default,omitempty"`
	Inactive         bool   `json:"inactive,omitempty"`
	Closed           bool   `json:"closed,omitempty"`
	Won              bool   `json:"won,omitempty"`
	Converted        bool   `json:"converted,omitempty"`
	Probability      *int   `json:"probability,omitempty"`
	ForecastCategory string `json:"forecastCategory,omitempty"`
}

// DisplayLabel returns the value's label, or the value itself.
func (v PicklistValue) DisplayLabel() string {
	if v.Label != "" {
		return v.Label
	}
	return v.Value
}

// Lookup finds a value, matching case-insensitively as Salesforce does, and
// returns it with its canonical spelling.
func (p *Picklist) Lookup(value string) (PicklistValue, bool) {
	if p == nil {
		return PicklistValue{}, false
	}
	for _, v := range p.Values {
		if v.Value == value {
			return v, true
		}
	}
	for _, v := range p.Values {
		if strings.EqualFold(v.Value, value) {
			return v, true
		}
	}
	return PicklistValue{}, false
}

// DefaultValue returns the value marked default, if any.
func (p *Picklist) DefaultValue() (string, bool) {
	if p == nil {
		return "", false
	}
	for _, v := range p.Values {
		if v.Default && !v.Inactive {
			return v.Value, true
		}
	}
	return "", false
}

// Clone returns a deep copy of f.
func (f *Field) Clone() *Field {
	c := *f
	c.ReferenceTo = append([]string(nil), f.ReferenceTo...)
	if f.Picklist != nil {
		p := *f.Picklist
		p.Values = append([]PicklistValue(nil), f.Picklist.Values...)
		c.Picklist = &p
	}
	if f.Summary != nil {
		s := *f.Summary
		s.Filters = append([]SummaryFilter(nil), f.Summary.Filters...)
		c.Summary = &s
	}
	return &c
}

// Writable reports whether users may set the field on insert (create) or on
// update.
func (f *Field) Writable(create bool) bool {
	if f.ReadOnly || f.System || f.Deleted {
		return false
	}
	if f.Type == TypeAutoNumber || f.Type == TypeFormula || f.Type == TypeSummary {
		return false
	}
	if !create && f.CreateOnly {
		return false
	}
	if !create && f.Type == TypeMasterDetail && !f.ReparentableMasterDetail {
		return false
	}
	return true
}

// Stored reports whether the field has a column.
func (f *Field) Stored() bool { return f.Storage() != StoreNone && f.Column != "" }

// Polymorphic reports whether a lookup may point at several objects.
func (f *Field) Polymorphic() bool { return len(f.ReferenceTo) > 1 }

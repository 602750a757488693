package query

import (
	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// A Result is one page of a query's rows, shaped as Salesforce returns
// them: records with nested parents and child results.
type Result struct {
	// TotalSize is the number of rows the whole query returns (for COUNT()
	// queries, the count).
	TotalSize int
	// Done is false while more pages remain; Locator then names the next.
	Done    bool
	Locator string
	Records []*Record
}

// A Record is one row: a record of Type, or an AggregateResult.
type Record struct {
	// Type is the object API name, or "AggregateResult".
	Type string
	// ID is the record's ID; empty for aggregate rows and for records
	// whose Id was not selected and is unknown.
	ID rapport.ID
	// Fields are the selected items in SELECT order, with canonical
	// API-name casing.
	Fields []Value
}

// A Value is one selected item of a record.
type Value struct {
	// Name is the key Salesforce uses: the field's API name, the parent
	// relationship name (Account), the child relationship name (Contacts),
	// or an aggregate's alias (expr0, or the alias given).
	Name string
	// Field is the field the value comes from, when it is one (nil for
	// aggregates without a field, relationships and subqueries).
	Field *metadata.Field
	// Value is a canonical value (see package record: string, float64,
	// bool, time.Time, rapport.ID, nil), int64 for counts, a *Record for
	// a parent (nil when the lookup is empty) or a *Result for a child
	// subquery (nil when there are no children).
	Value any
}

// Get returns the value named name, if the record has it.
func (r *Record) Get(name string) (any, bool) {
	for _, v := range r.Fields {
		if v.Name == name {
			return v.Value, true
		}
	}
	return nil, false
}

// A Column describes a selected item for Salesforce's columnMetadata (the
// sf CLI reads it to lay out its table).
type Column struct {
	Name        string // columnName
	DisplayName string
	Aggregate   bool
	ForeignKey  string // for a parent relationship, its lookup field (OwnerId)
	Type        string // apexType: String, Boolean, Double, Date, Datetime, Id …
	Custom      bool
	Insertable  bool
	Updatable   bool
	Numeric     bool
	Boolean     bool
	Text        bool
	Join        []Column // parent fields or child columns
}

// Package metadata describes an org's objects and fields: their API names,
// labels, types and attributes, and the physical table and column each one is
// stored in.
//
// API names are what users, SOQL and the Salesforce APIs see; they are matched
// case-insensitively and may be renamed at will. Physical names (Object.Table,
// Field.Column) are stable surrogates chosen when the object or field is
// created: SQL text is built from them alone, so a rename is a metadata change
// and user text never reaches SQL.
//
// The standard objects that ship with Rapport are defined in standard.go and
// friends; they are installed into each new org through the same path as
// custom objects.
package metadata

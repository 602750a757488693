// Package record is Rapport's write path and record reader: every create,
// update, upsert, delete, undelete and schema change goes through a
// [Service], which checks and coerces values against metadata, applies
// defaults and derived fields, keeps field history and the recycle bin, and
// commits each batch in one transaction of the org's [Store].
//
// Values in and out of the service are plain Go values:
//
//	Text, TextArea, Email, Phone, Url, Picklist, AutoNumber  string
//	MultiselectPicklist                                      string, "A;B;C"
//	Number, Currency, Percent                                float64
//	Checkbox                                                 bool
//	Date                                                     string, "2006-01-02"
//	DateTime                                                 time.Time, UTC, millisecond precision
//	Time                                                     string, "15:04:05.000"
//	Id, Lookup, MasterDetail                                 rapport.ID
//
// and nil for null. Input is coerced to these from what JSON clients send
// (strings for numbers, dates and booleans included, as Salesforce accepts).
package record

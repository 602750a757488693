package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

func (e *Env) schema() *metadata.Schema {
	e.T.Helper()
	sch, err := e.Records.Schema(e.Ctx, e.Org.OrgID)
	if err != nil {
		e.T.Fatal(err)
	}
	return sch
}

func testCustomObjectLifecycle(t *testing.T, s Store) {
	e := NewEnv(t, s)
	obj := e.customObject()
	if obj.KeyPrefix != "a00" || !obj.Custom || obj.Field("OwnerId") == nil || obj.Field("Name").Length != 80 {
		t.Fatalf("Widget__c = prefix %s custom %v", obj.KeyPrefix, obj.Custom)
	}
	acct := e.create("Account", map[string]any{"Name": "Apple"})
	w := e.create("Widget__c", map[string]any{"Name": "iPhone", "Qty__c": 3, "Account__c": string(acct), "Sizes__c": "M"})
	if w.Prefix() != "a00" {
		t.Errorf("widget id %s", w)
	}
	// The child relationship is visible from the parent.
	if rel, ok := e.schema().ChildRelationship(e.schema().Object("Account"), "Widgets__r"); !ok || rel.Child.Name != "Widget__c" {
		t.Errorf("Account.Widgets__r = %v %v", rel, ok)
	}
	// Rename object and field: metadata only, data stays.
	if _, err := e.Records.UpdateObject(e.Ctx, "Widget__c", &metadata.Object{Name: "Gadget__c", Label: "Gadget", PluralLabel: "Gadgets"}); err != nil {
		t.Fatalf("rename object: %v", err)
	}
	if _, err := e.Records.UpdateField(e.Ctx, "Gadget__c", "Qty__c", &metadata.Field{Name: "Quantity__c", Label: "Quantity", Type: metadata.TypeNumber, Precision: 6}); err != nil {
		t.Fatalf("rename field: %v", err)
	}
	got := e.get("Gadget__c", w).Values
	if got["Quantity__c"] != 3.0 || got["Name"] != "iPhone" {
		t.Errorf("after renames: %v", got)
	}
	if e.schema().Object("Widget__c") != nil || e.schema().Object("Gadget__c").Table != obj.Table {
		t.Errorf("rename changed the table or kept the old name")
	}
	if rel, ok := e.schema().ChildRelationship(e.schema().Object("Account"), "Widgets__r"); !ok || rel.Child.Name != "Gadget__c" {
		t.Errorf("relationship after rename = %v %v", rel, ok)
	}
	e.update("Gadget__c", map[string]any{"Id": string(w), "Quantity__c": 4})

	// Delete a field: gone from metadata, data kept until purge.
	if err := e.Records.DeleteField(e.Ctx, "Gadget__c", "Quantity__c"); err != nil {
		t.Fatal(err)
	}
	e.createErr("Gadget__c", map[string]any{"Name": "x", "Quantity__c": 1}, rapport.InvalidField)
	if _, err := e.Records.CreateField(e.Ctx, "Gadget__c", &metadata.Field{Name: "Quantity__c", Type: metadata.TypeText}); code(err) != rapport.DuplicateDeveloperName {
		t.Errorf("re-creating a deleted field's name = %v, want DUPLICATE_DEVELOPER_NAME until purged", err)
	}
	if err := e.Records.UndeleteField(e.Ctx, "Gadget__c", "Quantity__c"); err != nil {
		t.Fatal(err)
	}
	if got := e.get("Gadget__c", w).Values; got["Quantity__c"] != 4.0 {
		t.Errorf("undeleted field value = %v, want 4", got["Quantity__c"])
	}
	if err := e.Records.PurgeField(e.Ctx, "Gadget__c", "Quantity__c"); code(err) != rapport.InvalidArgument {
		t.Errorf("purge of a live field = %v", err)
	}
	e.Records.DeleteField(e.Ctx, "Gadget__c", "Quantity__c")
	if err := e.Records.PurgeField(e.Ctx, "Gadget__c", "Quantity__c"); err != nil {
		t.Fatalf("PurgeField: %v", err)
	}
	if f, err := e.Records.CreateField(e.Ctx, "Gadget__c", &metadata.Field{Name: "Quantity__c", Type: metadata.TypeText, Length: 10}); err != nil {
		t.Fatalf("re-create purged field: %v", err)
	} else if e.get("Gadget__c", w).Values["Quantity__c"] != nil {
		t.Errorf("a new field with a purged field's name shows its data (column %s)", f.Column)
	}

	// Standard fields and objects cannot be deleted or renamed.
	if err := e.Records.DeleteField(e.Ctx, "Account", "Industry"); code(err) != rapport.DeleteFailed {
		t.Errorf("delete standard field = %v", err)
	}
	if err := e.Records.DeleteObject(e.Ctx, "Account"); code(err) != rapport.DeleteFailed {
		t.Errorf("delete standard object = %v", err)
	}
	// An object others look up to cannot be deleted until they stop.
	if err := e.Records.DeleteObject(e.Ctx, "Gadget__c"); err != nil {
		t.Fatalf("DeleteObject: %v", err)
	}
	if _, err := e.Records.Get(e.Ctx, "Gadget__c", []string{string(w)}, nil, false); code(err) != rapport.InvalidType {
		t.Errorf("Get on a deleted object = %v, want INVALID_TYPE", err)
	}
	if err := e.Records.UndeleteObject(e.Ctx, "Gadget__c"); err != nil {
		t.Fatal(err)
	}
	if e.get("Gadget__c", w).Values["Name"] != "iPhone" {
		t.Errorf("undeleted object lost its record")
	}
	e.Records.DeleteObject(e.Ctx, "Gadget__c")
	if err := e.Records.PurgeObject(e.Ctx, "Gadget__c"); err != nil {
		t.Fatalf("PurgeObject: %v", err)
	}
	// Key prefixes are never reused.
	o2, err := e.Records.CreateObject(e.Ctx, &metadata.Object{Name: "Widget__c"})
	if err != nil {
		t.Fatal(err)
	}
	if o2.KeyPrefix != "a01" || o2.Table == obj.Table {
		t.Errorf("after purge: prefix %s table %s, want a01 and a new table", o2.KeyPrefix, o2.Table)
	}
	if e.count("Widget__c") != 0 {
		t.Errorf("new object sees old records")
	}
	// An auto-number name field.
	o3, err := e.Records.CreateObject(e.Ctx, &metadata.Object{Name: "Ticket__c", Fields: []*metadata.Field{
		{Name: "Name", NameField: true, Type: metadata.TypeAutoNumber, DisplayFormat: "T-{000}"}}})
	if err != nil {
		t.Fatal(err)
	}
	tk := e.create(o3.Name, map[string]any{})
	if got := e.get("Ticket__c", tk).Values["Name"]; got != "T-001" {
		t.Errorf("auto-number name = %v", got)
	}
}

func testFieldTypes(t *testing.T, s Store) {
	e := NewEnv(t, s)
	e.customObject()
	shipped := time.Date(2026, 11, 29, 13, 45, 30, 250e6, time.UTC)
	w := e.create("Widget__c", map[string]any{
		"Name": "Full", "Code__c": "F-1", "Notes__c": "line one\nline two", "Spec__c": strings.Repeat("é", 1000),
		"Body__c": "<p>Hello</p>", "Contact_Email__c": "a@b.example", "Hotline__c": "+1 415 555 0100", "Site__c": "example.com/x",
		"Qty__c": -12, "Price__c": 1234.5, "Discount__c": 12.345, "Active__c": true, "Launch__c": "2026-12-01",
		"Shipped__c": shipped, "Opens__c": "08:15:00Z", "Color__c": "Blue", "Sizes__c": "M;S",
	})
	got := e.get("Widget__c", w).Values
	want := map[string]any{
		"Code__c": "F-1", "Notes__c": "line one\nline two", "Spec__c": strings.Repeat("é", 1000), "Body__c": "<p>Hello</p>",
		"Contact_Email__c": "a@b.example", "Hotline__c": "+1 415 555 0100", "Site__c": "example.com/x", "Qty__c": -12.0,
		"Price__c": 1234.5, "Discount__c": 12.35, "Active__c": true, "Launch__c": "2026-12-01", "Opens__c": "08:15:00.000",
		"Color__c": "Blue", "Sizes__c": "S;M", "Serial__c": "W-0007",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	if ts, _ := got["Shipped__c"].(time.Time); !ts.Equal(shipped) {
		t.Errorf("Shipped__c = %v, want %v", got["Shipped__c"], shipped)
	}
	// Defaults: checkbox default true, picklist default Green.
	d := e.get("Widget__c", e.create("Widget__c", map[string]any{"Name": "Defaults"})).Values
	if d["Active__c"] != true || d["Color__c"] != "Green" || d["Serial__c"] != "W-0008" || d["Qty__c"] != nil {
		t.Errorf("defaults = %v", d)
	}
	// Clearing a checkbox stores false, not null.
	e.update("Widget__c", map[string]any{"Id": string(w), "Active__c": nil, "Sizes__c": ""})
	got = e.get("Widget__c", w).Values
	if got["Active__c"] != false || got["Sizes__c"] != nil {
		t.Errorf("cleared: Active__c=%v Sizes__c=%v", got["Active__c"], got["Sizes__c"])
	}
	// Unrestricted picklists take new values.
	a := e.create("Account", map[string]any{"Name": "A", "Industry": "Space Tourism"})
	if e.get("Account", a).Values["Industry"] != "Space Tourism" {
		t.Errorf("unrestricted picklist lost its value")
	}
}

func testBadSchema(t *testing.T, s Store) {
	e := NewEnv(t, s)
	e.customObject()
	before := e.schema().Version
	objs := []struct {
		name string
		def  *metadata.Object
		code rapport.Code
	}{
		{"no __c", &metadata.Object{Name: "Widget"}, rapport.InvalidField},
		{"bad characters", &metadata.Object{Name: "My Widget__c"}, rapport.InvalidField},
		{"double underscore", &metadata.Object{Name: "My__Widget__c"}, rapport.InvalidField},
		{"taken", &metadata.Object{Name: "widget__c"}, rapport.DuplicateDeveloperName},
		{"bad field inside", &metadata.Object{Name: "Other__c", Fields: []*metadata.Field{{Name: "X", Type: metadata.TypeText}}}, rapport.InvalidField},
	}
	for _, tc := range objs {
		if _, err := e.Records.CreateObject(e.Ctx, tc.def); code(err) != tc.code {
			t.Errorf("CreateObject(%s) = %v, want %s", tc.name, err, tc.code)
		}
	}
	if e.schema().Object("Other__c") != nil {
		t.Errorf("a failed CreateObject left an object")
	}
	fields := []struct {
		name string
		def  *metadata.Field
		code rapport.Code
	}{
		{"no __c", &metadata.Field{Name: "Region", Type: metadata.TypeText}, rapport.InvalidField},
		{"standard name", &metadata.Field{Name: "Name", Type: metadata.TypeText}, rapport.InvalidField},
		{"taken", &metadata.Field{Name: "code__c", Type: metadata.TypeText}, rapport.DuplicateDeveloperName},
		{"unknown type", &metadata.Field{Name: "A__c", Type: "Hologram"}, rapport.InvalidArgument},
		{"text too long", &metadata.Field{Name: "A__c", Type: metadata.TypeText, Length: 300}, rapport.InvalidArgument},
		{"precision", &metadata.Field{Name: "A__c", Type: metadata.TypeNumber, Precision: 19}, rapport.InvalidArgument},
		{"scale over precision", &metadata.Field{Name: "A__c", Type: metadata.TypeNumber, Precision: 4, Scale: 5}, rapport.InvalidArgument},
		{"empty picklist", &metadata.Field{Name: "A__c", Type: metadata.TypePicklist}, rapport.InvalidArgument},
		{"duplicate picklist value", &metadata.Field{Name: "A__c", Type: metadata.TypePicklist, Picklist: &metadata.Picklist{Values: []metadata.PicklistValue{{Value: "a"}, {Value: "A"}}}}, rapport.InvalidArgument},
		{"lookup to nothing", &metadata.Field{Name: "A__c", Type: metadata.TypeLookup, ReferenceTo: []string{"Nothing__c"}}, rapport.InvalidArgument},
		{"polymorphic custom lookup", &metadata.Field{Name: "A__c", Type: metadata.TypeLookup, ReferenceTo: []string{"Account", "Contact"}}, rapport.InvalidArgument},
		{"child relationship taken", &metadata.Field{Name: "A__c", Type: metadata.TypeLookup, ReferenceTo: []string{"Account"}, ChildRelationshipName: "Widgets"}, rapport.InvalidArgument},
		{"required lookup that clears", &metadata.Field{Name: "A__c", Type: metadata.TypeLookup, ReferenceTo: []string{"Account"}, Required: true, ChildRelationshipName: "As"}, rapport.InvalidArgument},
		{"master-detail on an object with records", &metadata.Field{Name: "A__c", Type: metadata.TypeMasterDetail, ReferenceTo: []string{"Account"}, ChildRelationshipName: "As"}, rapport.InvalidArgument},
		{"unique checkbox", &metadata.Field{Name: "A__c", Type: metadata.TypeCheckbox, Unique: true}, rapport.InvalidArgument},
		{"bad default", &metadata.Field{Name: "A__c", Type: metadata.TypeNumber, DefaultValue: "lots"}, rapport.InvalidArgument},
		{"auto-number without number", &metadata.Field{Name: "A__c", Type: metadata.TypeAutoNumber, DisplayFormat: "X"}, rapport.InvalidArgument},
		{"formula (not yet)", &metadata.Field{Name: "A__c", Type: metadata.TypeFormula, Formula: "1"}, rapport.InvalidArgument},
	}
	e.create("Widget__c", map[string]any{"Name": "existing"})
	for _, tc := range fields {
		if _, err := e.Records.CreateField(e.Ctx, "Widget__c", tc.def); code(err) != tc.code {
			t.Errorf("CreateField(%s) = %v, want %s", tc.name, err, tc.code)
		}
	}
	if _, err := e.Records.CreateField(e.Ctx, "Nothing__c", &metadata.Field{Name: "A__c", Type: metadata.TypeText}); code(err) != rapport.InvalidType {
		t.Errorf("CreateField on unknown object = %v", err)
	}
	if e.schema().Object("Widget__c").AnyField("A__c") != nil || e.schema().Version != before {
		t.Errorf("failed schema changes changed the schema (version %d → %d)", before, e.schema().Version)
	}
	// Making a field unique when values repeat fails and changes nothing.
	e.create("Widget__c", map[string]any{"Name": "existing"})
	if _, err := e.Records.UpdateField(e.Ctx, "Widget__c", "Name", &metadata.Field{Label: "Widget Name"}); err != nil {
		t.Errorf("relabel name field: %v", err)
	}
	if _, err := e.Records.CreateField(e.Ctx, "Widget__c", &metadata.Field{Name: "Tag__c", Type: metadata.TypeText, Length: 10}); err != nil {
		t.Fatal(err)
	}
	e.create("Widget__c", map[string]any{"Name": "t1", "Tag__c": "same"})
	e.create("Widget__c", map[string]any{"Name": "t2", "Tag__c": "SAME"})
	if _, err := e.Records.UpdateField(e.Ctx, "Widget__c", "Tag__c", &metadata.Field{Type: metadata.TypeText, Length: 10, Unique: true}); code(err) != rapport.DuplicateValue {
		t.Errorf("make repeated values unique = %v, want DUPLICATE_VALUE", err)
	}
	if e.schema().Object("Widget__c").Field("Tag__c").Unique {
		t.Errorf("failed unique change was kept")
	}
}

func testTypeChanges(t *testing.T, s Store) {
	e := NewEnv(t, s)
	e.customObject()
	w := e.create("Widget__c", map[string]any{"Name": "w", "Code__c": "ABCDEFGHIJ", "Qty__c": 12, "Price__c": 9.5, "Active__c": true, "Notes__c": "n"})
	change := func(field string, def *metadata.Field) error {
		_, err := e.Records.UpdateField(e.Ctx, "Widget__c", field, def)
		return err
	}
	if err := change("Code__c", &metadata.Field{Type: metadata.TypeText, Length: 5, Unique: true, ExternalID: true}); code(err) != rapport.InvalidFieldTypeChange {
		t.Errorf("shrink text below data = %v", err)
	}
	if err := change("Code__c", &metadata.Field{Type: metadata.TypeText, Length: 10, Unique: true, ExternalID: true}); err != nil {
		t.Errorf("shrink text to fit = %v", err)
	}
	if err := change("Notes__c", &metadata.Field{Type: metadata.TypeLongTextArea, Length: 5000}); err != nil {
		t.Errorf("text area to long text = %v", err)
	}
	if err := change("Qty__c", &metadata.Field{Type: metadata.TypeText, Length: 10}); err != nil {
		t.Fatalf("number to text = %v", err)
	}
	if got := e.get("Widget__c", w).Values["Qty__c"]; got != "12" {
		t.Errorf("number to text: %#v, want \"12\"", got)
	}
	e.update("Widget__c", map[string]any{"Id": string(w), "Qty__c": "twelve"})
	if err := change("Qty__c", &metadata.Field{Type: metadata.TypeNumber, Precision: 6}); code(err) != rapport.InvalidFieldTypeChange {
		t.Errorf("text with words to number = %v", err)
	}
	e.update("Widget__c", map[string]any{"Id": string(w), "Qty__c": "13"})
	if err := change("Qty__c", &metadata.Field{Type: metadata.TypeNumber, Precision: 6}); err != nil {
		t.Fatalf("numeric text to number = %v", err)
	}
	if got := e.get("Widget__c", w).Values["Qty__c"]; got != 13.0 {
		t.Errorf("text to number: %#v", got)
	}
	if err := change("Price__c", &metadata.Field{Type: metadata.TypeCurrency, Precision: 10, Scale: 0}); code(err) != rapport.InvalidFieldTypeChange {
		t.Errorf("drop a scale that data uses = %v", err)
	}
	if err := change("Price__c", &metadata.Field{Type: metadata.TypeNumber, Precision: 12, Scale: 2}); err != nil {
		t.Errorf("currency to number = %v", err)
	}
	if err := change("Active__c", &metadata.Field{Type: metadata.TypeText, Length: 10}); err != nil {
		t.Errorf("checkbox to text = %v", err)
	}
	if got := e.get("Widget__c", w).Values["Active__c"]; got != "true" {
		t.Errorf("checkbox to text: %#v", got)
	}
	if err := change("Launch__c", &metadata.Field{Type: metadata.TypeCheckbox}); code(err) != rapport.InvalidFieldTypeChange {
		t.Errorf("date to checkbox = %v", err)
	}
	if err := change("Account__c", &metadata.Field{Type: metadata.TypeText, Length: 18}); code(err) != rapport.InvalidFieldTypeChange {
		t.Errorf("lookup to text = %v", err)
	}
	if err := change("Color__c", &metadata.Field{Type: metadata.TypeMultiPicklist, Picklist: &metadata.Picklist{Values: []metadata.PicklistValue{{Value: "Red"}, {Value: "Green"}, {Value: "Blue"}}}}); err != nil {
		t.Errorf("picklist to multi-select = %v", err)
	}
	if got := e.get("Widget__c", w).Values; got["Code__c"] != "ABCDEFGHIJ" || got["Name"] != "w" {
		t.Errorf("type changes disturbed other values: %v", got)
	}
}

func testAutoNumber(t *testing.T, s Store) {
	e := NewEnv(t, s)
	e.customObject()
	var batch []map[string]any
	for i := 0; i < 3; i++ {
		batch = append(batch, map[string]any{"Name": "w"})
	}
	rs, err := e.Records.Create(e.Ctx, "Widget__c", batch, record.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if got, want := e.get("Widget__c", r.ID).Values["Serial__c"], []string{"W-0007", "W-0008", "W-0009"}[i]; got != want {
			t.Errorf("Serial__c[%d] = %v, want %s", i, got, want)
		}
	}
	// Numbers are not reused after a failed batch or a delete.
	e.createErr("Widget__c", map[string]any{"Code__c": "no name"}, rapport.RequiredFieldMissing)
	e.del(rs[2].ID)
	if got := e.get("Widget__c", e.create("Widget__c", map[string]any{"Name": "w"})).Values["Serial__c"]; got != "W-0010" {
		t.Errorf("next Serial__c = %v, want W-0010", got)
	}
	c := e.create("Case", map[string]any{"Subject": "Broken badge printer"})
	c2 := e.create("Case", map[string]any{"Subject": "Wi-Fi down in Moscone West"})
	n1, n2 := e.get("Case", c).Values["CaseNumber"], e.get("Case", c2).Values["CaseNumber"]
	if n1 != "00000001" || n2 != "00000002" {
		t.Errorf("CaseNumbers = %v, %v", n1, n2)
	}
}

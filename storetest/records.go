package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
)

func testCRUD(t *testing.T, s Store) {
	e := NewEnv(t, s)
	acct := e.create("Account", map[string]any{
		"name": "Salesforce", "Industry": "Technology", "NumberOfEmployees": "70000", "AnnualRevenue": 31352000000.0,
		"Website": "https://www.salesforce.com", "BillingCity": "San Francisco",
	})
	if acct.Prefix() != "001" || len(acct) != 18 {
		t.Fatalf("account id %s: want 18-character 001…", acct)
	}
	got := e.get("Account", acct)
	want := map[string]any{"Name": "Salesforce", "Industry": "Technology", "NumberOfEmployees": 70000.0, "AnnualRevenue": 31352000000.0,
		"BillingCity": "San Francisco", "OwnerId": e.Org.UserID, "CreatedById": e.Org.UserID, "IsDeleted": false, "Id": acct}
	for k, v := range want {
		if got.Values[k] != v {
			t.Errorf("Account.%s = %#v, want %#v", k, got.Values[k], v)
		}
	}
	created, _ := got.Values["CreatedDate"].(time.Time)
	if time.Since(created) > time.Minute || created.Location() != time.UTC {
		t.Errorf("CreatedDate = %v", got.Values["CreatedDate"])
	}

	c := e.create("Contact", map[string]any{"FirstName": "Marc", "LastName": "Benioff", "Email": "marc@salesforce.example",
		"AccountId": string(acct), "Birthdate": "1964-09-25"})
	con := e.get("Contact", c)
	if con.Values["Name"] != "Marc Benioff" || con.Values["AccountId"] != acct || con.Values["Birthdate"] != "1964-09-25" {
		t.Errorf("Contact = %v", con.Values)
	}

	time.Sleep(5 * time.Millisecond)
	e.update("Account", map[string]any{"Id": string(acct), "Industry": "Communications", "NumberOfEmployees": nil})
	got = e.get("Account", acct)
	if got.Values["Industry"] != "Communications" || got.Values["NumberOfEmployees"] != nil || got.Values["Name"] != "Salesforce" {
		t.Errorf("after update: %v", got.Values)
	}
	if lm, _ := got.Values["LastModifiedDate"].(time.Time); !lm.After(created) {
		t.Errorf("LastModifiedDate %v not after CreatedDate %v", lm, created)
	}

	// Selected fields only.
	recs, err := e.Records.Get(e.Ctx, "account", []string{string(acct)}, []string{"name", "Industry"}, false)
	if err != nil || recs[0] == nil || len(recs[0].Values) != 4 || recs[0].Values["Name"] != "Salesforce" {
		t.Errorf("Get(fields) = %v, %v", recs, err)
	}
	if _, err := e.Records.Get(e.Ctx, "Account", []string{string(acct)}, []string{"Nope"}, false); code(err) != rapport.InvalidField {
		t.Errorf("Get(unknown field) = %v, want INVALID_FIELD", err)
	}

	// Delete to the recycle bin, then undelete.
	rs := e.del(acct)
	if rs[0].Err != nil {
		t.Fatalf("Delete: %v", rs[0].Err)
	}
	if recs, _ := e.Records.Get(e.Ctx, "Account", []string{string(acct)}, nil, false); recs[0] != nil {
		t.Errorf("deleted account still visible")
	}
	if got := e.get("Account", acct); got.Values["IsDeleted"] != true {
		t.Errorf("deleted account IsDeleted = %v", got.Values["IsDeleted"])
	}
	// Salesforce deletes an account's contacts with it.
	if got := e.get("Contact", c); got.Values["IsDeleted"] != true {
		t.Errorf("contact of deleted account: IsDeleted = %v", got.Values["IsDeleted"])
	}
	bin, err := e.Records.RecycleBin(e.Ctx)
	if err != nil || len(bin) != 1 || bin[0].ID != acct || bin[0].Name != "Salesforce" {
		t.Errorf("RecycleBin = %+v, %v", bin, err)
	}
	e.updateErr("Account", map[string]any{"Id": string(acct), "Name": "x"}, rapport.EntityIsDeleted)
	if rs := e.del(acct); code(rs[0].Err) != rapport.EntityIsDeleted {
		t.Errorf("second Delete = %v, want ENTITY_IS_DELETED", rs[0].Err)
	}
	if rs := e.undel(c); code(rs[0].Err) != rapport.UndeleteFailed {
		t.Errorf("Undelete(cascaded child) = %v, want UNDELETE_FAILED", rs[0].Err)
	}
	if rs := e.undel(acct); rs[0].Err != nil {
		t.Fatalf("Undelete: %v", rs[0].Err)
	}
	if e.get("Account", acct).Values["IsDeleted"] != false || e.get("Contact", c).Values["IsDeleted"] != false {
		t.Errorf("undelete did not restore the account and its contact")
	}
	if bin, _ := e.Records.RecycleBin(e.Ctx); len(bin) != 0 {
		t.Errorf("RecycleBin after undelete = %+v", bin)
	}
	if rs := e.undel(acct); code(rs[0].Err) != rapport.UndeleteFailed {
		t.Errorf("Undelete(live) = %v, want UNDELETE_FAILED", rs[0].Err)
	}
}

func testIDs(t *testing.T, s Store) {
	e := NewEnv(t, s)
	id := e.create("Account", map[string]any{"Name": "Google"})
	short := id.Short()
	recs, err := e.Records.Get(e.Ctx, "Account", []string{short, strings.ToLower(string(id)), strings.ToUpper(string(id))}, []string{"Name"}, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		if r == nil || r.ID != id {
			t.Errorf("Get by form %d = %v, want %s", i, r, id)
		}
	}
	e.update("Account", map[string]any{"id": short, "Name": "Alphabet"})
	if e.get("Account", id).Values["Name"] != "Alphabet" {
		t.Errorf("update by 15-character ID did not apply")
	}
	if _, err := e.Records.Get(e.Ctx, "Account", []string{"001xyz"}, nil, false); code(err) != rapport.MalformedID {
		t.Errorf("Get(malformed) = %v, want MALFORMED_ID", err)
	}
	c := e.create("Contact", map[string]any{"LastName": "Ryan"})
	if _, err := e.Records.Get(e.Ctx, "Account", []string{string(c)}, nil, false); code(err) != rapport.MalformedID {
		t.Errorf("Get(Account, contact id) = %v, want MALFORMED_ID", err)
	}
	e.updateErr("Account", map[string]any{"Id": string(c), "Name": "x"}, rapport.MalformedID)
	missing := rapport.NewIDGenerator(nil).New("001")
	e.updateErr("Account", map[string]any{"Id": string(missing), "Name": "x"}, rapport.NotFound)
	if recs, _ := e.Records.Get(e.Ctx, "Account", []string{string(missing)}, nil, false); recs[0] != nil {
		t.Errorf("Get(missing) = %v, want nil", recs[0])
	}
}

func testBadValues(t *testing.T, s Store) {
	e := NewEnv(t, s)
	e.customObject()
	acct := e.create("Account", map[string]any{"Name": "Apple"})
	contact := e.create("Contact", map[string]any{"LastName": "Cook"})
	gone := e.create("Account", map[string]any{"Name": "Gone"})
	e.del(gone)
	before := e.count("Widget__c")
	cases := []struct {
		name   string
		values map[string]any
		code   rapport.Code
		field  string
	}{
		{"unknown field", map[string]any{"Name": "w", "Nope__c": 1}, rapport.InvalidField, "Nope__c"},
		{"too long", map[string]any{"Name": "w", "Code__c": strings.Repeat("x", 21)}, rapport.StringTooLong, "Code__c"},
		{"name too long", map[string]any{"Name": strings.Repeat("n", 81)}, rapport.StringTooLong, "Name"},
		{"required missing", map[string]any{"Code__c": "A"}, rapport.RequiredFieldMissing, "Name"},
		{"required blank", map[string]any{"Name": "  "}, rapport.RequiredFieldMissing, "Name"},
		{"bad email", map[string]any{"Name": "w", "Contact_Email__c": "not an email"}, rapport.InvalidEmailAddress, "Contact_Email__c"},
		{"restricted picklist", map[string]any{"Name": "w", "Color__c": "Purple"}, rapport.InvalidOrNullForRestrictedPick, "Color__c"},
		{"not a number", map[string]any{"Name": "w", "Qty__c": "many"}, rapport.InvalidTypeOnFieldInRecord, "Qty__c"},
		{"number too big", map[string]any{"Name": "w", "Qty__c": 1234567}, rapport.NumberOutsideValidRange, "Qty__c"},
		{"currency too big", map[string]any{"Name": "w", "Price__c": "123456789"}, rapport.NumberOutsideValidRange, "Price__c"},
		{"not a boolean", map[string]any{"Name": "w", "Active__c": "maybe"}, rapport.InvalidTypeOnFieldInRecord, "Active__c"},
		{"not a date", map[string]any{"Name": "w", "Launch__c": "31/12/2024"}, rapport.InvalidTypeOnFieldInRecord, "Launch__c"},
		{"not a datetime", map[string]any{"Name": "w", "Shipped__c": "yesterday"}, rapport.InvalidTypeOnFieldInRecord, "Shipped__c"},
		{"not a time", map[string]any{"Name": "w", "Opens__c": "25:99"}, rapport.InvalidTypeOnFieldInRecord, "Opens__c"},
		{"malformed id", map[string]any{"Name": "w", "Account__c": "001-bad"}, rapport.MalformedID, "Account__c"},
		{"wrong object id", map[string]any{"Name": "w", "Account__c": string(contact)}, rapport.MalformedID, "Account__c"},
		{"missing record", map[string]any{"Name": "w", "Account__c": string(rapport.NewIDGenerator(nil).New("001"))}, rapport.InvalidCrossReferenceKey, "Account__c"},
		{"deleted record", map[string]any{"Name": "w", "Account__c": string(gone)}, rapport.EntityIsDeleted, "Account__c"},
		{"read-only field", map[string]any{"Name": "w", "CreatedDate": "2020-01-01T00:00:00Z"}, rapport.InvalidFieldForInsertUpdate, "CreatedDate"},
		{"auto-number", map[string]any{"Name": "w", "Serial__c": "W-1"}, rapport.InvalidFieldForInsertUpdate, "Serial__c"},
		{"wrong JSON type", map[string]any{"Name": map[string]any{"x": 1}}, rapport.InvalidTypeOnFieldInRecord, "Name"},
		{"owner not a user", map[string]any{"Name": "w", "OwnerId": string(acct)}, rapport.MalformedID, "OwnerId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := *e
			e.T = t
			err := e.createErr("Widget__c", tc.values, tc.code)
			if len(err.Fields) == 0 || err.Fields[0] != tc.field {
				t.Errorf("error %v names fields %v, want %s", err, err.Fields, tc.field)
			}
			if err.Message == "" {
				t.Errorf("error %v has no message", err)
			}
		})
	}
	if n := e.count("Widget__c"); n != before {
		t.Errorf("%d widgets after failed creates, want %d", n, before)
	}
	if _, err := e.Records.Create(e.Ctx, "Gadget__c", []map[string]any{{"Name": "x"}}, record.WriteOptions{}); code(err) != rapport.InvalidType {
		t.Errorf("Create(unknown object) = %v, want INVALID_TYPE", err)
	}
	// Salesforce accepts strings for numbers, booleans and dates, and
	// rounds to the field's scale.
	w := e.create("Widget__c", map[string]any{"Name": "coerced", "Qty__c": "42", "Price__c": "19.999", "Active__c": "false",
		"Launch__c": "2026-03-01T10:00:00Z", "Shipped__c": "2026-03-01T10:00:00.123+0200", "Opens__c": "09:30",
		"Color__c": "red", "Sizes__c": "L;S;S", "Contact_Email__c": " ops@widgets.example "})
	got := e.get("Widget__c", w).Values
	for k, v := range map[string]any{"Qty__c": 42.0, "Price__c": 20.0, "Active__c": false, "Launch__c": "2026-03-01", "Opens__c": "09:30:00.000",
		"Color__c": "Red", "Sizes__c": "S;L", "Contact_Email__c": "ops@widgets.example"} {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
	if ts, _ := got["Shipped__c"].(time.Time); !ts.Equal(time.Date(2026, 3, 1, 8, 0, 0, 123e6, time.UTC)) {
		t.Errorf("Shipped__c = %v", got["Shipped__c"])
	}
}

func testBatches(t *testing.T, s Store) {
	e := NewEnv(t, s)
	before := e.count("Account")
	batch := []map[string]any{{"Name": "One"}, {"Name": "Two"}, {"Name": strings.Repeat("x", 300)}, {"Name": "Four"}}
	rs, err := e.Records.Create(e.Ctx, "Account", batch, record.WriteOptions{AllOrNone: true})
	if err != nil {
		t.Fatal(err)
	}
	if code(rs[2].Err) != rapport.StringTooLong || code(rs[0].Err) != rapport.AllOrNoneOperationRolledBack || code(rs[3].Err) != rapport.AllOrNoneOperationRolledBack {
		t.Errorf("allOrNone results = %v", rs)
	}
	if n := e.count("Account"); n != before {
		t.Errorf("allOrNone wrote %d accounts", n-before)
	}
	rs, err = e.Records.Create(e.Ctx, "Account", batch, record.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Err != nil || rs[1].Err != nil || rs[3].Err != nil || code(rs[2].Err) != rapport.StringTooLong || rs[2].ID != "" {
		t.Errorf("partial results = %v", rs)
	}
	if n := e.count("Account"); n != before+3 {
		t.Errorf("partial batch wrote %d accounts, want 3", n-before)
	}
	// An update batch where one record fails validation leaves all alone.
	rs2, err := e.Records.Update(e.Ctx, "Account", []map[string]any{
		{"Id": string(rs[0].ID), "Name": "Uno"}, {"Id": string(rs[1].ID), "Name": ""},
	}, record.WriteOptions{AllOrNone: true})
	if err != nil || code(rs2[1].Err) != rapport.RequiredFieldMissing || code(rs2[0].Err) != rapport.AllOrNoneOperationRolledBack {
		t.Fatalf("update batch = %v, %v", rs2, err)
	}
	if e.get("Account", rs[0].ID).Values["Name"] != "One" {
		t.Errorf("allOrNone update changed a record")
	}
	// Big batches work in several statements.
	var many []map[string]any
	for i := 0; i < 2500; i++ {
		many = append(many, map[string]any{"LastName": fmt.Sprintf("Attendee %d", i), "Email": fmt.Sprintf("a%d@dreamforce.example", i)})
	}
	rs, err = e.Records.Create(e.Ctx, "Contact", many, record.WriteOptions{AllOrNone: true})
	if err != nil || rs[2499].Err != nil {
		t.Fatalf("Create 2500: %v %v", err, rs[2499])
	}
	if n := e.count("Contact"); n != 2500 {
		t.Errorf("contacts = %d, want 2500", n)
	}
	ids := map[rapport.ID]bool{}
	for _, r := range rs {
		ids[r.ID] = true
	}
	if len(ids) != 2500 {
		t.Errorf("%d distinct ids for 2500 records", len(ids))
	}
	if _, err := e.Records.Create(e.Ctx, "Contact", make([]map[string]any, record.MaxBatch+1), record.WriteOptions{}); code(err) != rapport.InvalidArgument {
		t.Errorf("oversized batch = %v", err)
	}
}

func testUniqueAndUpsert(t *testing.T, s Store) {
	e := NewEnv(t, s)
	e.customObject()
	w1 := e.create("Widget__c", map[string]any{"Name": "w1", "Code__c": "ABC"})
	err := e.createErr("Widget__c", map[string]any{"Name": "w2", "Code__c": "abc"}, rapport.DuplicateValue)
	if !strings.Contains(err.Message, string(w1)) || err.Fields[0] != "Code__c" {
		t.Errorf("duplicate error %v should name Code__c and %s", err, w1)
	}
	rs, _ := e.Records.Create(e.Ctx, "Widget__c", []map[string]any{{"Name": "a", "Code__c": "X1"}, {"Name": "b", "Code__c": "x1"}}, record.WriteOptions{})
	if rs[0].Err != nil || code(rs[1].Err) != rapport.DuplicateValue {
		t.Errorf("in-batch duplicate: %v", rs)
	}
	// A deleted record frees its value; undeleting it then fails.
	e.del(w1)
	w3 := e.create("Widget__c", map[string]any{"Name": "w3", "Code__c": "ABC"})
	if rs := e.undel(w1); code(rs[0].Err) != rapport.DuplicateValue {
		t.Errorf("undelete over a taken unique value = %v, want DUPLICATE_VALUE", rs[0].Err)
	}

	up := func(values ...map[string]any) []record.Result {
		rs, err := e.Records.Upsert(e.Ctx, "Widget__c", "code__c", values, record.WriteOptions{})
		if err != nil {
			t.Fatalf("Upsert: %v", err)
		}
		return rs
	}
	rs = up(map[string]any{"Code__c": "abc", "Qty__c": 5}, map[string]any{"Code__c": "NEW", "Name": "fresh"})
	if rs[0].Err != nil || rs[0].Created || rs[0].ID != w3 || rs[1].Err != nil || !rs[1].Created {
		t.Fatalf("upsert = %v (%v %v)", rs, rs[0].Created, rs[1].Created)
	}
	if e.get("Widget__c", w3).Values["Qty__c"] != 5.0 {
		t.Errorf("upsert did not update w3")
	}
	rs = up(map[string]any{"Code__c": "DUP", "Name": "d"}, map[string]any{"Code__c": "dup", "Name": "d"})
	if code(rs[0].Err) != rapport.DuplicateValue || code(rs[1].Err) != rapport.DuplicateValue {
		t.Errorf("upsert with a key twice = %v", rs)
	}
	rs = up(map[string]any{"Name": "no key"})
	if code(rs[0].Err) != rapport.RequiredFieldMissing {
		t.Errorf("upsert without key = %v", rs)
	}
	if _, err := e.Records.Upsert(e.Ctx, "Widget__c", "Notes__c", []map[string]any{{"Notes__c": "x"}}, record.WriteOptions{}); code(err) != rapport.NotFound {
		t.Errorf("upsert on a non-external field = %v, want NOT_FOUND", err)
	}
	// Several matches on a non-unique external ID.
	if _, err := e.Records.CreateField(e.Ctx, "Account", &fieldDef{Name: "Legacy__c", Type: "Text", Length: 20, ExternalID: true}); err != nil {
		t.Fatal(err)
	}
	e.create("Account", map[string]any{"Name": "a1", "Legacy__c": "L1"})
	e.create("Account", map[string]any{"Name": "a2", "Legacy__c": "l1"})
	rs, uerr := e.Records.Upsert(e.Ctx, "Account", "Legacy__c", []map[string]any{{"Legacy__c": "L1", "Name": "z"}}, record.WriteOptions{})
	if uerr != nil || code(rs[0].Err) != rapport.MultipleChoices {
		t.Errorf("upsert with two matches = %v, %v; want MULTIPLE_CHOICES", rs, uerr)
	}
	// Case-sensitive unique fields tell case apart.
	if _, err := e.Records.CreateField(e.Ctx, "Account", &fieldDef{Name: "Ticker__c", Type: "Text", Length: 10, Unique: true, CaseSensitive: true}); err != nil {
		t.Fatal(err)
	}
	e.create("Account", map[string]any{"Name": "t1", "Ticker__c": "CRM"})
	e.create("Account", map[string]any{"Name": "t2", "Ticker__c": "crm"})
	e.createErr("Account", map[string]any{"Name": "t3", "Ticker__c": "CRM"}, rapport.DuplicateValue)
}

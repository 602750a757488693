package storetest

import (
	"strings"
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// testRollups: roll-up summary fields are computed for existing details
// when created, kept current by every write, delete, undelete and hard
// delete of a detail, nest (a summary of summaries), and guard the fields
// they read.
func testRollups(t *testing.T, s Store) {
	e := NewEnv(t, s)
	obj := func(def *metadata.Object) {
		t.Helper()
		if _, err := e.Records.CreateObject(e.Ctx, def); err != nil {
			t.Fatalf("CreateObject %s: %v", def.Name, err)
		}
	}
	field := func(object string, def *metadata.Field) {
		t.Helper()
		if _, err := e.Records.CreateField(e.Ctx, object, def); err != nil {
			t.Fatalf("CreateField %s.%s: %v", object, def.Name, err)
		}
	}
	summary := func(op, child, fk, f string) *metadata.Summary {
		return &metadata.Summary{Operation: op, ChildObject: child, ForeignKey: fk, Field: f}
	}
	obj(&metadata.Object{Name: "Series__c"})
	obj(&metadata.Object{Name: "Conference__c", Fields: []*metadata.Field{
		{Name: "Series__c", Type: metadata.TypeMasterDetail, ReferenceTo: []string{"Series__c"}, ChildRelationshipName: "Conferences"},
	}})
	obj(&metadata.Object{Name: "Session__c", Fields: []*metadata.Field{
		{Name: "Conference__c", Type: metadata.TypeMasterDetail, ReferenceTo: []string{"Conference__c"}, ChildRelationshipName: "Sessions"},
		{Name: "Seats__c", Type: metadata.TypeNumber, Precision: 6},
		{Name: "Fee__c", Type: metadata.TypeCurrency, Precision: 10, Scale: 2},
		{Name: "Starts__c", Type: metadata.TypeDate},
		{Name: "Track__c", Type: metadata.TypeText, Length: 40},
	}})
	series := e.create("Series__c", map[string]any{"Name": "Dreamforce"})
	df18 := e.create("Conference__c", map[string]any{"Name": "Dreamforce 2018", "Series__c": string(series)})
	df19 := e.create("Conference__c", map[string]any{"Name": "Dreamforce 2019", "Series__c": string(series)})
	keynote := e.create("Session__c", map[string]any{"Name": "Keynote", "Conference__c": string(df18), "Seats__c": 5000, "Fee__c": 0, "Starts__c": "2018-09-25"})
	e.create("Session__c", map[string]any{"Name": "Trailhead", "Conference__c": string(df18), "Seats__c": 300, "Fee__c": 99.5, "Starts__c": "2018-09-26"})

	// Created on existing data: computed at once.
	field("Conference__c", &metadata.Field{Name: "Sessions__c", Type: metadata.TypeSummary, Summary: summary("count", "Session__c", "Conference__c", "")})
	field("Conference__c", &metadata.Field{Name: "Seats__c", Type: metadata.TypeSummary, Summary: summary("SUM", "Session__c", "Conference__c", "Seats__c")})
	field("Conference__c", &metadata.Field{Name: "Opens__c", Type: metadata.TypeSummary, Summary: summary("min", "Session__c", "Conference__c", "Starts__c")})
	field("Conference__c", &metadata.Field{Name: "Top_Fee__c", Type: metadata.TypeSummary, Summary: summary("max", "Session__c", "Conference__c", "Fee__c")})
	field("Series__c", &metadata.Field{Name: "Seats__c", Type: metadata.TypeSummary, Summary: summary("sum", "Conference__c", "Series__c", "Seats__c")})
	// Filter criteria: only paid sessions; only the main track's seats
	// (text compares without regard to case).
	paid := summary("count", "Session__c", "Conference__c", "")
	paid.Filters = []metadata.SummaryFilter{{Field: "Fee__c", Operation: "greaterThan", Value: "0"}}
	field("Conference__c", &metadata.Field{Name: "Paid_Sessions__c", Type: metadata.TypeSummary, Summary: paid})
	main := summary("sum", "Session__c", "Conference__c", "Seats__c")
	main.Filters = []metadata.SummaryFilter{{Field: "Track__c", Operation: "equals", Value: "main"}}
	field("Conference__c", &metadata.Field{Name: "Main_Seats__c", Type: metadata.TypeSummary, Summary: main})

	sch := e.schema()
	if f := sch.Object("Conference__c").Field("Opens__c"); f.ReturnType != metadata.TypeDate || f.Storage() != metadata.StoreDate || !f.ReadOnly && f.Writable(true) {
		t.Errorf("Opens__c: return type %s, storage %v", f.ReturnType, f.Storage())
	}
	if f := sch.Object("Conference__c").Field("Top_Fee__c"); f.ReturnType != metadata.TypeCurrency || f.Scale != 2 {
		t.Errorf("Top_Fee__c: return type %s, scale %d", f.ReturnType, f.Scale)
	}
	check := func(when string, id rapport.ID, want map[string]any) {
		t.Helper()
		object := "Conference__c"
		if id == series {
			object = "Series__c"
		}
		got := e.get(object, id).Values
		for k, v := range want {
			if !record.Equal(got[k], v) {
				t.Errorf("%s: %s.%s = %v (%T), want %v", when, object, k, got[k], got[k], v)
			}
		}
	}
	check("created", df18, map[string]any{"Sessions__c": 2.0, "Seats__c": 5300.0, "Opens__c": "2018-09-25", "Top_Fee__c": 99.5,
		"Paid_Sessions__c": 1.0, "Main_Seats__c": 0.0})
	check("created", df19, map[string]any{"Sessions__c": 0.0, "Seats__c": 0.0, "Opens__c": nil, "Top_Fee__c": nil})
	check("created", series, map[string]any{"Seats__c": 5300.0})

	// Inserts and updates of details, and the series above them.
	e.create("Session__c", map[string]any{"Name": "Opening", "Conference__c": string(df19), "Seats__c": 7000, "Fee__c": 10, "Starts__c": "2019-11-19"})
	e.update("Session__c", map[string]any{"Id": string(keynote), "Seats__c": 6000, "Starts__c": "2018-09-24"})
	check("after writes", df18, map[string]any{"Sessions__c": 2.0, "Seats__c": 6300.0, "Opens__c": "2018-09-24"})
	check("after writes", df19, map[string]any{"Sessions__c": 1.0, "Seats__c": 7000.0, "Opens__c": "2019-11-19", "Top_Fee__c": 10.0})
	check("after writes", series, map[string]any{"Seats__c": 13300.0})
	// A write that touches no summarized field changes nothing.
	e.update("Session__c", map[string]any{"Id": string(keynote), "Track__c": "Main"})
	check("after a write to a filtered field", df18, map[string]any{"Seats__c": 6300.0, "Main_Seats__c": 6000.0, "Paid_Sessions__c": 1.0})

	// The recycle bin: a deleted detail no longer counts; restored, it does.
	if rs := e.del(keynote); rs[0].Err != nil {
		t.Fatal(rs[0].Err)
	}
	check("after delete", df18, map[string]any{"Sessions__c": 1.0, "Seats__c": 300.0, "Opens__c": "2018-09-26"})
	check("after delete", series, map[string]any{"Seats__c": 7300.0})
	if rs := e.undel(keynote); rs[0].Err != nil {
		t.Fatal(rs[0].Err)
	}
	check("after undelete", df18, map[string]any{"Sessions__c": 2.0, "Seats__c": 6300.0})
	if rs, err := e.Records.HardDelete(e.Ctx, []string{string(keynote)}, record.WriteOptions{}); err != nil || rs[0].Err != nil {
		t.Fatalf("hard delete: %v %v", err, rs)
	}
	check("after hard delete", df18, map[string]any{"Sessions__c": 1.0, "Seats__c": 300.0})
	check("after hard delete", series, map[string]any{"Seats__c": 7300.0})

	// An account's opportunities: a lookup Salesforce lets roll up, and a
	// detail that moves updates both masters.
	field("Account", &metadata.Field{Name: "Pipeline__c", Type: metadata.TypeSummary, Summary: summary("sum", "Opportunity", "AccountId", "Amount")})
	a := e.create("Account", map[string]any{"Name": "Salesforce"})
	b := e.create("Account", map[string]any{"Name": "Google"})
	opp := e.create("Opportunity", map[string]any{"Name": "Cloud deal", "AccountId": string(a), "StageName": "Prospecting", "CloseDate": "2031-01-01", "Amount": 1000})
	e.update("Opportunity", map[string]any{"Id": string(opp), "AccountId": string(b)})
	if got := e.get("Account", a).Values["Pipeline__c"]; !record.Equal(got, 0.0) {
		t.Errorf("old account's pipeline after the move = %v, want 0", got)
	}
	if got := e.get("Account", b).Values["Pipeline__c"]; !record.Equal(got, 1000.0) {
		t.Errorf("new account's pipeline after the move = %v, want 1000", got)
	}

	// Bad definitions and changes that would break a summary are refused.
	for _, c := range []struct {
		name string
		def  *metadata.Field
		want string
	}{
		{"sum of dates", &metadata.Field{Name: "Bad1__c", Type: metadata.TypeSummary, Summary: summary("sum", "Session__c", "Conference__c", "Starts__c")}, "SUM takes"},
		{"text field", &metadata.Field{Name: "Bad2__c", Type: metadata.TypeSummary, Summary: summary("max", "Session__c", "Conference__c", "Track__c")}, "summarizes number"},
		{"unknown operation", &metadata.Field{Name: "Bad3__c", Type: metadata.TypeSummary, Summary: summary("avg", "Session__c", "Conference__c", "Seats__c")}, "count, sum, min or max"},
		{"not a child", &metadata.Field{Name: "Bad4__c", Type: metadata.TypeSummary, Summary: summary("count", "Contact", "AccountId", "")}, "Conference__c"},
		{"no definition", &metadata.Field{Name: "Bad5__c", Type: metadata.TypeSummary}, "needs the detail object"},
		{"unknown filter operation", &metadata.Field{Name: "Bad7__c", Type: metadata.TypeSummary, Summary: &metadata.Summary{Operation: "count", ChildObject: "Session__c",
			ForeignKey: "Conference__c", Filters: []metadata.SummaryFilter{{Field: "Track__c", Operation: "contains", Value: "x"}}}}, "the operation must be"},
		{"filter value of the wrong type", &metadata.Field{Name: "Bad8__c", Type: metadata.TypeSummary, Summary: &metadata.Summary{Operation: "count", ChildObject: "Session__c",
			ForeignKey: "Conference__c", Filters: []metadata.SummaryFilter{{Field: "Seats__c", Operation: "lessThan", Value: "many"}}}}, "is not a value of"},
	} {
		_, err := e.Records.CreateField(e.Ctx, "Conference__c", c.def)
		if code(err) != rapport.InvalidArgument || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want INVALID_ARGUMENT with %q", c.name, err, c.want)
		}
	}
	if _, err := e.Records.CreateField(e.Ctx, "Account", &metadata.Field{Name: "Bad6__c", Type: metadata.TypeSummary, Summary: summary("count", "Contact", "AccountId", "")}); code(err) != rapport.InvalidArgument || !strings.Contains(err.Error(), "master-detail") {
		t.Errorf("roll-up over a lookup: %v", err)
	}
	if err := e.Records.DeleteField(e.Ctx, "Session__c", "Seats__c"); code(err) != rapport.InvalidArgument || !strings.Contains(err.Error(), "Conference__c.Seats__c") {
		t.Errorf("delete a summarized field: %v", err)
	}
	if err := e.Records.DeleteField(e.Ctx, "Session__c", "Track__c"); code(err) != rapport.InvalidArgument || !strings.Contains(err.Error(), "Main_Seats__c") {
		t.Errorf("delete a field a filter reads: %v", err)
	}
	if _, err := e.Records.UpdateField(e.Ctx, "Session__c", "Starts__c", &metadata.Field{Name: "Begins__c", Type: metadata.TypeDate}); code(err) != rapport.InvalidArgument {
		t.Errorf("rename a summarized field: %v", err)
	}
	if err := e.Records.DeleteObject(e.Ctx, "Session__c"); code(err) != rapport.InvalidArgument {
		t.Errorf("delete a summarized object: %v", err)
	}
	if _, err := e.Records.UpdateField(e.Ctx, "Conference__c", "Sessions__c", &metadata.Field{Type: metadata.TypeNumber, Precision: 18}); code(err) != rapport.InvalidArgument {
		t.Errorf("change a summary to a number: %v", err)
	}
	// Renaming the detail object follows into the summary.
	if _, err := e.Records.UpdateObject(e.Ctx, "Session__c", &metadata.Object{Name: "Talk__c"}); err != nil {
		t.Fatalf("rename the detail object: %v", err)
	}
	e.create("Talk__c", map[string]any{"Name": "Closing", "Conference__c": string(df18), "Seats__c": 50})
	check("after renaming the detail object", df18, map[string]any{"Sessions__c": 2.0, "Seats__c": 350.0})

	// Changing a summary's operation recomputes it; so does undeleting it.
	if _, err := e.Records.UpdateField(e.Ctx, "Conference__c", "Seats__c", &metadata.Field{Label: "Largest Room", Type: metadata.TypeSummary,
		Summary: summary("max", "Talk__c", "Conference__c", "Seats__c")}); err != nil {
		t.Fatalf("change the operation: %v", err)
	}
	check("after SUM became MAX", df18, map[string]any{"Seats__c": 300.0})
	if err := e.Records.DeleteField(e.Ctx, "Conference__c", "Sessions__c"); err != nil {
		t.Fatal(err)
	}
	e.create("Talk__c", map[string]any{"Name": "Late", "Conference__c": string(df18)})
	if err := e.Records.UndeleteField(e.Ctx, "Conference__c", "Sessions__c"); err != nil {
		t.Fatal(err)
	}
	check("after undeleting the count", df18, map[string]any{"Sessions__c": 3.0})
}

// testCampaignRollups: a campaign's member and opportunity counts and
// amounts follow every write, delete, undelete and hard delete, including
// writes that fail and are rolled back.
func testCampaignRollups(t *testing.T, s Store) {
	e := NewEnv(t, s)
	df := e.create("Campaign", map[string]any{"Name": "Dreamforce 2018"})
	other := e.create("Campaign", map[string]any{"Name": "Protest"})
	check := func(when string, id rapport.ID, want map[string]float64) {
		t.Helper()
		got := e.get("Campaign", id).Values
		for k, v := range want {
			if !record.Equal(got[k], v) {
				t.Errorf("%s: %s = %v, want %v", when, k, got[k], v)
			}
		}
	}
	check("new", df, map[string]float64{"NumberOfContacts": 0, "NumberOfLeads": 0, "NumberOfResponses": 0, "NumberOfOpportunities": 0, "AmountAllOpportunities": 0})

	var contacts []map[string]any
	for i := 0; i < 5; i++ {
		contacts = append(contacts, map[string]any{"LastName": "Attendee", "FirstName": string(rune('A' + i))})
	}
	rs, err := e.Records.Create(e.Ctx, "Contact", contacts, record.WriteOptions{AllOrNone: true})
	if err != nil {
		t.Fatal(err)
	}
	lead := e.create("Lead", map[string]any{"LastName": "Prospect", "Company": "Acme"})
	var members []map[string]any
	for _, r := range rs {
		members = append(members, map[string]any{"CampaignId": string(df), "ContactId": string(r.ID)})
	}
	members = append(members, map[string]any{"CampaignId": string(df), "LeadId": string(lead), "Status": "Responded"})
	ms, err := e.Records.Create(e.Ctx, "CampaignMember", members, record.WriteOptions{AllOrNone: true})
	if err != nil {
		t.Fatal(err)
	}
	check("members added", df, map[string]float64{"NumberOfContacts": 5, "NumberOfLeads": 1, "NumberOfResponses": 1})
	// Each member names its person and says which kind it is.
	if got := e.get("CampaignMember", ms[0].ID).Values; got["LeadOrContactId"] != rs[0].ID || got["Type"] != "Contact" {
		t.Errorf("a contact member: LeadOrContactId %v, Type %v", got["LeadOrContactId"], got["Type"])
	}
	if got := e.get("CampaignMember", ms[5].ID).Values; got["LeadOrContactId"] != lead || got["Type"] != "Lead" {
		t.Errorf("a lead member: LeadOrContactId %v, Type %v", got["LeadOrContactId"], got["Type"])
	}
	e.update("CampaignMember", map[string]any{"Id": string(ms[0].ID), "Status": "Responded"})
	check("a contact responded", df, map[string]float64{"NumberOfResponses": 2})

	// A batch that partly fails counts only the rows written.
	bad := []map[string]any{
		{"CampaignId": string(other), "ContactId": string(rs[0].ID)},
		{"CampaignId": string(other), "ContactId": "003000000000000AAA"},
	}
	if res, err := e.Records.Create(e.Ctx, "CampaignMember", bad, record.WriteOptions{}); err != nil || res[0].Err != nil || res[1].Err == nil {
		t.Fatalf("partly failing batch: %v %+v", err, res)
	}
	check("partly failing batch", other, map[string]float64{"NumberOfContacts": 1})

	// Opportunities: count, won count and amounts, as stages and amounts
	// change and deals move between campaigns.
	acc := e.create("Account", map[string]any{"Name": "Salesforce"})
	opp := func(name, stage string, amount float64, campaign rapport.ID) rapport.ID {
		return e.create("Opportunity", map[string]any{"Name": name, "AccountId": string(acc), "StageName": stage, "CloseDate": "2018-09-30",
			"Amount": amount, "CampaignId": string(campaign)})
	}
	a := opp("Sponsorship", "Prospecting", 100000, df)
	b := opp("Booth", "Closed Won", 25000, df)
	check("deals", df, map[string]float64{"NumberOfOpportunities": 2, "NumberOfWonOpportunities": 1, "AmountAllOpportunities": 125000, "AmountWonOpportunities": 25000})
	e.update("Opportunity", map[string]any{"Id": string(a), "StageName": "Closed Won", "Amount": 150000})
	check("a deal won", df, map[string]float64{"NumberOfWonOpportunities": 2, "AmountAllOpportunities": 175000, "AmountWonOpportunities": 175000})
	e.update("Opportunity", map[string]any{"Id": string(b), "CampaignId": string(other)})
	check("a deal moved away", df, map[string]float64{"NumberOfOpportunities": 1, "AmountWonOpportunities": 150000})
	check("a deal moved in", other, map[string]float64{"NumberOfOpportunities": 1, "NumberOfWonOpportunities": 1, "AmountAllOpportunities": 25000})

	// The recycle bin, and deleting for good.
	if res := e.del(a, ms[1].ID); res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("delete: %+v", res)
	}
	check("deleted", df, map[string]float64{"NumberOfOpportunities": 0, "AmountAllOpportunities": 0, "NumberOfContacts": 4})
	if res := e.undel(a); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	check("undeleted", df, map[string]float64{"NumberOfOpportunities": 1, "AmountAllOpportunities": 150000, "NumberOfContacts": 4})
	if res, err := e.Records.HardDelete(e.Ctx, []string{string(ms[1].ID), string(ms[2].ID)}, record.WriteOptions{}); err != nil || res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("hard delete: %v %+v", err, res)
	}
	check("hard deleted (one already in the bin)", df, map[string]float64{"NumberOfContacts": 3})
	// Deleting a contact cascades to its memberships.
	if res := e.del(rs[3].ID); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	check("a member's contact deleted", df, map[string]float64{"NumberOfContacts": 2})
	if res := e.undel(rs[3].ID); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	check("a member's contact restored", df, map[string]float64{"NumberOfContacts": 3})
	// A delete refused part-way (the contact has a case, which restricts
	// it) leaves the counts as they were.
	e.create("Case", map[string]any{"Subject": "Lost badge", "ContactId": string(rs[3].ID)})
	if res := e.del(rs[3].ID); res[0].Err == nil {
		t.Fatal("deleting a contact with a case succeeded")
	}
	check("a refused delete", df, map[string]float64{"NumberOfContacts": 3})
}

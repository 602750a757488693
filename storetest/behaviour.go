package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// masterDetail makes Session__c (parent) with Booking__c details, and a
// Speaker__c lookup that restricts deletes.
func (e *Env) masterDetail() {
	e.T.Helper()
	if _, err := e.Records.CreateObject(e.Ctx, &metadata.Object{Name: "Session__c"}); err != nil {
		e.T.Fatal(err)
	}
	if _, err := e.Records.CreateObject(e.Ctx, &metadata.Object{Name: "Booking__c", Fields: []*metadata.Field{
		{Name: "Session__c", Type: metadata.TypeMasterDetail, ReferenceTo: []string{"Session__c"}, ChildRelationshipName: "Bookings"},
		{Name: "Attendee__c", Type: metadata.TypeLookup, ReferenceTo: []string{"Contact"}, ChildRelationshipName: "Bookings"},
	}}); err != nil {
		e.T.Fatal(err)
	}
	if _, err := e.Records.CreateField(e.Ctx, "Session__c", &metadata.Field{Name: "Speaker__c", Type: metadata.TypeLookup,
		ReferenceTo: []string{"Contact"}, DeleteConstraint: metadata.Restrict, ChildRelationshipName: "Sessions"}); err != nil {
		e.T.Fatal(err)
	}
}

func testDeleteBehaviour(t *testing.T, s Store) {
	e := NewEnv(t, s)
	e.masterDetail()
	if e.schema().Object("Booking__c").Field("OwnerId") != nil {
		t.Errorf("a detail object has no owner of its own")
	}
	speaker := e.create("Contact", map[string]any{"LastName": "Gore", "FirstName": "Al"})
	attendee := e.create("Contact", map[string]any{"LastName": "Hayslett"})
	sess := e.create("Session__c", map[string]any{"Name": "Keynote", "Speaker__c": string(speaker)})
	var bookings []rapport.ID
	for i := 0; i < 3; i++ {
		bookings = append(bookings, e.create("Booking__c", map[string]any{"Name": fmt.Sprint("b", i), "Session__c": string(sess), "Attendee__c": string(attendee)}))
	}
	e.createErr("Booking__c", map[string]any{"Name": "orphan"}, rapport.RequiredFieldMissing)
	e.updateErr("Booking__c", map[string]any{"Id": string(bookings[0]), "Session__c": string(sess)}, rapport.InvalidFieldForInsertUpdate)

	// Restrict: the speaker cannot go while a session names them.
	if rs := e.del(speaker); code(rs[0].Err) != rapport.DeleteFailed {
		t.Errorf("delete restricted contact = %v, want DELETE_FAILED", rs[0].Err)
	}
	if e.get("Contact", speaker).Values["IsDeleted"] != false {
		t.Errorf("a refused delete deleted")
	}
	// Set null: deleting the attendee clears the bookings' lookup; undelete
	// puts it back.
	if rs := e.del(attendee); rs[0].Err != nil {
		t.Fatal(rs[0].Err)
	}
	if got := e.get("Booking__c", bookings[1]).Values["Attendee__c"]; got != nil {
		t.Errorf("Attendee__c after its contact was deleted = %v", got)
	}
	e.undel(attendee)
	if got := e.get("Booking__c", bookings[1]).Values["Attendee__c"]; got != attendee {
		t.Errorf("Attendee__c after undelete = %v, want %s", got, attendee)
	}
	// Cascade: the session takes its bookings with it, and brings them back.
	if rs := e.del(sess); rs[0].Err != nil {
		t.Fatal(rs[0].Err)
	}
	if n := e.count("Booking__c"); n != 0 {
		t.Errorf("%d bookings left after their session was deleted", n)
	}
	if rs := e.undel(bookings[0]); code(rs[0].Err) != rapport.UndeleteFailed {
		t.Errorf("undelete a detail alone = %v", rs[0].Err)
	}
	e.undel(sess)
	if n := e.count("Booking__c"); n != 3 {
		t.Errorf("%d bookings after the session's undelete, want 3", n)
	}
	// Records in the recycle bin do not hold a restricting lookup.
	e.del(sess)
	if rs := e.del(speaker); rs[0].Err != nil {
		t.Errorf("delete a speaker whose only session is in the bin = %v", rs[0].Err)
	}
}

func testHardDelete(t *testing.T, s Store) {
	e := NewEnv(t, s)
	e.masterDetail()
	sess := e.create("Session__c", map[string]any{"Name": "Workshop"})
	b := e.create("Booking__c", map[string]any{"Name": "b", "Session__c": string(sess)})
	other := e.create("Session__c", map[string]any{"Name": "Other"})
	e.del(other)
	rs, err := e.Records.HardDelete(e.Ctx, []string{string(sess), string(other)}, record.WriteOptions{})
	if err != nil || rs[0].Err != nil || rs[1].Err != nil {
		t.Fatalf("HardDelete = %v, %v", rs, err)
	}
	for _, id := range []rapport.ID{sess, b, other} {
		obj := "Session__c"
		if id == b {
			obj = "Booking__c"
		}
		recs, err := e.Records.Get(e.Ctx, obj, []string{string(id)}, nil, true)
		if err != nil || recs[0] != nil {
			t.Errorf("%s still there after hard delete", id)
		}
	}
	if bin, _ := e.Records.RecycleBin(e.Ctx); len(bin) != 0 {
		t.Errorf("bin after hard delete: %v", bin)
	}
	if rs, _ := e.Records.Undelete(e.Ctx, []string{string(sess)}, record.WriteOptions{}); code(rs[0].Err) != rapport.NotFound {
		t.Errorf("undelete after hard delete = %v", rs[0].Err)
	}
}

func testDerivedFields(t *testing.T, s Store) {
	e := NewEnv(t, s)
	acct := e.create("Account", map[string]any{"Name": "U.S. Customs and Border Protection"})
	opp := e.create("Opportunity", map[string]any{"Name": "CBP contract", "AccountId": string(acct), "StageName": "Prospecting",
		"CloseDate": "2026-12-31", "Amount": 2000000})
	got := e.get("Opportunity", opp).Values
	if got["IsClosed"] != false || got["IsWon"] != false || got["Probability"] != 10.0 || got["ForecastCategoryName"] != "Pipeline" {
		t.Errorf("Prospecting: %v %v %v %v", got["IsClosed"], got["IsWon"], got["Probability"], got["ForecastCategoryName"])
	}
	e.update("Opportunity", map[string]any{"Id": string(opp), "StageName": "Closed Won"})
	got = e.get("Opportunity", opp).Values
	if got["IsClosed"] != true || got["IsWon"] != true || got["Probability"] != 100.0 || got["ForecastCategoryName"] != "Closed" {
		t.Errorf("Closed Won: %v %v %v %v", got["IsClosed"], got["IsWon"], got["Probability"], got["ForecastCategoryName"])
	}
	e.update("Opportunity", map[string]any{"Id": string(opp), "StageName": "Closed Lost", "Description": "Returned"})
	got = e.get("Opportunity", opp).Values
	if got["IsClosed"] != true || got["IsWon"] != false || got["Probability"] != 0.0 {
		t.Errorf("Closed Lost: %v %v %v", got["IsClosed"], got["IsWon"], got["Probability"])
	}
	e.createErr("Opportunity", map[string]any{"Name": "x", "StageName": "Daydreaming", "CloseDate": "2026-01-01"}, rapport.InvalidOrNullForRestrictedPick)
	e.createErr("Opportunity", map[string]any{"Name": "x", "StageName": "Prospecting", "CloseDate": "2026-01-01", "IsWon": true}, rapport.InvalidFieldForInsertUpdate)

	ct := e.create("Contract", map[string]any{"AccountId": string(acct), "StartDate": "2026-01-15", "ContractTerm": 12})
	if got := e.get("Contract", ct).Values; got["EndDate"] != "2027-01-14" || got["ContractNumber"] != "00000001" || got["Status"] != "Draft" {
		t.Errorf("Contract: EndDate %v ContractNumber %v Status %v", got["EndDate"], got["ContractNumber"], got["Status"])
	}
	cs := e.create("Case", map[string]any{"Subject": "Badge"})
	if got := e.get("Case", cs).Values; got["IsClosed"] != false || got["Status"] != "New" || got["ClosedDate"] != nil {
		t.Errorf("new case: %v %v %v", got["IsClosed"], got["Status"], got["ClosedDate"])
	}
	e.update("Case", map[string]any{"Id": string(cs), "Status": "Closed"})
	if got := e.get("Case", cs).Values; got["IsClosed"] != true || got["ClosedDate"] == nil {
		t.Errorf("closed case: %v %v", got["IsClosed"], got["ClosedDate"])
	}
	lead := e.create("Lead", map[string]any{"LastName": "Ryan", "FirstName": "Jonathan", "Company": "Demand Progress"})
	if got := e.get("Lead", lead).Values; got["Name"] != "Jonathan Ryan" || got["IsConverted"] != false || got["Status"] != "Open - Not Contacted" {
		t.Errorf("lead: %v %v %v", got["Name"], got["IsConverted"], got["Status"])
	}
	c := e.create("Contact", map[string]any{"LastName": "i.am", "FirstName": "will"})
	e.update("Contact", map[string]any{"Id": string(c), "FirstName": nil})
	if got := e.get("Contact", c).Values["Name"]; got != "i.am" {
		t.Errorf("Name without first name = %v", got)
	}
	ev := e.create("Event", map[string]any{"Subject": "Keynote", "StartDateTime": "2018-09-25T17:00:00Z", "DurationInMinutes": 90})
	if got := e.get("Event", ev).Values; !got["EndDateTime"].(time.Time).Equal(time.Date(2018, 9, 25, 18, 30, 0, 0, time.UTC)) || got["ActivityDate"] != "2018-09-25" {
		t.Errorf("event: %v %v", got["EndDateTime"], got["ActivityDate"])
	}

	// An activity's account: the account it is related to, or the account
	// of its opportunity, or of its contact; none without either.
	other := e.create("Account", map[string]any{"Name": "Salesforce"})
	benioff := e.create("Contact", map[string]any{"LastName": "Benioff", "AccountId": string(other)})
	for _, c := range []struct {
		name   string
		values map[string]any
		want   any
	}{
		{"on the account", map[string]any{"WhatId": string(acct)}, acct},
		{"on its opportunity", map[string]any{"WhatId": string(opp), "WhoId": string(benioff)}, acct},
		{"on a contact", map[string]any{"WhoId": string(benioff)}, other},
		{"on nothing", map[string]any{}, nil},
	} {
		c.values["Subject"] = "Call " + c.name
		task := e.create("Task", c.values)
		if got := e.get("Task", task).Values["AccountId"]; !record.Equal(got, c.want) {
			t.Errorf("task %s: AccountId = %v, want %v", c.name, got, c.want)
		}
	}
	task := e.create("Task", map[string]any{"Subject": "Moves", "WhoId": string(benioff)})
	e.update("Task", map[string]any{"Id": string(task), "WhatId": string(acct)})
	if got := e.get("Task", task).Values["AccountId"]; !record.Equal(got, acct) {
		t.Errorf("task related to an account after an update: AccountId = %v, want %v", got, acct)
	}
	e.update("Task", map[string]any{"Id": string(task), "WhatId": nil, "WhoId": nil})
	if got := e.get("Task", task).Values["AccountId"]; got != nil {
		t.Errorf("task related to nothing after an update: AccountId = %v", got)
	}
	meet := e.create("Event", map[string]any{"Subject": "Dinner", "WhoId": string(benioff), "StartDateTime": "2018-09-26T19:00:00Z", "DurationInMinutes": 60})
	if got := e.get("Event", meet).Values["AccountId"]; !record.Equal(got, other) {
		t.Errorf("event with a contact: AccountId = %v, want %v", got, other)
	}
}

func testHistory(t *testing.T, s Store) {
	e := NewEnv(t, s)
	e.customObject()
	w := e.create("Widget__c", map[string]any{"Name": "h", "Qty__c": 1, "Color__c": "Red"})
	e.update("Widget__c", map[string]any{"Id": string(w), "Qty__c": 2, "Name": "renamed"})
	e.update("Widget__c", map[string]any{"Id": string(w), "Color__c": "Blue"})
	e.update("Widget__c", map[string]any{"Id": string(w), "Qty__c": 2})
	rows, err := e.Records.History(e.Ctx, "Widget__c", string(w))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s:%s→%s", r.Field, r.OldValue, r.NewValue))
		if r.CreatedBy != e.Org.UserID || r.CreatedAt.IsZero() {
			t.Errorf("history row %+v lacks who or when", r)
		}
	}
	want := []string{"created:→", "Qty__c:1→2", "Color__c:Red→Blue"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("history = %v, want %v", got, want)
	}
	// History survives a field rename.
	if _, err := e.Records.UpdateField(e.Ctx, "Widget__c", "Qty__c", &metadata.Field{Name: "Count__c", Type: metadata.TypeNumber, Precision: 6, TrackHistory: true}); err != nil {
		t.Fatal(err)
	}
	rows, _ = e.Records.History(e.Ctx, "Widget__c", string(w))
	if len(rows) != 3 || rows[1].Field != "Count__c" {
		t.Errorf("history after rename = %+v", rows)
	}
	// Objects without tracking keep none.
	a := e.create("Account", map[string]any{"Name": "x"})
	e.update("Account", map[string]any{"Id": string(a), "Name": "y"})
	if rows, _ := e.Records.History(e.Ctx, "Account", string(a)); len(rows) != 0 {
		t.Errorf("untracked history = %v", rows)
	}
}

func testIsolation(t *testing.T, s Store) {
	a := NewEnv(t, s)
	b := NewEnv(t, s)
	id := a.create("Account", map[string]any{"Name": "RAICES"})
	a.customObject()
	recs, err := b.Records.Get(b.Ctx, "Account", []string{string(id)}, nil, true)
	if err != nil || recs[0] != nil {
		t.Errorf("org B reads org A's account: %v %v", recs, err)
	}
	b.updateErr("Account", map[string]any{"Id": string(id), "Name": "hacked"}, rapport.NotFound)
	if rs := b.del(id); code(rs[0].Err) != rapport.NotFound {
		t.Errorf("org B deletes org A's account: %v", rs[0].Err)
	}
	b.createErr("Contact", map[string]any{"LastName": "x", "AccountId": string(id)}, rapport.InvalidCrossReferenceKey)
	if _, err := b.Records.Get(b.Ctx, "Widget__c", []string{"a00000000000000AAA"}, nil, false); code(err) != rapport.InvalidType {
		t.Errorf("org B sees org A's custom object: %v", err)
	}
	if n := b.count("Account"); n != 0 {
		t.Errorf("org B counts %d accounts", n)
	}
	if a.get("Account", id).Values["Name"] != "RAICES" {
		t.Errorf("org A's account changed")
	}
	// A principal for an org that does not exist gets nothing.
	ghost := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: "00D000000000001AAA", UserID: a.Org.UserID})
	if _, err := a.Records.Get(ghost, "Account", []string{string(id)}, nil, false); code(err) != rapport.NotFound {
		t.Errorf("unknown org: %v", err)
	}
}

func testConcurrentWrites(t *testing.T, s Store) {
	e := NewEnv(t, s)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				rs, err := e.Records.Create(e.Ctx, "Account", []map[string]any{{"Name": fmt.Sprintf("w%d-%d", w, i)}}, record.WriteOptions{})
				if err == nil {
					err = rs[0].Err
				}
				if err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent create: %v", err)
	}
	if n := e.count("Account"); n != workers*each {
		t.Errorf("%d accounts, want %d", n, workers*each)
	}
}

func testMigrate(t *testing.T, s Store) {
	e := NewEnv(t, s)
	results, err := e.Tenants.Migrate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("migrate %s: %v", r.Org, r.Err)
		}
		found = found || r.Org == e.Org.OrgID
	}
	if !found {
		t.Errorf("Migrate skipped org %s", e.Org.OrgID)
	}
	// Still usable after a second run.
	e.create("Account", map[string]any{"Name": "after migrate"})
}

func testSchemaCoherence(t *testing.T, s Store) {
	e := NewEnv(t, s)
	// Another service over the same store, as another process would be.
	other := record.NewService(s, record.Options{})
	if _, err := other.Schema(e.Ctx, e.Org.OrgID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Records.CreateField(e.Ctx, "Account", &metadata.Field{Name: "Tier__c", Type: metadata.TypeText, Length: 10}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		rs, err := other.Create(e.Ctx, "Account", []map[string]any{{"Name": "x", "Tier__c": "Gold"}}, record.WriteOptions{})
		if err == nil && rs[0].Err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other service never saw the new field: %v %v", err, rs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func testAuditTrail(t *testing.T, s Store) {
	e := NewEnv(t, s)
	if _, err := e.Records.CreateField(e.Ctx, "Account", &metadata.Field{Name: "Tier__c", Type: metadata.TypeText, Length: 10}); err != nil {
		t.Fatal(err)
	}
	role := e.create("UserRole", map[string]any{"Name": "CEO"})
	e.update("UserRole", map[string]any{"Id": string(role), "Name": "Chief Executive"})
	e.update("User", map[string]any{"Id": string(e.Org.UserID), "UserRoleId": string(role)})
	sch := e.schema()
	trail := sch.Object("SetupAuditTrail")
	var got []string
	err := s.Read(e.Ctx, e.Org.OrgID, func(r record.Reader) error {
		return r.Scan(e.Ctx, trail, []*metadata.Field{trail.Field("Section"), trail.Field("Display"), trail.Field("CreatedById")}, func(row []any) error {
			if row[2] != e.Org.UserID {
				t.Errorf("audit entry by %v, want the admin", row[2])
			}
			got = append(got, row[0].(string)+": "+row[1].(string))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Customize: Created custom field Tier__c (Text) on Account", "Roles: Created Role CEO", `Roles: Changed Role Chief Executive`, `UserRoleId from "" to "` + string(role) + `"`}
	joined := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("audit trail lacks %q:\n%s", w, joined)
		}
	}
	// Nobody writes the trail by hand.
	e.createErr("SetupAuditTrail", map[string]any{"Action": "forged"}, rapport.InsufficientAccess)
}

// testConcurrentReads: many readers at once, across the once-a-second
// schema and security checks, never wait on each other for connections
// (Get used to ask for the schema while holding a reader).
func testConcurrentReads(t *testing.T, s Store) {
	e := NewEnv(t, s)
	_, userCtx := e.NewUser("Standard User", "reader@"+string(e.Org.OrgID)+".example")
	acct := e.create("Account", map[string]any{"Name": "Public"})
	id := e.create("Contact", map[string]any{"LastName": "Read me", "AccountId": string(acct)})
	deadline := time.Now().Add(2500 * time.Millisecond)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 48; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			base := e.Ctx
			if w%2 == 1 {
				base = userCtx
			}
			for time.Now().Before(deadline) {
				ctx, cancel := context.WithTimeout(base, 10*time.Second)
				recs, err := e.Records.Get(ctx, "Contact", []string{string(id)}, []string{"LastName"}, false)
				cancel()
				if err == nil && recs[0] == nil {
					err = fmt.Errorf("contact not found")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Get: %v", err)
	}
}

package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// gizmo creates Gizmo__c with a field of every type a form edits: some
// with the object, the rest added one by one.
func (h *harness) gizmo() {
	h.t.Helper()
	recs := h.env.Records
	if _, err := recs.CreateObject(h.env.Ctx, &metadata.Object{
		Name: "Gizmo__c", Label: "Gizmo", PluralLabel: "Gizmos", TrackHistory: true,
		Fields: []*metadata.Field{
			{Name: "Code__c", Label: "Code", Type: metadata.TypeText, Length: 20, Required: true},
			{Name: "Notes__c", Label: "Notes", Type: metadata.TypeTextArea},
			{Name: "Spec__c", Label: "Spec", Type: metadata.TypeLongTextArea, Length: 1000},
			{Name: "Qty__c", Label: "Quantity", Type: metadata.TypeNumber, Precision: 6, Scale: 0, TrackHistory: true},
			{Name: "Color__c", Label: "Color", Type: metadata.TypePicklist, TrackHistory: true, Picklist: &metadata.Picklist{Restricted: true, Values: []metadata.PicklistValue{
				{Value: "Red"}, {Value: "Green", Default: true}, {Value: "Blue"}}}},
		},
	}); err != nil {
		h.t.Fatal(err)
	}
	for _, f := range []*metadata.Field{
		{Name: "Contact_Email__c", Label: "Contact Email", Type: metadata.TypeEmail},
		{Name: "Hotline__c", Label: "Hotline", Type: metadata.TypePhone},
		{Name: "Site__c", Label: "Site", Type: metadata.TypeURL},
		{Name: "Price__c", Label: "Price", Type: metadata.TypeCurrency, Precision: 10, Scale: 2},
		{Name: "Discount__c", Label: "Discount", Type: metadata.TypePercent, Precision: 5, Scale: 2},
		{Name: "Active__c", Label: "Active", Type: metadata.TypeCheckbox, DefaultValue: "true"},
		{Name: "Launch__c", Label: "Launch", Type: metadata.TypeDate},
		{Name: "Shipped__c", Label: "Shipped", Type: metadata.TypeDateTime},
		{Name: "Opens__c", Label: "Opens", Type: metadata.TypeTime},
		{Name: "Sizes__c", Label: "Sizes", Type: metadata.TypeMultiPicklist, Picklist: &metadata.Picklist{Values: []metadata.PicklistValue{
			{Value: "S"}, {Value: "M"}, {Value: "L"}}}},
		{Name: "Account__c", Label: "Account", Type: metadata.TypeLookup, ReferenceTo: []string{"Account"}, ChildRelationshipName: "Gizmos"},
	} {
		if _, err := recs.CreateField(h.env.Ctx, "Gizmo__c", f); err != nil {
			h.t.Fatalf("create field %s: %v", f.Name, err)
		}
	}
}

// inZone sets the administrator's time zone.
func (h *harness) inZone(tz string) {
	h.t.Helper()
	res, err := h.env.Records.Update(h.env.Ctx, "User", []map[string]any{{"Id": string(h.env.Org.UserID), "TimeZoneSidKey": tz}}, record.WriteOptions{AllOrNone: true})
	if err == nil {
		err = res[0].Err
	}
	if err != nil {
		h.t.Fatalf("set time zone: %v", err)
	}
}

var recordURL = regexp.MustCompile(`/r/([0-9A-Za-z]{18})`)

func TestCreateEveryFieldType(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		h.gizmo()
		h.inZone("America/Los_Angeles")
		acc := h.create("Account", map[string]any{"Name": "Parts Depot"})
		b := h.signIn()

		p := b.get("/o/Gizmo__c/new")
		if p.Status != http.StatusOK {
			t.Fatalf("GET new: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, `name="Name"`, `<label for="f-Code__c">Code <abbr class="req"`, `<textarea id="f-Notes__c"`,
			`type="email" id="f-Contact_Email__c"`, `type="tel" id="f-Hotline__c"`, `inputmode="url"`,
			`type="number" id="f-Qty__c"`, `<span class="prefix">$</span><input type="number" id="f-Price__c"`,
			`<span class="suffix">%</span>`, `type="checkbox" id="f-Active__c" name="Active__c" value="true" checked`,
			`type="date" id="f-Launch__c"`, `type="datetime-local" id="f-Shipped__c"`, `type="time" id="f-Opens__c"`,
			`<option value="Green" selected>`, `<select multiple size="5" id="f-Sizes__c"`, `data-lookup="Account"`,
			`name="OwnerId"`, "Information")
		if strings.Contains(p.Body, `name="CreatedDate"`) || strings.Contains(p.Body, `name="Id"`) {
			t.Error("the form offers system fields")
		}

		form := url.Values{
			"Name": {"Sprocket"}, "Code__c": {"SP-1"}, "Notes__c": {"two\r\nlines"}, "Spec__c": {"long spec"},
			"Contact_Email__c": {"parts@depot.example"}, "Hotline__c": {"+1 555 0100"}, "Site__c": {"depot.example"},
			"Qty__c": {"12"}, "Price__c": {"1,234.50"}, "Discount__c": {"7.5"}, "Active__c": {"false"},
			"Launch__c": {"2031-03-04"}, "Shipped__c": {"2031-03-04T09:30"}, "Opens__c": {"08:15"},
			"Color__c": {"Blue"}, "Sizes__c": {"S", "L"}, "Account__c": {string(acc)}, "_q": {"Parts"},
		}
		p = b.post("/o/Gizmo__c/new", form)
		m := recordURL.FindStringSubmatch(p.URL)
		if p.Status != http.StatusOK || m == nil {
			t.Fatalf("create: %d at %s\n%s", p.Status, p.URL, p.Body)
		}
		p.mustContain(t, "Gizmo \u201cSprocket\u201d was created.", `<a href="/r/`+string(acc)+`">Parts Depot</a>`)
		id := rapport.ID(m[1])
		got := h.read("Gizmo__c", id).Values
		shipped := time.Date(2031, 3, 4, 17, 30, 0, 0, time.UTC) // 09:30 PST
		want := map[string]any{
			"Name": "Sprocket", "Code__c": "SP-1", "Notes__c": "two\nlines", "Spec__c": "long spec",
			"Contact_Email__c": "parts@depot.example", "Hotline__c": "+1 555 0100", "Site__c": "depot.example",
			"Qty__c": 12.0, "Price__c": 1234.5, "Discount__c": 7.5, "Active__c": false,
			"Launch__c": "2031-03-04", "Shipped__c": shipped, "Opens__c": "08:15:00.000",
			"Color__c": "Blue", "Sizes__c": "S;L", "Account__c": acc, "OwnerId": h.env.Org.UserID,
		}
		for k, w := range want {
			if !record.Equal(got[k], w) {
				t.Errorf("%s = %#v, want %#v", k, got[k], w)
			}
		}

		// The edit form shows the date-time in the user's zone again.
		p = b.get("/r/" + string(id) + "/edit")
		p.mustContain(t, `value="2031-03-04T09:30"`, `<option value="Blue" selected>`, `value="Parts Depot"`, `value="`+string(acc)+`"`)

		// A related list's New fills in the parent, showing its name.
		p = b.get("/o/Contact/new?AccountId=" + string(acc))
		p.mustContain(t, `name="AccountId" value="`+string(acc)+`"`, `value="Parts Depot"`, `href="/r/`+string(acc)+`">Cancel`)
	})
}

func TestFormErrors(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		h.gizmo()
		b := h.signIn()
		b.get("/o/Gizmo__c/new")

		// A required field left empty: 422, the error next to it, values
		// kept, nothing written.
		p := b.post("/o/Gizmo__c/new", url.Values{"Name": {"Cog"}, "Code__c": {""}, "Qty__c": {"4"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("missing required field: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, `<div class="field has-error"><label for="f-Code__c">`, `id="f-Code__c-err"`, `value="Cog"`, `value="4"`)
		// An unreadable number is caught before the save.
		p = b.post("/o/Gizmo__c/new", url.Values{"Name": {"Cog"}, "Code__c": {"C-1"}, "Qty__c": {"four"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad number: %d", p.Status)
		}
		p.mustContain(t, `id="f-Qty__c-err">Enter a number.`, `value="four"`)
		// The record service's own validation: a bad email and a restricted
		// picklist value.
		p = b.post("/o/Gizmo__c/new", url.Values{"Name": {"Cog"}, "Code__c": {"C-1"}, "Contact_Email__c": {"not an email"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad email: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, `id="f-Contact_Email__c-err"`, `value="not an email"`)
		p = b.post("/o/Gizmo__c/new", url.Values{"Name": {"Cog"}, "Code__c": {"C-1"}, "Color__c": {"Purple"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad picklist value: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, `id="f-Color__c-err"`)
		if n := h.count("Gizmo__c", ""); n != 0 {
			t.Fatalf("failed saves wrote %d gizmos", n)
		}

		// The same on edit: the record keeps its values.
		id := h.create("Gizmo__c", map[string]any{"Name": "Gear", "Code__c": "G-1"})
		b.get("/r/" + string(id) + "/edit")
		p = b.post("/r/"+string(id)+"/edit", url.Values{"Name": {"Gear 2"}, "Code__c": {""}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("edit without a required value: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, `id="f-Code__c-err"`, `value="Gear 2"`)
		if got := h.read("Gizmo__c", id, "Name").Values["Name"]; got != "Gear" {
			t.Errorf("a failed edit changed Name to %v", got)
		}
	})
}

func TestEditCloneDeleteRestore(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		h.gizmo()
		b := h.signIn()
		id := h.create("Gizmo__c", map[string]any{"Name": "Flywheel", "Code__c": "F-1", "Qty__c": 3, "Color__c": "Red"})

		// Edit one tracked field; history shows it.
		p := b.get("/r/" + string(id) + "/edit")
		p.mustContain(t, `value="Flywheel"`, `value="3"`)
		form := url.Values{"Name": {"Flywheel"}, "Code__c": {"F-1"}, "Qty__c": {"5"}, "Color__c": {"Red"}, "Active__c": {"false"}}
		p = b.post("/r/"+string(id)+"/edit", form)
		if p.Status != http.StatusOK || !strings.HasSuffix(strings.Split(p.URL, "?")[0], "/r/"+string(id)) {
			t.Fatalf("edit: %d at %s\n%s", p.Status, p.URL, p.Body)
		}
		p.mustContain(t, "was saved", "History", "Quantity", "3</span> → <span class=\"new\">5", h.adminName())
		if got := h.read("Gizmo__c", id, "Qty__c").Values["Qty__c"]; got != 5.0 {
			t.Errorf("Qty__c = %v after edit", got)
		}
		rows, err := h.env.Records.History(h.env.Ctx, "Gizmo__c", string(id))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Field == "Color__c" {
				t.Errorf("an unchanged field was written: %+v", r)
			}
		}

		// Clone: the new form with the record's values.
		p = b.get("/r/" + string(id) + "/clone")
		p.mustContain(t, `action="/o/Gizmo__c/new"`, `value="Flywheel"`, `value="5"`, `<option value="Red" selected>`)
		form.Set("Name", "Flywheel copy")
		p = b.post("/o/Gizmo__c/new", form)
		m := recordURL.FindStringSubmatch(p.URL)
		if m == nil || rapport.ID(m[1]) == id {
			t.Fatalf("clone save ended at %s", p.URL)
		}

		// Delete to the recycle bin, then restore.
		p = b.post("/r/"+string(id)+"/delete", nil)
		if !strings.Contains(p.URL, "/o/Gizmo__c") || !strings.Contains(p.URL, "recycle+bin") {
			t.Fatalf("delete ended at %s (%d)", p.URL, p.Status)
		}
		if !h.read("Gizmo__c", id).Deleted {
			t.Fatal("the record is not in the recycle bin")
		}
		p = b.get("/r/" + string(id))
		p.mustContain(t, "is in the recycle bin", `action="/r/`+string(id)+`/restore"`)
		if strings.Contains(p.Body, `/r/`+string(id)+`/edit"`) {
			t.Error("a deleted record offers Edit")
		}
		p = b.post("/r/"+string(id)+"/restore", nil)
		if p.Status != http.StatusOK || !strings.Contains(p.URL, "/r/"+string(id)) {
			t.Fatalf("restore: %d at %s", p.Status, p.URL)
		}
		p.mustContain(t, "was restored")
		if h.read("Gizmo__c", id).Deleted {
			t.Fatal("the record is still deleted after restore")
		}
	})
}

func (h *harness) adminName() string {
	h.t.Helper()
	return h.read("User", h.env.Org.UserID, "Name").Values["Name"].(string)
}

func TestActivities(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		acc := h.create("Account", map[string]any{"Name": "Caravan Coalition"})
		con := h.create("Contact", map[string]any{"LastName": "Ortiz", "AccountId": string(acc)})
		b := h.signIn()
		b.get("/r/" + string(acc))

		p := b.htmx("POST", "/r/"+string(acc)+"/log-call", url.Values{"Subject": {"Call"}, "Description": {"Talked about the march"}})
		if p.Status != http.StatusOK {
			t.Fatalf("log a call: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, `id="timeline"`, "Talked about the march")
		res := h.query("SELECT Subject, Status, TaskSubtype, Type, WhatId FROM Task WHERE WhatId = '" + string(acc) + "'")
		if len(res.Records) != 1 {
			t.Fatalf("log a call made %d tasks", len(res.Records))
		}
		for k, want := range map[string]any{"Subject": "Call", "Status": "Completed", "TaskSubtype": "Call", "Type": "Call"} {
			if got, _ := res.Records[0].Get(k); got != want {
				t.Errorf("logged call %s = %v, want %v", k, got, want)
			}
		}

		p = b.htmx("POST", "/r/"+string(acc)+"/task", url.Values{"Subject": {"Book the buses"}, "ActivityDate": {"2031-06-01"}, "Priority": {"High"}})
		if p.Status != http.StatusOK {
			t.Fatalf("new task: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, "Book the buses", "Due Jun 1, 2031")
		if n := h.count("Task", "WhatId = '"+string(acc)+"' AND Priority = 'High' AND ActivityDate = 2031-06-01 AND IsClosed = false"); n != 1 {
			t.Errorf("new task: %d matching tasks", n)
		}
		// A task without a subject is refused, with the form kept.
		p = b.htmx("POST", "/r/"+string(acc)+"/task", url.Values{"Subject": {""}, "ActivityDate": {"2031-06-02"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("task without subject: %d", p.Status)
		}
		p.mustContain(t, "Enter a subject", `value="2031-06-02"`)

		p = b.htmx("POST", "/r/"+string(con)+"/note", url.Values{"Title": {"Prefers email"}, "Body": {"Not before 9"}})
		if p.Status != http.StatusOK {
			t.Fatalf("new note: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, "Prefers email", "Not before 9")
		if n := h.count("Note", "ParentId = '"+string(con)+"'"); n != 1 {
			t.Errorf("new note: %d notes on the contact", n)
		}
		// A contact's call is linked by WhoId.
		b.htmx("POST", "/r/"+string(con)+"/log-call", url.Values{"Subject": {"Call back"}})
		if n := h.count("Task", "WhoId = '"+string(con)+"'"); n != 1 {
			t.Errorf("call on a contact: %d tasks with WhoId", n)
		}
		// The record pages show them.
		p = b.get("/r/" + string(acc))
		p.mustContain(t, "Talked about the march", "Book the buses")
		p = b.get("/r/" + string(con))
		p.mustContain(t, "Call back", "Prefers email")
		// A plain form post (no htmx) goes back to the record.
		p = b.post("/r/"+string(acc)+"/note", url.Values{"Title": {"Plain"}})
		if p.Status != http.StatusOK || !strings.Contains(p.URL, "/r/"+string(acc)) {
			t.Errorf("plain note post: %d at %s", p.Status, p.URL)
		}
	})
}

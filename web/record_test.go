package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/tenant"
)

// create inserts one record as the org's administrator.
func (h *harness) create(object string, values map[string]any) rapport.ID {
	h.t.Helper()
	return h.createAs(h.env.Ctx, object, values)
}

func (h *harness) createAs(ctx context.Context, object string, values map[string]any) rapport.ID {
	h.t.Helper()
	res, err := h.env.Records.Create(ctx, object, []map[string]any{values}, record.WriteOptions{AllOrNone: true})
	if err == nil && res[0].Err != nil {
		err = res[0].Err
	}
	if err != nil {
		h.t.Fatalf("create %s %v: %v", object, values, err)
	}
	return res[0].ID
}

// read reads one record's fields as the administrator, deleted or not.
func (h *harness) read(object string, id rapport.ID, fields ...string) *record.Record {
	h.t.Helper()
	recs, err := h.env.Records.Get(h.env.Ctx, object, []string{string(id)}, fields, true)
	if err != nil || len(recs) != 1 || recs[0] == nil {
		h.t.Fatalf("read %s %s: %v %v", object, id, recs, err)
	}
	return recs[0]
}

// query runs SOQL as the org's administrator.
func (h *harness) query(soql string) *query.Result {
	h.t.Helper()
	access := record.Access{S: h.env.Records}
	q := query.NewService(h.db, h.db.Backend().(query.Dialect), h.env.Records, query.Config{Access: access})
	res, err := q.Run(h.env.Ctx, soql, query.Options{})
	if err != nil {
		h.t.Fatalf("query %s: %v", soql, err)
	}
	return res
}

// count counts the live records of object that match a SOQL condition.
func (h *harness) count(object, where string) int {
	h.t.Helper()
	q := "SELECT COUNT() FROM " + object
	if where != "" {
		q += " WHERE " + where
	}
	return h.query(q).TotalSize
}

// readOnlyUser adds a user with the Read Only profile and returns a
// browser signed in as them.
func (h *harness) readOnlyUser() (*browser, rapport.ID) {
	h.t.Helper()
	name := "reader" + strings.ToLower(string(h.env.Org.OrgID[10:])) + "@web.example"
	id, err := h.env.Tenants.CreateUser(h.env.Ctx, h.env.Org.OrgID, tenant.UserParams{
		Username: name, Password: password, FirstName: "Rita", LastName: "Reader", Profile: "Read Only",
	})
	if err != nil {
		h.t.Fatalf("create Read Only user: %v", err)
	}
	b := h.browser()
	b.signIn(name, password)
	return b, id
}

func TestRecordPage(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		acc := h.create("Account", map[string]any{"Name": "Moscone Events", "Type": "Customer - Direct", "Phone": "+1 415 555 0100",
			"Website": "moscone.example", "BillingStreet": "747 Howard St", "BillingCity": "San Francisco", "BillingState": "CA",
			"BillingPostalCode": "94103", "Description": "Venue for the conference"})
		for _, n := range []string{"Ada", "Grace", "Linus", "Ken", "Rob", "Dennis"} {
			h.create("Contact", map[string]any{"LastName": n + "son", "FirstName": n, "AccountId": string(acc), "Email": strings.ToLower(n) + "@moscone.example"})
		}
		opp := h.create("Opportunity", map[string]any{"Name": "Keynote hall", "AccountId": string(acc), "StageName": "Prospecting", "CloseDate": "2031-05-01", "Amount": 250000})
		h.create("Task", map[string]any{"Subject": "Send the floor plan", "WhatId": string(acc), "Status": "Not Started", "ActivityDate": "2031-01-10"})
		h.create("Task", map[string]any{"Subject": "Kick-off call", "WhatId": string(acc), "Status": "Completed"})
		h.create("Note", map[string]any{"Title": "Loading dock closes at 6", "ParentId": string(acc), "Body": "Ask security for late access."})
		// A call logged on one of the account's contacts shows on the
		// account too.
		floor := h.create("Contact", map[string]any{"LastName": "Manager", "FirstName": "Floor", "AccountId": string(acc), "Email": "floor@moscone.example"})
		h.create("Task", map[string]any{"Subject": "Called the floor manager", "WhoId": string(floor), "Status": "Completed"})

		b := h.signIn()
		p := b.get("/r/" + string(acc))
		if p.Status != http.StatusOK {
			t.Fatalf("GET /r/%s: %d\n%s", acc, p.Status, p.Body)
		}
		p.mustContain(t,
			"Moscone Events", "Customer - Direct", `href="tel:+14155550100"`, // header and details
			"Information", "Billing Address", "747 Howard St", "San Francisco, CA 94103", "System Information", "Created By",
			"Venue for the conference",
			// related lists: 6 contacts, 5 shown, a count, View all, New with the parent
			"Contacts", "View all 7", "/r/"+string(acc)+"/related/Contacts", "/o/Contact/new?AccountId="+string(acc),
			"Opportunities", `href="/r/`+string(opp)+`"`, "Keynote hall",
			// the hierarchy's list, empty and folded to one line
			`<section class="card related is-empty" aria-labelledby="rel-ChildAccounts">`, "Child Accounts",
			// the timeline
			"Send the floor plan", "Kick-off call", "Loading dock closes at 6", "Called the floor manager", "Log a call", "New task", "New note",
			// actions
			`href="/r/`+string(acc)+`/edit"`, `href="/r/`+string(acc)+`/clone"`, `action="/r/`+string(acc)+`/delete"`)
		if strings.Count(p.Body, "@moscone.example</a>") != 5 {
			t.Errorf("the Contacts related list shows %d rows, want 5", strings.Count(p.Body, "@moscone.example</a>"))
		}
		if strings.Index(p.Body, "Send the floor plan") > strings.Index(p.Body, "Past activity") {
			t.Error("the open task is not under Upcoming")
		}

		// View all lists every contact.
		p = b.get("/r/" + string(acc) + "/related/Contacts")
		if p.Status != http.StatusOK || strings.Count(p.Body, "@moscone.example</a>") != 7 {
			t.Fatalf("View all contacts: %d, %d rows\n%s", p.Status, strings.Count(p.Body, "@moscone.example</a>"), p.Body)
		}

		// The opportunity links its account by name.
		p = b.get("/r/" + string(opp))
		p.mustContain(t, `<a href="/r/`+string(acc)+`">Moscone Events</a>`, "Prospecting", "$250,000")
		// Its details start with its name, though the object declares the
		// account first.
		if i := strings.Index(p.Body, `id="details-h"`); i < 0 || !strings.HasPrefix(p.Body[i+strings.Index(p.Body[i:], "<dt>"):], "<dt>Name</dt><dd>Keynote hall</dd>") {
			t.Error("the opportunity's details do not start with its name")
		}

		// An unknown ID is a readable 404.
		if p = b.get("/r/001000000000000AAA"); p.Status != http.StatusNotFound {
			t.Errorf("unknown record: %d", p.Status)
		}
	})
}

func TestReadOnlyUser(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		acc := h.create("Account", map[string]any{"Name": "Read Me Inc"})
		b, _ := h.readOnlyUser()
		p := b.get("/r/" + string(acc))
		if p.Status != http.StatusOK {
			t.Fatalf("read-only GET: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, "Read Me Inc")
		for _, bad := range []string{"/edit\"", "/clone\"", "/delete\"", "Log a call", "New task", "New note", "/o/Contact/new"} {
			if strings.Contains(p.Body, bad) {
				t.Errorf("the Read Only user sees %q", bad)
			}
		}
		p = b.post("/r/"+string(acc)+"/edit", url.Values{"Name": {"Hacked"}})
		if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "access") {
			t.Errorf("read-only POST edit: %d\n%s", p.Status, p.Body)
		}
		if got := h.read("Account", acc, "Name").Values["Name"]; got != "Read Me Inc" {
			t.Errorf("after a refused edit, Name = %v", got)
		}
		p = b.post("/r/"+string(acc)+"/delete", nil)
		if p.Status != http.StatusForbidden {
			t.Errorf("read-only POST delete: %d", p.Status)
		}
		p = b.htmx("POST", "/r/"+string(acc)+"/log-call", url.Values{"Subject": {"Call"}})
		if p.Status != http.StatusForbidden {
			t.Errorf("read-only log a call: %d", p.Status)
		}
		p = b.post("/o/Account/new", url.Values{"Name": {"Nope"}})
		if p.Status != http.StatusForbidden {
			t.Errorf("read-only create: %d", p.Status)
		}
		if n := h.count("Account", "Name = 'Nope' OR Name = 'Hacked'"); n != 0 {
			t.Errorf("refused writes left %d accounts", n)
		}
		if n := h.count("Task", ""); n != 0 {
			t.Errorf("a refused call left %d tasks", n)
		}
	})
}

// An email shows on the timeline of everyone it relates to, through
// EmailMessageRelation, and to a user who may read the record it is on.
func TestEmailOnContacts(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		acc := h.create("Account", map[string]any{"Name": "Mailroom Ltd"})
		from := h.create("Contact", map[string]any{"LastName": "Sender", "AccountId": string(acc), "Email": "sender@mailroom.example"})
		to := h.create("Contact", map[string]any{"LastName": "Receiver", "AccountId": string(acc), "Email": "receiver@mailroom.example"})
		opp := h.create("Opportunity", map[string]any{"Name": "Mail deal", "AccountId": string(acc), "StageName": "Prospecting", "CloseDate": "2031-05-01"})
		msg := h.create("EmailMessage", map[string]any{"Subject": "The contract draft", "TextBody": "Attached, the draft.", "Status": "3",
			"RelatedToId": string(opp), "FromName": "Sam Sender", "FromAddress": "sender@mailroom.example", "ToAddress": "receiver@mailroom.example"})
		h.create("EmailMessageRelation", map[string]any{"EmailMessageId": string(msg), "RelationId": string(from), "RelationType": "FromAddress"})
		h.create("EmailMessageRelation", map[string]any{"EmailMessageId": string(msg), "RelationId": string(to), "RelationType": "ToAddress"})
		// An email on no record the reader can see.
		orphan := h.create("EmailMessage", map[string]any{"Subject": "Private aside", "Status": "3"})
		h.create("EmailMessageRelation", map[string]any{"EmailMessageId": string(orphan), "RelationId": string(to), "RelationType": "ToAddress"})

		if got := h.read("EmailMessageRelation", h.query("SELECT Id FROM EmailMessageRelation WHERE RelationId = '" + string(from) + "'").Records[0].ID,
			"RelationObjectType").Values["RelationObjectType"]; got != "Contact" {
			t.Errorf("RelationObjectType = %v, want Contact", got)
		}
		admin := h.signIn()
		for _, id := range []rapport.ID{from, to} {
			p := admin.get("/r/" + string(id))
			p.mustContain(t, "The contract draft", "From Sam Sender")
		}
		admin.get("/r/"+string(to)).mustContain(t, "Private aside")
		// The account's timeline has the email of its deal.
		admin.get("/r/"+string(acc)).mustContain(t, "The contract draft")

		reader, _ := h.readOnlyUser()
		p := reader.get("/r/" + string(to))
		p.mustContain(t, "The contract draft")
		if strings.Contains(p.Body, "Private aside") {
			t.Error("a Read Only user sees an email on no record they can read")
		}
	})
}

// A tracked lookup's history names the records it pointed at.
func TestHistoryNamesLookups(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		if _, err := h.env.Records.CreateObject(h.env.Ctx, &metadata.Object{
			Name: "Booth__c", Label: "Booth", PluralLabel: "Booths", TrackHistory: true,
			Fields: []*metadata.Field{{Name: "Sponsor__c", Label: "Sponsor", Type: metadata.TypeLookup, ReferenceTo: []string{"Account"},
				ChildRelationshipName: "Booths", TrackHistory: true}},
		}); err != nil {
			t.Fatal(err)
		}
		first := h.create("Account", map[string]any{"Name": "Acme Sponsors"})
		second := h.create("Account", map[string]any{"Name": "Globex Partners"})
		booth := h.create("Booth__c", map[string]any{"Name": "B-12", "Sponsor__c": string(first)})
		if _, err := h.env.Records.Update(h.env.Ctx, "Booth__c", []map[string]any{{"Id": string(booth), "Sponsor__c": string(second)}}, record.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		p := h.signIn().get("/r/" + string(booth))
		p.mustContain(t, "Acme Sponsors</span> → <span class=\"new\">Globex Partners")
	})
}

// A campaign's members are listed by their contact or lead, each a link
// to the member (never a link inside a link), with their status.
func TestCampaignMembersList(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		camp := h.create("Campaign", map[string]any{"Name": "Spring Gala"})
		con := h.create("Contact", map[string]any{"LastName": "Guest", "FirstName": "Gina"})
		lead := h.create("Lead", map[string]any{"LastName": "Prospect", "FirstName": "Pablo", "Company": "Acme"})
		m1 := h.create("CampaignMember", map[string]any{"CampaignId": string(camp), "ContactId": string(con), "Status": "Responded"})
		m2 := h.create("CampaignMember", map[string]any{"CampaignId": string(camp), "LeadId": string(lead)})
		p := h.signIn().get("/r/" + string(camp))
		p.mustContain(t, `<a href="/r/`+string(m1)+`">Gina Guest</a>`, `<a href="/r/`+string(m2)+`">Pablo Prospect</a>`, "Responded")
		if strings.Contains(p.Body, `<a href="/r/`+string(m1)+`"><a`) {
			t.Error("a link inside a link in the members list")
		}
		h.signIn().get("/o/CampaignMember").mustContain(t, "Gina Guest", "Spring Gala", "Lead")
	})
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport"
)

func TestConvertLead(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		lead := h.create("Lead", map[string]any{"FirstName": "Maria", "LastName": "Lopez", "Company": "Caravan Coalition",
			"Email": "maria@caravan.example", "Phone": "+1 555 0142", "Title": "Organizer", "City": "Tijuana"})
		call := h.create("Task", map[string]any{"Subject": "First call with Maria", "WhoId": string(lead), "Status": "Completed"})
		b := h.signIn()

		p := b.get("/r/" + string(lead))
		p.mustContain(t, `href="/r/`+string(lead)+`/convert"`)
		p = b.get("/r/" + string(lead) + "/convert")
		p.mustContain(t, `value="Caravan Coalition"`, `value="Caravan Coalition-"`, "Don't create an opportunity",
			`<option value="Closed - Converted" selected>`, "Maria Lopez")

		// Missing opportunity name: refused, nothing created.
		p = b.post("/r/"+string(lead)+"/convert", url.Values{"AccountMode": {"new"}, "AccountName": {"Caravan Coalition"}, "OpportunityName": {""}, "Status": {"Closed - Converted"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("convert without an opportunity name: %d", p.Status)
		}
		if n := h.count("Account", ""); n != 0 {
			t.Fatalf("a refused conversion created %d accounts", n)
		}

		p = b.post("/r/"+string(lead)+"/convert", url.Values{"AccountMode": {"new"}, "AccountName": {"Caravan Coalition"},
			"OpportunityName": {"Caravan Coalition-Buses"}, "Status": {"Closed - Converted"}})
		if p.Status != http.StatusOK {
			t.Fatalf("convert: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, "was converted", "Lead converted", "Caravan Coalition", "Maria Lopez", "Caravan Coalition-Buses")
		l := h.read("Lead", lead, "IsConverted", "ConvertedAccountId", "ConvertedContactId", "ConvertedOpportunityId", "ConvertedDate", "Status").Values
		if l["IsConverted"] != true || l["Status"] != "Closed - Converted" || l["ConvertedDate"] == nil {
			t.Fatalf("lead after conversion: %v", l)
		}
		acc, _ := l["ConvertedAccountId"].(rapport.ID)
		con, _ := l["ConvertedContactId"].(rapport.ID)
		opp, _ := l["ConvertedOpportunityId"].(rapport.ID)
		if acc == "" || con == "" || opp == "" {
			t.Fatalf("converted IDs: %v", l)
		}
		if got := h.read("Account", acc, "Name", "BillingCity").Values; got["Name"] != "Caravan Coalition" || got["BillingCity"] != "Tijuana" {
			t.Errorf("account: %v", got)
		}
		c := h.read("Contact", con, "FirstName", "LastName", "Email", "Phone", "Title", "AccountId").Values
		if c["FirstName"] != "Maria" || c["LastName"] != "Lopez" || c["Email"] != "maria@caravan.example" || c["Phone"] != "+1 555 0142" || c["Title"] != "Organizer" || c["AccountId"] != acc {
			t.Errorf("contact: %v", c)
		}
		o := h.read("Opportunity", opp, "Name", "AccountId", "StageName", "CloseDate").Values
		if o["Name"] != "Caravan Coalition-Buses" || o["AccountId"] != acc || o["StageName"] == nil || o["CloseDate"] == nil {
			t.Errorf("opportunity: %v", o)
		}
		// The contact is the deal's primary contact, and the lead's call
		// moved to the contact (and so to the account).
		if n := h.count("OpportunityContactRole", "OpportunityId = '"+string(opp)+"' AND ContactId = '"+string(con)+"' AND IsPrimary = true"); n != 1 {
			t.Errorf("%d primary contact roles on the new opportunity, want 1", n)
		}
		if got := h.read("Task", call, "WhoId", "AccountId").Values; got["WhoId"] != con || got["AccountId"] != acc {
			t.Errorf("the lead's call after conversion: %v, want on contact %s and account %s", got, con, acc)
		}
		b.get("/r/"+string(con)).mustContain(t, "First call with Maria")
		// A converted lead offers no second conversion.
		p = b.get("/r/" + string(lead))
		p.mustContain(t, "This lead was converted")
		if strings.Contains(p.Body, `href="/r/`+string(lead)+`/convert"`) {
			t.Error("a converted lead offers Convert")
		}
		if p = b.post("/r/"+string(lead)+"/convert", url.Values{"AccountMode": {"new"}, "AccountName": {"Again"}, "NoOpportunity": {"true"}}); p.Status != http.StatusConflict {
			t.Errorf("converting twice: %d", p.Status)
		}

		// Into an existing account, without an opportunity.
		lead2 := h.create("Lead", map[string]any{"LastName": "Chen", "Company": "Caravan Coalition", "Email": "chen@caravan.example"})
		b.get("/r/" + string(lead2) + "/convert")
		p = b.post("/r/"+string(lead2)+"/convert", url.Values{"AccountMode": {"existing"}, "ExistingAccountId": {string(acc)},
			"AccountName": {"ignored"}, "OpportunityName": {"x"}, "NoOpportunity": {"true"}, "Status": {"Closed - Converted"}})
		if p.Status != http.StatusOK {
			t.Fatalf("convert into an existing account: %d\n%s", p.Status, p.Body)
		}
		l = h.read("Lead", lead2, "IsConverted", "ConvertedAccountId", "ConvertedContactId", "ConvertedOpportunityId").Values
		if l["IsConverted"] != true || l["ConvertedAccountId"] != acc || l["ConvertedOpportunityId"] != nil || l["ConvertedContactId"] == nil {
			t.Fatalf("second lead: %v", l)
		}
		if n := h.count("Account", ""); n != 1 {
			t.Errorf("%d accounts, want 1", n)
		}
		if n := h.count("Opportunity", ""); n != 1 {
			t.Errorf("%d opportunities, want 1", n)
		}
		if n := h.count("Contact", "AccountId = '"+string(acc)+"'"); n != 2 {
			t.Errorf("%d contacts on the account, want 2", n)
		}

		// A Read Only user cannot convert.
		lead3 := h.create("Lead", map[string]any{"LastName": "Park", "Company": "Acme"})
		rb, _ := h.readOnlyUser()
		p = rb.get("/r/" + string(lead3))
		if strings.Contains(p.Body, "/convert\"") {
			t.Error("the Read Only user sees Convert")
		}
		if p = rb.post("/r/"+string(lead3)+"/convert", url.Values{"AccountMode": {"new"}, "AccountName": {"Acme"}, "NoOpportunity": {"true"}}); p.Status != http.StatusForbidden {
			t.Errorf("read-only convert: %d", p.Status)
		}
	})
}

// A failed step undoes the records the steps before it created.
func TestConvertLeadUndo(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		// The lead has no last name problem, but the opportunity name is
		// longer than Opportunity.Name allows: the account and contact
		// made before it must go.
		lead := h.create("Lead", map[string]any{"LastName": "Novak", "Company": "Longname"})
		b := h.signIn()
		b.get("/r/" + string(lead) + "/convert")
		p := b.post("/r/"+string(lead)+"/convert", url.Values{"AccountMode": {"new"}, "AccountName": {"Longname"},
			"OpportunityName": {strings.Repeat("x", 300)}, "Status": {"Closed - Converted"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("failing conversion: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, "Opportunity: ")
		if n := h.query("SELECT COUNT() FROM Account").TotalSize + h.query("SELECT COUNT() FROM Contact").TotalSize; n != 0 {
			t.Errorf("a failed conversion left %d accounts and contacts", n)
		}
		if h.read("Lead", lead, "IsConverted").Values["IsConverted"] != false {
			t.Error("a failed conversion marked the lead converted")
		}
	})
}

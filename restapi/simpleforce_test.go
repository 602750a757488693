package restapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/simpleforce/simpleforce"
)

// TestSimpleforce drives Go's simpleforce client: SOAP login with prefixed
// elements and SOAPAction: login, then Create (with its trailing slash),
// Get, Update and Delete.
func TestSimpleforce(t *testing.T) {
	h := sqliteHarness(t)
	client := simpleforce.NewClient(h.srv.URL, simpleforce.DefaultClientID, simpleforce.DefaultAPIVersion)
	client.SetHttpClient(h.srv.Client())
	if err := client.LoginPassword(h.env.Org.Username, password, ""); err != nil {
		t.Fatalf("LoginPassword: %v", err)
	}
	want(t, "instance", client.GetLoc(), h.srv.URL)
	if err := simpleforce.NewClient(h.srv.URL, simpleforce.DefaultClientID, simpleforce.DefaultAPIVersion).LoginPassword(h.env.Org.Username, "wrong 1", ""); err == nil {
		t.Errorf("LoginPassword with a wrong password succeeded")
	}

	created := client.SObject("Account").Set("Name", "Simple Co").Set("NumberOfEmployees", 12).Create()
	if created == nil || created.ID() == "" {
		t.Fatalf("Create failed")
	}
	id := created.ID()
	got := client.SObject("Account").Get(id)
	if got == nil {
		t.Fatalf("Get %s failed", id)
	}
	want(t, "Name", got.StringField("Name"), "Simple Co")
	want(t, "type", got.Type(), "Account")

	if client.SObject("Account").Set("Id", id).Set("Name", "Simpler Co").Update() == nil {
		t.Fatalf("Update failed")
	}
	want(t, "updated Name", client.SObject("Account").Get(id).StringField("Name"), "Simpler Co")

	if err := client.SObject("Account").Set("Id", id).Delete(); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if client.SObject("Account").Get(id) != nil {
		t.Errorf("Get after Delete found the record")
	}
}

// TestSimpleforceQuery drives simpleforce's Query over more than one batch:
// the first page, then nextRecordsUrl passed back to Query verbatim, and a
// parent reached through SObjectField (which reads attributes.url).
func TestSimpleforceQuery(t *testing.T) {
	h := queryHarness(t)
	const n = 2050
	for i := 0; i < n; i += 200 {
		var recs []string
		for j := i; j < n && j < i+200; j++ {
			recs = append(recs, fmt.Sprintf(`{"attributes":{"type":"Account"},"Name":"SF %04d"}`, j))
		}
		res := h.do("POST", v+"/composite/sobjects", `{"allOrNone":true,"records":[`+strings.Join(recs, ",")+`]}`)
		if res.status != 200 {
			t.Fatalf("insert: %d %s", res.status, res.body)
		}
	}
	client := simpleforce.NewClient(h.srv.URL, simpleforce.DefaultClientID, simpleforce.DefaultAPIVersion)
	client.SetHttpClient(h.srv.Client())
	if err := client.LoginPassword(h.env.Org.Username, password, ""); err != nil {
		t.Fatalf("LoginPassword: %v", err)
	}

	first, err := client.Query("SELECT Id, Name, Owner.Name FROM Account WHERE Name LIKE 'SF %' ORDER BY Name")
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	want(t, "totalSize", first.TotalSize, n)
	want(t, "done", first.Done, false)
	if !strings.HasPrefix(first.NextRecordsURL, "/services/data/v"+simpleforce.DefaultAPIVersion+"/query/") {
		t.Fatalf("nextRecordsUrl = %q", first.NextRecordsURL)
	}
	names := []string{}
	for _, r := range first.Records {
		names = append(names, r.StringField("Name"))
	}
	owner := first.Records[0].SObjectField("User", "Owner")
	if owner == nil {
		t.Fatalf("SObjectField(Owner) = nil")
	}
	want(t, "owner id", owner.ID(), string(h.env.Org.UserID))
	want(t, "owner name", owner.StringField("Name"), "Administrator")

	next := first.NextRecordsURL
	for pages := 1; next != ""; pages++ {
		if pages > 5 {
			t.Fatalf("too many pages")
		}
		page, err := client.Query(next)
		if err != nil {
			t.Fatalf("Query(%s): %v", next, err)
		}
		for _, r := range page.Records {
			names = append(names, r.StringField("Name"))
		}
		next = ""
		if !page.Done {
			next = page.NextRecordsURL
		}
	}
	want(t, "records", len(names), n)
	for i, name := range names {
		if w := fmt.Sprintf("SF %04d", i); name != w {
			t.Fatalf("record %d = %q, want %q", i, name, w)
		}
	}
}

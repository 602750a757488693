package restapi_test

import (
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

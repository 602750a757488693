package restapi_test

import (
	"fmt"
	"net/url"
	"testing"
)

// TestQueryRoutes wires the query service in, as cmd does, and runs the
// calls the sf CLI makes.
func TestQueryRoutes(t *testing.T) {
	h := queryHarness(t)
	for i := 0; i < 3; i++ {
		h.create("Account", fmt.Sprintf(`{"Name":"Q%d","NumberOfEmployees":%d}`, i, i))
	}
	res := h.do("GET", v+"/query?q="+url.QueryEscape("SELECT Id, Name, NumberOfEmployees FROM Account ORDER BY Name"), "")
	want(t, "query status", res.status, 200)
	o := res.obj()
	want(t, "totalSize", fmt.Sprint(o["totalSize"]), "3")
	want(t, "done", o["done"].(bool), true)
	r0 := o["records"].([]any)[0].(map[string]any)
	want(t, "first name", r0["Name"].(string), "Q0")
	res = h.do("GET", v+"/query?q="+url.QueryEscape("SELECT Name FROM Account")+"&columns=true", "")
	want(t, "columns status", res.status, 200)
	if _, ok := res.obj()["columnMetadata"].([]any); !ok {
		t.Errorf("no columnMetadata: %s", res.body)
	}
	res = h.do("GET", v+"/query?q="+url.QueryEscape("SELECT Id FROM ScratchOrgInfo limit 1"), "")
	want(t, "ScratchOrgInfo status", res.status, 400)
	want(t, "ScratchOrgInfo code", res.errorCode(), "INVALID_TYPE")
	res = h.do("GET", v+"/query?q="+url.QueryEscape("SELECT Id FORM Account"), "")
	want(t, "malformed", res.errorCode(), "MALFORMED_QUERY")
	want(t, "bad locator", h.do("GET", v+"/query/nope-2000", "").status, 400)
}

// TestTrailingSlash: Salesforce serves every resource with a trailing
// slash too; jsforce's explain() asks for …/query/?explain=.
func TestTrailingSlash(t *testing.T) {
	h := queryHarness(t)
	h.create("Account", `{"Name":"Slash"}`)
	res := h.do("GET", v+"/query/?q="+url.QueryEscape("SELECT Name FROM Account"), "")
	want(t, "query/ status", res.status, 200)
	want(t, "query/ totalSize", fmt.Sprint(res.obj()["totalSize"]), "1")
	want(t, "limits/ status", h.do("GET", v+"/limits/", "").status, 200)
	res = h.do("GET", v+"/query/?explain="+url.QueryEscape("SELECT Name FROM Account"), "")
	want(t, "explain code", res.errorCode(), "INVALID_OPERATION")
	res = h.do("PUT", v+"/limits/", "{}")
	want(t, "PUT limits/ status", res.status, 405)
	want(t, "unknown/ status", h.do("GET", v+"/nothing/", "").status, 404)
}

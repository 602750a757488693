package restapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/restapi"
)

// customObject makes Session__c with an external ID and a lookup to
// Account through the Tooling API.
func (h *harness) customObject() {
	h.t.Helper()
	for _, tc := range []struct{ path, body string }{
		{"CustomObject", `{"FullName":"Session__c","Metadata":{"label":"Session","pluralLabel":"Sessions","nameField":{"type":"Text","label":"Session Name"}}}`},
		{"CustomField", `{"FullName":"Session__c.Code__c","Metadata":{"type":"Text","label":"Code","length":20,"externalId":true,"unique":true}}`},
		{"CustomField", `{"FullName":"Session__c.Seats__c","Metadata":{"type":"Number","label":"Seats","precision":18,"scale":0}}`},
		{"CustomField", `{"FullName":"Session__c.Tag__c","Metadata":{"type":"Text","label":"Tag","length":20}}`},
		{"CustomField", `{"FullName":"Session__c.Track__c","Metadata":{"type":"Picklist","label":"Track","valueSet":{"restricted":true,"valueSetDefinition":{"value":[{"fullName":"Sales","default":true},{"fullName":"Service"}]}}}}`},
		{"CustomField", `{"FullName":"Session__c.Account__c","Metadata":{"type":"Lookup","label":"Account","referenceTo":"Account","relationshipName":"Sessions"}}`},
	} {
		res := h.do("POST", v+"/tooling/sobjects/"+tc.path, tc.body)
		if res.status != 201 {
			h.t.Fatalf("tooling %s: %d %s", tc.path, res.status, res.body)
		}
	}
}

func TestToolingAndUpsert(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		h.customObject()
		d := h.do("GET", v+"/sobjects/Session__c/describe", "").obj()
		types := map[string]string{}
		for _, f := range d["fields"].([]any) {
			m := f.(map[string]any)
			types[m["name"].(string)] = m["type"].(string)
		}
		want(t, "Seats__c type", types["Seats__c"], "double")
		want(t, "Track__c type", types["Track__c"], "picklist")
		want(t, "Account__c type", types["Account__c"], "reference")
		want(t, "unknown tooling type", h.do("POST", v+"/tooling/sobjects/ApexClass", `{}`).errorCode(), "INVALID_TYPE")
		res := h.do("GET", v+"/tooling/query?q=SELECT+Id+FROM+SandboxProcess", "")
		want(t, "tooling query", res.status, 400)
		want(t, "tooling query code", res.errorCode(), "INVALID_TYPE")
		res = h.do("POST", v+"/tooling/sobjects/CustomField", `{"FullName":"Session__c.Bad","Metadata":{"type":"Text","label":"Bad","length":20}}`)
		want(t, "bad custom name", res.status, 400)

		res = h.do("PATCH", v+"/sobjects/Session__c/Code__c/S-1", `{"Name":"Keynote","Seats__c":"170000"}`)
		want(t, "upsert create", res.status, 201)
		c := res.obj()
		want(t, "created", c["created"].(bool), true)
		id := c["id"].(string)
		res = h.do("PATCH", v+"/sobjects/Session__c/code__c/s-1", `{"Name":"Opening keynote"}`)
		want(t, "upsert update", res.status, 200)
		want(t, "created false", res.obj()["created"].(bool), false)
		want(t, "same id", res.obj()["id"].(string), id)
		want(t, "v45 update", h.do("PATCH", "/services/data/v45.0/sobjects/Session__c/Code__c/S-1", `{"Seats__c":10}`).status, 204)
		res = h.do("GET", v+"/sobjects/Session__c/Code__c/S-1", "")
		want(t, "get by external id", res.status, 200)
		if !strings.Contains(string(res.body), `"Seats__c":10,`) {
			t.Errorf("Seats__c not an integer: %s", res.body)
		}
		want(t, "update only, absent", h.do("PATCH", v+"/sobjects/Session__c/Code__c/S-2?updateOnly=true", `{"Name":"x"}`).status, 404)
		res = h.do("PATCH", v+"/sobjects/Session__c/Tag__c/x", `{"Name":"x"}`)
		want(t, "not external", res.status, 404)
		want(t, "not external code", res.errorCode(), "NOT_FOUND")
		want(t, "get by unknown external id", h.do("GET", v+"/sobjects/Session__c/Code__c/nope", "").status, 404)
	})
}

func TestCollections(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		res := h.do("POST", v+"/composite/sobjects", `{"allOrNone":false,"records":[
			{"attributes":{"type":"Account"},"Name":"A1"},
			{"attributes":{"type":"Contact"},"LastName":"C1"},
			{"attributes":{"type":"Contact"},"FirstName":"no last name"},
			{"attributes":{"type":"Nope"},"Name":"x"}]}`)
		want(t, "create status", res.status, 200)
		l := res.list()
		want(t, "results", len(l), 4)
		ok0, ok1, ok2 := l[0].(map[string]any), l[1].(map[string]any), l[2].(map[string]any)
		want(t, "0 success", ok0["success"].(bool), true)
		want(t, "1 success", ok1["success"].(bool), true)
		want(t, "2 success", ok2["success"].(bool), false)
		want(t, "2 statusCode", ok2["errors"].([]any)[0].(map[string]any)["statusCode"].(string), "REQUIRED_FIELD_MISSING")
		want(t, "3 statusCode", l[3].(map[string]any)["errors"].([]any)[0].(map[string]any)["statusCode"].(string), "INVALID_TYPE")
		a1, c1 := ok0["id"].(string), ok1["id"].(string)

		// allOrNone across objects: the account created first is undone.
		res = h.do("POST", v+"/composite/sobjects", `{"allOrNone":true,"records":[
			{"attributes":{"type":"Account"},"Name":"Rolled back"},
			{"attributes":{"type":"Contact"},"FirstName":"no last name"}]}`)
		l = res.list()
		want(t, "rolled back code", l[0].(map[string]any)["errors"].([]any)[0].(map[string]any)["statusCode"].(string), "ALL_OR_NONE_OPERATION_ROLLED_BACK")
		want(t, "failing code", l[1].(map[string]any)["errors"].([]any)[0].(map[string]any)["statusCode"].(string), "REQUIRED_FIELD_MISSING")

		res = h.do("PATCH", v+"/composite/sobjects", `{"records":[{"attributes":{"type":"Account"},"id":"`+a1+`","Name":"A1b"},{"Id":"`+c1+`","LastName":"C1b"}]}`)
		want(t, "update status", res.status, 200)
		for i, r := range res.list() {
			want(t, fmt.Sprint("update ", i), r.(map[string]any)["success"].(bool), true)
		}
		res = h.do("POST", v+"/composite/sobjects/Account", `{"ids":["`+a1+`","001000000000001AAA"],"fields":["Name"]}`)
		want(t, "retrieve", res.status, 200)
		l = res.list()
		want(t, "retrieved name", l[0].(map[string]any)["Name"].(string), "A1b")
		if l[1] != nil {
			t.Errorf("missing id gave %v", l[1])
		}
		res = h.do("GET", v+"/composite/sobjects/Contact?ids="+c1+"&fields=LastName", "")
		want(t, "GET retrieve", res.list()[0].(map[string]any)["LastName"].(string), "C1b")

		h.customObject()
		res = h.do("PATCH", v+"/composite/sobjects/Session__c/Code__c", `{"allOrNone":false,"records":[
			{"attributes":{"type":"Session__c"},"Code__c":"X1","Name":"one"},
			{"attributes":{"type":"Session__c"},"Code__c":"X2","Name":"two"}]}`)
		want(t, "upsert status", res.status, 200)
		want(t, "upsert created", res.list()[0].(map[string]any)["created"].(bool), true)
		res = h.do("PATCH", v+"/composite/sobjects/Session__c/Code__c", `{"records":[{"attributes":{"type":"Session__c"},"Code__c":"X1","Name":"uno"}]}`)
		want(t, "upsert again", res.list()[0].(map[string]any)["created"].(bool), false)

		res = h.do("DELETE", v+"/composite/sobjects?ids="+a1+","+c1+"&allOrNone=false", "")
		want(t, "delete status", res.status, 200)
		for i, r := range res.list() {
			want(t, fmt.Sprint("delete ", i), r.(map[string]any)["success"].(bool), true)
		}
		over := `{"records":[` + strings.TrimSuffix(strings.Repeat(`{"attributes":{"type":"Account"},"Name":"x"},`, 201), ",") + `]}`
		want(t, "over 200", h.do("POST", v+"/composite/sobjects", over).status, 400)
	})
}

func TestComposite(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		res := h.do("POST", v+"/composite", `{"allOrNone":false,"compositeRequest":[
			{"method":"POST","url":"/services/data/v64.0/sobjects/Account","referenceId":"acct","body":{"Name":"Composite"}},
			{"method":"GET","url":"/services/data/v64.0/sobjects/Account/@{acct.id}","referenceId":"got"},
			{"method":"POST","url":"/services/data/v64.0/sobjects/Contact","referenceId":"ct","body":{"LastName":"Ref","AccountId":"@{got.Id}"}},
			{"method":"POST","url":"/services/data/v64.0/sobjects/Contact","referenceId":"bad","body":{"FirstName":"x"}},
			{"method":"GET","url":"/services/data/v64.0/sobjects/Contact/@{bad.id}","referenceId":"dep"}]}`)
		want(t, "composite status", res.status, 200)
		items := res.obj()["compositeResponse"].([]any)
		codes := []int{201, 200, 201, 400, 400}
		for i, it := range items {
			m := it.(map[string]any)
			want(t, fmt.Sprint("item ", i), fmt.Sprint(m["httpStatusCode"]), fmt.Sprint(codes[i]))
		}
		dep := items[4].(map[string]any)["body"].([]any)[0].(map[string]any)
		want(t, "dependent code", dep["errorCode"].(string), "PROCESSING_HALTED")
		if loc := items[0].(map[string]any)["httpHeaders"].(map[string]any)["Location"]; loc == nil {
			t.Errorf("no Location header")
		}
		acct := items[0].(map[string]any)["body"].(map[string]any)["id"].(string)

		// allOrNone: the update and the create before the failure are undone.
		res = h.do("POST", v+"/composite", `{"allOrNone":true,"compositeRequest":[
			{"method":"PATCH","url":"/services/data/v64.0/sobjects/Account/`+acct+`","referenceId":"upd","body":{"Name":"Changed"}},
			{"method":"POST","url":"/services/data/v64.0/sobjects/Account","referenceId":"new","body":{"Name":"Undone"}},
			{"method":"POST","url":"/services/data/v64.0/sobjects/Contact","referenceId":"bad","body":{"FirstName":"x"}}]}`)
		items = res.obj()["compositeResponse"].([]any)
		want(t, "failed item", fmt.Sprint(items[2].(map[string]any)["httpStatusCode"]), "400")
		halted := items[0].(map[string]any)["body"].([]any)[0].(map[string]any)
		want(t, "halted", halted["errorCode"].(string), "PROCESSING_HALTED")
		want(t, "name restored", h.do("GET", v+"/sobjects/Account/"+acct, "").obj()["Name"].(string), "Composite")

		res = h.do("POST", v+"/composite/batch", `{"haltOnError":true,"batchRequests":[
			{"method":"GET","url":"v64.0/sobjects/Account/`+acct+`"},
			{"method":"GET","url":"v64.0/sobjects/Account/001000000000001AAA"},
			{"method":"GET","url":"v64.0/limits"}]}`)
		want(t, "batch status", res.status, 200)
		b := res.obj()
		want(t, "hasErrors", b["hasErrors"].(bool), true)
		results := b["results"].([]any)
		for i, st := range []string{"200", "404", "412"} {
			want(t, fmt.Sprint("batch ", i), fmt.Sprint(results[i].(map[string]any)["statusCode"]), st)
		}
		want(t, "over 25", h.do("POST", v+"/composite", `{"compositeRequest":[`+strings.TrimSuffix(strings.Repeat(`{"method":"GET","url":"/services/data/v64.0/limits","referenceId":"r"},`, 26), ",")+`]}`).status, 400)
	})
}

func TestTree(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		res := h.do("POST", v+"/composite/tree/Account", `{"records":[
			{"attributes":{"type":"Account","referenceId":"ref1"},"name":"Tree Co","numberOfEmployees":"100",
			 "Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"ref2"},"LastName":"Leaf"}]}},
			{"attributes":{"type":"Account","referenceId":"ref3"},"Name":"Second"}]}`)
		want(t, "tree status", res.status, 201)
		o := res.obj()
		want(t, "hasErrors", o["hasErrors"].(bool), false)
		results := o["results"].([]any)
		want(t, "results", len(results), 3)
		ids := map[string]string{}
		for _, r := range results {
			m := r.(map[string]any)
			ids[m["referenceId"].(string)] = m["id"].(string)
		}
		c := h.do("GET", v+"/sobjects/Contact/"+ids["ref2"], "").obj()
		want(t, "child linked", c["AccountId"].(string), ids["ref1"])

		res = h.do("POST", v+"/composite/tree/Account", `{"records":[
			{"attributes":{"type":"Account","referenceId":"ok"},"Name":"Not kept",
			 "Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"broken"},"FirstName":"x"}]}}]}`)
		want(t, "failed tree status", res.status, 400)
		o = res.obj()
		want(t, "failed hasErrors", o["hasErrors"].(bool), true)
		r0 := o["results"].([]any)[0].(map[string]any)
		want(t, "failed ref", r0["referenceId"].(string), "broken")
		want(t, "failed statusCode", r0["errors"].([]any)[0].(map[string]any)["statusCode"].(string), "REQUIRED_FIELD_MISSING")
		res = h.do("POST", v+"/composite/tree/Account", `{"records":[{"attributes":{"type":"Account","referenceId":"a"},"Name":"x"},{"attributes":{"type":"Account","referenceId":"a"},"Name":"y"}]}`)
		want(t, "duplicate ref", res.status, 400)
	})
}

func TestRequestLimit(t *testing.T) {
	h := newHarness(t, openSQLite(t), restapi.Options{DailyAPIRequests: 3})
	for i := 1; i <= 3; i++ {
		res := h.do("GET", v+"/limits", "")
		want(t, fmt.Sprint("request ", i), res.status, 200)
		want(t, "limit info", res.header.Get("Sforce-Limit-Info"), fmt.Sprintf("api-usage=%d/3", i))
		if i == 3 {
			d := res.obj()["DailyApiRequests"].(map[string]any)
			want(t, "Max", fmt.Sprint(d["Max"]), "3")
			want(t, "Remaining", fmt.Sprint(d["Remaining"]), "0")
		}
	}
	res := h.do("GET", v+"/limits", "")
	want(t, "over the limit", res.status, 403)
	want(t, "code", res.errorCode(), "REQUEST_LIMIT_EXCEEDED")
}

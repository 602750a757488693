package restapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestVersions(t *testing.T) {
	h := sqliteHarness(t)
	res := h.request("GET", "/services/data", "", nil)
	want(t, "versions status", res.status, 200)
	l := res.list()
	first, last := l[0].(map[string]any), l[len(l)-1].(map[string]any)
	want(t, "first version", first["version"].(string), "31.0")
	want(t, "first label", first["label"].(string), "Summer '14")
	want(t, "last version", last["version"].(string), "64.0")
	want(t, "last url", last["url"].(string), "/services/data/v64.0")
	labels := map[string]string{}
	for _, e := range l {
		m := e.(map[string]any)
		labels[m["version"].(string)] = m["label"].(string)
		if len(m["version"].(string)) != 4 {
			t.Errorf("version %q is not two-digit", m["version"])
		}
	}
	for ver, label := range map[string]string{"32.0": "Winter '15", "50.0": "Winter '21", "54.0": "Spring '22", "62.0": "Winter '25", "64.0": "Summer '25"} {
		want(t, "label of "+ver, labels[ver], label)
	}
	want(t, "double slash", h.request("GET", "//services/data", "", nil).status, 200)

	res = h.do("GET", v, "")
	want(t, "resources", res.status, 200)
	m := res.obj()
	for _, k := range []string{"sobjects", "query", "queryAll", "search", "composite", "limits", "tooling", "jobs", "identity", "recent"} {
		if _, ok := m[k]; !ok {
			t.Errorf("resource map lacks %s", k)
		}
	}
	want(t, "identity", m["identity"].(string), h.srv.URL+"/id/"+string(h.env.Org.OrgID)+"/"+string(h.env.Org.UserID))
	for _, p := range []string{"/services/data/v30.0", "/services/data/v99.0", "/services/data/v7.0", "/services/data/latest/sobjects", v + "/nothing"} {
		res := h.do("GET", p, "")
		want(t, p+" status", res.status, 404)
		want(t, p+" code", res.errorCode(), "NOT_FOUND")
	}
	if got := h.do("GET", v+"/limits", "").header.Get("Sforce-Limit-Info"); !strings.HasPrefix(got, "api-usage=") || !strings.HasSuffix(got, "/15000") {
		t.Errorf("Sforce-Limit-Info = %q", got)
	}
}

func TestDescribe(t *testing.T) {
	h := sqliteHarness(t)
	res := h.do("GET", v+"/sobjects", "")
	want(t, "describeGlobal", res.status, 200)
	g := res.obj()
	want(t, "maxBatchSize", fmt.Sprint(g["maxBatchSize"]), "200")
	entryKeys := strings.Fields(`activateable associateEntityType associateParentEntity createable custom customSetting deepCloneable deletable deprecatedAndHidden feedEnabled hasSubtypes isInterface isSubtype keyPrefix label labelPlural layoutable mergeable mruEnabled name queryable replicateable retrieveable searchable triggerable undeletable updateable urls`)
	var account map[string]any
	for _, e := range g["sobjects"].([]any) {
		m := e.(map[string]any)
		for _, k := range entryKeys {
			if _, ok := m[k]; !ok {
				t.Fatalf("entry %v lacks %s", m["name"], k)
			}
		}
		if m["name"] == "Account" {
			account = m
		}
	}
	if account == nil || account["keyPrefix"] != "001" {
		t.Fatalf("no Account entry: %v", account)
	}
	res = h.do("GET", v+"/sobjects/account", "")
	want(t, "basic info", res.status, 200)
	want(t, "basic info name", res.obj()["objectDescribe"].(map[string]any)["name"].(string), "Account")

	res = h.do("GET", v+"/sobjects/Account/describe", "")
	want(t, "describe", res.status, 200)
	d := res.obj()
	for _, k := range append(entryKeys, strings.Fields("actionOverrides childRelationships compactLayoutable fields listviewable lookupLayoutable namedLayoutInfos networkScopeFieldName recordTypeInfos searchLayoutable supportedScopes")...) {
		if _, ok := d[k]; !ok {
			t.Errorf("describe lacks %s", k)
		}
	}
	fieldKeys := strings.Fields(`aggregatable autoNumber byteLength calculated calculatedFormula cascadeDelete caseSensitive compoundFieldName controllerName createable custom defaultValue defaultValueFormula defaultedOnCreate dependentPicklist deprecatedAndHidden digits displayLocationInDecimal encrypted externalId extraTypeInfo filterable filteredLookupInfo groupable highScaleNumber htmlFormatted idLookup inlineHelpText label length mask maskType name nameField namePointing nillable permissionable picklistValues precision queryByDistance referenceTargetField referenceTo relationshipName relationshipOrder restrictedDelete restrictedPicklist scale soapType sortable type unique updateable writeRequiresMasterRead`)
	fields := map[string]map[string]any{}
	for _, f := range d["fields"].([]any) {
		m := f.(map[string]any)
		for _, k := range fieldKeys {
			if _, ok := m[k]; !ok {
				t.Fatalf("field %v lacks %s", m["name"], k)
			}
		}
		fields[m["name"].(string)] = m
	}
	types := map[string][2]string{
		"Id": {"id", "tns:ID"}, "Name": {"string", "xsd:string"}, "NumberOfEmployees": {"int", "xsd:int"},
		"AnnualRevenue": {"currency", "xsd:double"}, "Industry": {"picklist", "xsd:string"}, "OwnerId": {"reference", "tns:ID"},
		"CreatedDate": {"datetime", "xsd:dateTime"}, "IsDeleted": {"boolean", "xsd:boolean"}, "Phone": {"phone", "xsd:string"},
		"Website": {"url", "xsd:string"}, "Description": {"textarea", "xsd:string"},
	}
	for name, tt := range types {
		f := fields[name]
		if f == nil {
			t.Errorf("no field %s", name)
			continue
		}
		want(t, name+" type", f["type"].(string), tt[0])
		want(t, name+" soapType", f["soapType"].(string), tt[1])
	}
	want(t, "Id idLookup", fields["Id"]["idLookup"].(bool), true)
	want(t, "Name nameField", fields["Name"]["nameField"].(bool), true)
	want(t, "Name nillable", fields["Name"]["nillable"].(bool), false)
	want(t, "NumberOfEmployees digits", fmt.Sprint(fields["NumberOfEmployees"]["digits"]), "8")
	want(t, "OwnerId relationshipName", fields["OwnerId"]["relationshipName"].(string), "Owner")
	if len(fields["Industry"]["picklistValues"].([]any)) == 0 {
		t.Errorf("Industry has no picklist values")
	}
	rt := d["recordTypeInfos"].([]any)[0].(map[string]any)
	want(t, "master record type", rt["recordTypeId"].(string), "012000000000000AAA")
	found := false
	for _, c := range d["childRelationships"].([]any) {
		m := c.(map[string]any)
		if m["relationshipName"] == "Contacts" && m["childSObject"] == "Contact" && m["field"] == "AccountId" {
			found = true
		}
	}
	if !found {
		t.Errorf("Account describe lacks the Contacts child relationship")
	}
	for _, p := range []string{"/sobjects/Nope__c/describe", "/sobjects/Nope", "/sobjects/Nope/001000000000000AAA"} {
		res := h.do("GET", v+p, "")
		want(t, p+" status", res.status, 404)
		want(t, p+" code", res.errorCode(), "NOT_FOUND")
	}
}

func TestRecordCRUD(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		res := h.do("POST", v+"/sobjects/Account/", `{"attributes":{"type":"Account"},"name":"Acme","NumberOfEmployees":"5","AnnualRevenue":1250000.4,"Industry":"banking"}`)
		want(t, "create status", res.status, 201)
		c := res.obj()
		id := c["id"].(string)
		want(t, "create success", c["success"].(bool), true)
		if len(id) != 18 || !strings.HasPrefix(id, "001") {
			t.Fatalf("id %q", id)
		}
		if e, ok := c["errors"].([]any); !ok || len(e) != 0 {
			t.Errorf("errors = %v", c["errors"])
		}
		res = h.do("GET", v+"/sobjects/Account/"+id, "")
		want(t, "get status", res.status, 200)
		want(t, "get Content-Type", res.header.Get("Content-Type"), "application/json;charset=UTF-8")
		body := string(res.body)
		for _, frag := range []string{`"NumberOfEmployees":5,`, `"AnnualRevenue":1250000,`, `"Industry":"Banking"`, `"Phone":null`} {
			if !strings.Contains(body, frag) {
				t.Errorf("record lacks %s: %s", frag, body)
			}
		}
		rec := res.obj()
		attrs := rec["attributes"].(map[string]any)
		want(t, "attributes.type", attrs["type"].(string), "Account")
		want(t, "attributes.url", attrs["url"].(string), v+"/sobjects/Account/"+id)
		if cd := rec["CreatedDate"].(string); len(cd) != 28 || !strings.HasSuffix(cd, "+0000") {
			t.Errorf("CreatedDate = %q", cd)
		}
		if !strings.HasPrefix(body, `{"attributes":`) || strings.Index(body, `"Id"`) > strings.Index(body, `"Name"`) {
			t.Errorf("keys out of order: %s", body)
		}
		// 15-character IDs and ?fields=.
		res = h.do("GET", v+"/sobjects/Account/"+id[:15]+"?fields=Name,NumberOfEmployees", "")
		want(t, "get by 15 chars", res.status, 200)
		if m := res.obj(); len(m) != 3 || m["Name"] != "Acme" {
			t.Errorf("?fields= record = %s", res.body)
		}
		want(t, "HEAD", h.do("HEAD", v+"/sobjects/Account/"+id, "").status, 200)

		want(t, "update", h.do("PATCH", v+"/sobjects/Account/"+id, `{"Name":"Acme Corp","Phone":"555","Id":"ignored"}`).status, 204)
		want(t, "updated name", h.do("GET", v+"/sobjects/Account/"+id, "").obj()["Name"].(string), "Acme Corp")

		contact := h.create("Contact", `{"LastName":"Lovelace","Birthdate":"1815-12-10","AccountId":"`+id+`"}`)
		cres := h.do("GET", v+"/sobjects/Contact/"+contact, "").obj()
		want(t, "date", cres["Birthdate"].(string), "1815-12-10")
		want(t, "reference", cres["AccountId"].(string), id)

		want(t, "delete contact", h.do("DELETE", v+"/sobjects/Contact/"+contact, "").status, 204)
		res = h.do("GET", v+"/sobjects/Contact/"+contact, "")
		want(t, "deleted get", res.status, 404)
		want(t, "deleted code", res.errorCode(), "ENTITY_IS_DELETED")
		res = h.do("DELETE", v+"/sobjects/Contact/"+contact, "")
		want(t, "delete twice", res.status, 404)
		want(t, "delete twice code", res.errorCode(), "ENTITY_IS_DELETED")
		res = h.do("PATCH", v+"/sobjects/Contact/"+contact, `{"LastName":"x"}`)
		want(t, "patch deleted code", res.errorCode(), "ENTITY_IS_DELETED")

		want(t, "POST /Id creates", h.do("POST", v+"/sobjects/Account/Id", `{"Name":"Via Id"}`).status, 201)
		// The user the sf CLI reads at login.
		res = h.do("GET", v+"/sobjects/User/"+string(h.env.Org.UserID), "")
		want(t, "User", res.obj()["Username"].(string), h.env.Org.Username)
	})
}

func TestBadInput(t *testing.T) {
	h := sqliteHarness(t)
	acct := h.create("Account", `{"Name":"Acme"}`)
	big := `{"Name":"` + strings.Repeat("x", 11<<20) + `"}`
	cases := []struct {
		name, method, path, ctype, body string
		status                          int
		code                            string
	}{
		{"malformed JSON", "POST", "/sobjects/Account", "application/json", `{"Name":`, 400, "JSON_PARSER_ERROR"},
		{"trailing garbage", "POST", "/sobjects/Account", "application/json", `{"Name":"a"} x`, 400, "JSON_PARSER_ERROR"},
		{"array body", "POST", "/sobjects/Account", "application/json", `[{"Name":"a"}]`, 400, "JSON_PARSER_ERROR"},
		{"empty body", "POST", "/sobjects/Account", "application/json", ``, 400, "JSON_PARSER_ERROR"},
		{"null body", "POST", "/sobjects/Account", "application/json", `null`, 400, "JSON_PARSER_ERROR"},
		{"XML", "POST", "/sobjects/Account", "application/xml", `<Account><Name>a</Name></Account>`, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{"too large", "POST", "/sobjects/Account", "application/json", big, 413, "REQUEST_ENTITY_TOO_LARGE"},
		{"wrong verb", "PUT", "/sobjects/Account/" + acct, "application/json", `{}`, 405, "METHOD_NOT_ALLOWED"},
		{"unknown object", "POST", "/sobjects/Nope__c", "application/json", `{"Name":"a"}`, 404, "NOT_FOUND"},
		{"unknown field", "POST", "/sobjects/Account", "application/json", `{"Name":"a","Nope__c":1}`, 400, "INVALID_FIELD"},
		{"missing required", "POST", "/sobjects/Contact", "application/json", `{"FirstName":"Ada"}`, 400, "REQUIRED_FIELD_MISSING"},
		{"read-only", "POST", "/sobjects/Account", "application/json", `{"Name":"a","CreatedDate":"2020-01-01T00:00:00Z"}`, 400, "INVALID_FIELD_FOR_INSERT_UPDATE"},
		{"bad number", "POST", "/sobjects/Account", "application/json", `{"Name":"a","NumberOfEmployees":"many"}`, 400, "INVALID_TYPE_ON_FIELD_IN_RECORD"},
		{"bad picklist", "POST", "/sobjects/Case", "application/json", `{"Status":"Nope"}`, 400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"},
		{"bad lookup", "POST", "/sobjects/Contact", "application/json", `{"LastName":"a","AccountId":"001000000000000AAA"}`, 400, "INVALID_CROSS_REFERENCE_KEY"},
		{"missing record", "GET", "/sobjects/Account/001000000000001AAA", "", ``, 404, "NOT_FOUND"},
		{"wrong prefix", "GET", "/sobjects/Account/003000000000001AAA", "", ``, 404, "NOT_FOUND"},
		{"non-id", "GET", "/sobjects/Account/hello", "", ``, 404, "NOT_FOUND"},
		{"bad fields", "GET", "/sobjects/Account/" + acct + "?fields=Nope", "", ``, 400, "INVALID_FIELD"},
		{"non-external field", "PATCH", "/sobjects/Account/Name/Acme", "application/json", `{}`, 404, "NOT_FOUND"},
		{"unknown resource", "GET", "/nothing/here", "", ``, 404, "NOT_FOUND"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var res response
			if tc.body != "" {
				res = h.request(tc.method, v+tc.path, tc.ctype, strings.NewReader(tc.body), "Authorization", "Bearer "+h.token)
			} else {
				res = h.request(tc.method, v+tc.path, tc.ctype, nil, "Authorization", "Bearer "+h.token)
			}
			want(t, "status", res.status, tc.status)
			want(t, "errorCode", res.errorCode(), tc.code)
		})
	}
	// Nothing was written by the bad requests.
	var n int
	json.Unmarshal([]byte("0"), &n)
	res := h.do("GET", v+"/sobjects/Account/"+acct, "")
	want(t, "account intact", res.obj()["Name"].(string), "Acme")
	if got := h.env.Records; got == nil {
		t.Fatal("no records")
	}
}

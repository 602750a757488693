package restapi_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/storetest"
)

// TestCrossOrgIsolation: two orgs on one server; no path lets org B's
// administrator read, write, count or learn of org A's records, whatever
// form of A's IDs B guesses.
func TestCrossOrgIsolation(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			db := be.open(t)
			envA := storetest.NewEnv(t, db)
			envB := storetest.NewEnv(t, db)
			q := query.NewService(db, db.Backend().(query.Dialect), envA.Records, query.Config{Access: record.Access{S: envA.Records}})
			a := auth.New(db, envA.Records.IDs(), auth.Options{}, nil, nil)
			srv := httptest.NewServer(server.NewServer(server.Deps{Records: envA.Records, Tenants: envA.Tenants, Auth: a, Query: q}))
			t.Cleanup(srv.Close)
			hA := &harness{t: t, env: envA, srv: srv, auth: a}
			hA.token = hA.login()
			hB := &harness{t: t, env: envB, srv: srv, auth: a}
			hB.token = hB.login()

			id := hA.create("Account", `{"Name":"Org A secret"}`)
			contact := hA.create("Contact", `{"LastName":"Only in A","AccountId":"`+id+`"}`)
			forms := []string{id, id[:15], strings.ToLower(id), strings.ToUpper(id)}
			for _, guess := range forms {
				for _, c := range []struct{ method, path, body string }{
					{"GET", v + "/sobjects/Account/" + guess, ""},
					{"PATCH", v + "/sobjects/Account/" + guess, `{"Name":"hacked"}`},
					{"DELETE", v + "/sobjects/Account/" + guess, ""},
					{"GET", v + "/sobjects/Contact/" + contact, ""},
				} {
					res := hB.do(c.method, c.path, c.body)
					if res.status < 400 || strings.Contains(string(res.body), "Org A secret") {
						t.Errorf("org B %s %s = %d %s", c.method, c.path, res.status, res.body)
					}
				}
				for _, soql := range []string{
					"SELECT Id, Name FROM Account WHERE Id = '" + guess + "'",
					"SELECT COUNT() FROM Account",
					"SELECT Id FROM Contact WHERE AccountId = '" + id + "'",
					"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)",
				} {
					res := hB.do("GET", v+"/query?q="+url.QueryEscape(soql), "")
					if res.status == 200 {
						if n := res.obj()["totalSize"]; n.(interface{ String() string }).String() != "0" {
							t.Errorf("org B query %q: totalSize %v", soql, n)
						}
					}
				}
			}
			res := hB.do("POST", v+"/composite/sobjects/Account", `{"ids":["`+id+`"],"fields":["Name"]}`)
			if strings.Contains(string(res.body), "Org A secret") {
				t.Errorf("org B retrieves org A's record through a collection: %s", res.body)
			}
			res = hB.do("POST", v+"/sobjects/Contact", `{"LastName":"x","AccountId":"`+id+`"}`)
			if res.status < 400 {
				t.Errorf("org B links a record to org A's account: %d %s", res.status, res.body)
			}
			// Org A's record is unchanged and still there.
			res = hA.do("GET", v+"/sobjects/Account/"+id, "")
			if res.status != 200 || res.obj()["Name"] != "Org A secret" {
				t.Errorf("org A's account after org B's attempts: %d %s", res.status, res.body)
			}
			// B's token is no key to A's identity.
			res = hB.do("GET", "/id/"+string(envA.Org.OrgID)+"/"+string(envA.Org.UserID), "")
			if res.status == 200 {
				t.Errorf("org B reads org A's identity: %s", res.body)
			}
		})
	}
}

package query_test

import (
	"fmt"
	"testing"

	"github.com/rapportcrm/rapport/query"
)

func TestSmoke(t *testing.T) {
	for name, mk := range backends(t) {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, name, mk)
			acct := w.create(t, "Account", []map[string]any{{"Name": "Salesforce", "Industry": "Technology"}, {"Name": "RAICES"}})
			w.create(t, "Contact", []map[string]any{{"LastName": "Benioff", "AccountId": string(acct[0])}, {"LastName": "Ryan"}})
			for _, src := range []string{
				"SELECT Id, Name FROM Account ORDER BY Name",
				"SELECT LastName, Account.Name, Account.Owner.Name FROM Contact ORDER BY LastName",
				"SELECT Name, (SELECT LastName FROM Contacts) FROM Account",
				"SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry",
				"SELECT COUNT() FROM Contact",
				"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)",
				"SELECT Name FROM Account WHERE CreatedDate = TODAY AND Name LIKE 'sales%'",
			} {
				sql, args, err := w.q.Compile(w.ctx, src, query.Options{})
				if err != nil {
					t.Fatalf("Compile(%q): %v", src, err)
				}
				t.Logf("%s\n  %s %v", src, sql, args)
				res, err := w.q.Run(w.ctx, src, query.Options{})
				if err != nil {
					t.Fatalf("Run(%q): %v", src, err)
				}
				for _, r := range res.Records {
					t.Logf("  %s %s %s", r.Type, r.ID, dump(r))
				}
			}
		})
	}
}

func dump(r *query.Record) string {
	s := "{"
	for _, v := range r.Fields {
		switch x := v.Value.(type) {
		case *query.Record:
			if x == nil {
				s += v.Name + ":null "
			} else {
				s += v.Name + ":" + dump(x) + " "
			}
		case *query.Result:
			if x == nil {
				s += v.Name + ":null "
			} else {
				s += v.Name + ":["
				for _, c := range x.Records {
					s += dump(c)
				}
				s += "] "
			}
		default:
			s += v.Name + ":" + fmtv(x) + " "
		}
	}
	return s + "}"
}

func fmtv(v any) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(v)
}

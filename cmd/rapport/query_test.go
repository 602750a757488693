package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
)

func TestQuery(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		org := createOrg(t, where, "Dreamforce", "admin@query-"+where[0][2:]+".example")
		db, _ := openStore(t, where)
		recs := record.NewService(db, record.Options{})
		ctx := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: org.OrgID, UserID: org.UserID})
		rs, err := recs.Create(ctx, "Account", []map[string]any{{"Name": "Salesforce", "Industry": "Technology"}, {"Name": "Google"}}, record.WriteOptions{AllOrNone: true})
		if err != nil || rs[0].Err != nil {
			t.Fatal(err, rs)
		}
		if _, err := recs.Create(ctx, "Contact", []map[string]any{{"LastName": "Benioff", "AccountId": string(rs[0].ID)}}, record.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		base := append([]string{"query", "--org", string(org.OrgID)}, where...)

		out := rapportCmd(t, nil, "", append(base, "SELECT Name, Account.Name FROM Contact", "--format", "json")...)
		if out.code != 0 {
			t.Fatalf("json: exit %d: %s", out.code, out.stderr)
		}
		var res struct {
			TotalSize int              `json:"totalSize"`
			Done      bool             `json:"done"`
			Records   []map[string]any `json:"records"`
		}
		if err := json.Unmarshal([]byte(out.stdout), &res); err != nil {
			t.Fatalf("json output: %v", err)
		}
		if res.TotalSize != 1 || !res.Done || res.Records[0]["Name"] != "Benioff" ||
			res.Records[0]["Account"].(map[string]any)["Name"] != "Salesforce" ||
			res.Records[0]["attributes"].(map[string]any)["type"] != "Contact" {
			t.Errorf("json result = %+v", res)
		}
		if strings.Index(out.stdout, `"totalSize"`) > strings.Index(out.stdout, `"records"`) {
			t.Errorf("json keys out of Salesforce's order")
		}

		out = rapportCmd(t, nil, "", append(base, "SELECT Name, Industry FROM Account ORDER BY Name", "--format", "csv")...)
		if out.code != 0 || out.stdout != "Name,Industry\nGoogle,\nSalesforce,Technology\n" {
			t.Errorf("csv: exit %d, stdout %q", out.code, out.stdout)
		}

		out = rapportCmd(t, nil, "", append(base, "SELECT Industry, COUNT(Id) n FROM Account GROUP BY Industry ORDER BY Industry NULLS FIRST", "--format", "table")...)
		lines := strings.Split(strings.TrimSpace(out.stdout), "\n")
		if out.code != 0 || len(lines) != 5 || !strings.HasPrefix(lines[0], "Industry") || !strings.Contains(lines[3], "Technology") ||
			lines[4] != "Total number of records retrieved: 2." {
			t.Errorf("table: exit %d, stdout:\n%s", out.code, out.stdout)
		}

		wantOneErrorLine(t, rapportCmd(t, nil, "", append(base, "SELECT Nope FROM Account")...), 1, `ERROR at Row:1:Column:8: No such column 'Nope' on entity 'Account'`)
		wantOneErrorLine(t, rapportCmd(t, nil, "", append(base, "SELECT Id FORM Account")...), 1, `unexpected token: FORM`)
		wantOneErrorLine(t, rapportCmd(t, nil, "", append(base, "SELECT Id FROM Account", "--user", "ghost@nowhere.example")...), 1, `no user ghost@nowhere.example`)
		wantOneErrorLine(t, rapportCmd(t, nil, "", append([]string{"query", "SELECT Id FROM Account"}, where...)...), 2, `needs --org`)
		wantOneErrorLine(t, rapportCmd(t, nil, "", append(base, "SELECT Id FROM Account", "--format", "xml")...), 2, `--format "xml"`)
		wantOneErrorLine(t, rapportCmd(t, nil, "", base...), 2, `one SOQL query`)
	})
}

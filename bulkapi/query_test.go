package bulkapi_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestQueryJob(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		var b strings.Builder
		b.WriteString("LastName,FirstName,Email\n")
		for i := range 25 {
			fmt.Fprintf(&b, "Q%02d,\"Quote \"\"%d\"\"\",%s\n", i, i, map[bool]string{true: "#N/A", false: fmt.Sprintf("q%d@example.com", i)}[i%5 == 0])
		}
		if _, info := h.ingest(map[string]any{"object": "Contact", "operation": "insert"}, b.String()); info["state"] != "JobComplete" {
			t.Fatalf("load: %v", info)
		}

		res := h.json("POST", v+"/jobs/query", map[string]any{"operation": "query", "query": "SELECT Id, LastName, FirstName, Email, Account.Name FROM Contact WHERE LastName LIKE 'Q%' ORDER BY LastName"})
		if res.status != 200 {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		job := res.obj()
		if job["state"] != "UploadComplete" || job["jobType"] != "V2Query" || job["object"] != "Contact" {
			t.Fatalf("create: %s", res.body)
		}
		id := job["id"].(string)
		if info := h.wait("query", id); info["state"] != "JobComplete" || num(info["numberRecordsProcessed"]) != 25 {
			t.Fatalf("job: %v", info)
		}

		// Without maxRecords: one page, and the literal null locator.
		page := h.json("GET", v+"/jobs/query/"+id+"/results", nil)
		if page.status != 200 || page.header.Get("Sforce-Locator") != "null" || page.header.Get("Sforce-NumberOfRecords") != "25" {
			t.Fatalf("results: %d %v %s", page.status, page.header, page.body)
		}
		rows := page.rows()
		if len(rows) != 26 || strings.Join(rows[0], ",") != "Id,LastName,FirstName,Email,Account.Name" {
			t.Fatalf("rows: %q", rows[:2])
		}
		if rows[1][2] != `Quote "0"` || rows[1][3] != "" || rows[2][3] != "q1@example.com" {
			t.Errorf("values: %q %q", rows[1], rows[2])
		}
		if !strings.HasPrefix(string(page.body), `"Id","LastName"`) || !strings.Contains(string(page.body), `,"Q01","Quote ""1""","q1@example.com",`+"\n") {
			t.Errorf("quoting: %s", page.body[:200])
		}

		// Pages of 10: 10, 10, 5, each with the header; then null.
		var all [][]string
		locator := ""
		for n := 0; ; n++ {
			path := v + "/jobs/query/" + id + "/results?maxRecords=10"
			if locator != "" {
				path += "&locator=" + locator
			}
			p := h.json("GET", path, nil)
			rows := p.rows()
			if p.status != 200 || rows[0][0] != "Id" {
				t.Fatalf("page %d: %d %s", n, p.status, p.body)
			}
			all = append(all, rows[1:]...)
			locator = p.header.Get("Sforce-Locator")
			if want := []string{"10", "10", "5"}[n]; p.header.Get("Sforce-NumberOfRecords") != want {
				t.Errorf("page %d: %s records, want %s", n, p.header.Get("Sforce-NumberOfRecords"), want)
			}
			if locator == "null" {
				break
			}
			if n > 3 || locator == "" {
				t.Fatalf("locator %q after page %d", locator, n)
			}
		}
		if len(all) != 25 || all[24][1] != "Q24" {
			t.Errorf("paged rows: %d, last %q", len(all), all[len(all)-1])
		}
		if p := h.json("GET", v+"/jobs/query/"+id+"/results?locator=bogus", nil); p.status != 400 || p.errorCode() != "INVALID_QUERY_LOCATOR" {
			t.Errorf("bad locator: %d %s", p.status, p.body)
		}

		// queryAll sees deleted records; bad SOQL fails at creation.
		if p := h.json("POST", v+"/jobs/query", map[string]any{"operation": "query", "query": "SELECT Nope FROM Contact"}); p.status != 400 || p.errorCode() != "INVALID_FIELD" {
			t.Errorf("bad field: %d %s", p.status, p.body)
		}
		if p := h.json("POST", v+"/jobs/query", map[string]any{"operation": "query", "query": "SELECT Id, (SELECT Id FROM Contacts) FROM Account"}); p.status != 400 {
			t.Errorf("subquery: %d %s", p.status, p.body)
		}
		if p := h.json("DELETE", v+"/jobs/query/"+id, nil); p.status != 204 {
			t.Errorf("delete: %d %s", p.status, p.body)
		}
		if p := h.json("GET", v+"/jobs/query/"+id+"/results", nil); p.status != 404 {
			t.Errorf("results of deleted: %d %s", p.status, p.body)
		}
	})
}

package bulkapi_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportcrm/rapport/metadata"
)

func TestIngestInsert(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		// Quoting (a delimiter and a newline inside quotes, "" for a
		// quote), #N/A, a bad email and a missing required field.
		data := "FirstName,LastName,Email,Description\n" +
			"Ada,Lovelace,ada@example.com,\"Analyst, \"\"Engine\"\"\nsecond line\"\n" +
			"Grace,Hopper,#N/A,\n" +
			"Bad,Email,not-an-email,x\n" +
			"NoLast,,nolast@example.com,y\n" +
			"Alan,Turing,alan@example.com,z\n"
		id, info := h.ingest(map[string]any{"object": "Contact", "operation": "insert"}, data)
		if info["state"] != "JobComplete" || num(info["numberRecordsProcessed"]) != 5 || num(info["numberRecordsFailed"]) != 2 {
			t.Fatalf("job: %v", info)
		}
		ok := h.results(id, "successfulResults")
		if diff := cmp.Diff([]string{"sf__Id", "sf__Created", "FirstName", "LastName", "Email", "Description"}, ok[0]); diff != "" {
			t.Errorf("successful header (-want +got):\n%s", diff)
		}
		if len(ok) != 4 {
			t.Fatalf("successful rows: %q", ok)
		}
		for _, r := range ok[1:] {
			if !strings.HasPrefix(r[0], "003") || len(r[0]) != 18 || r[1] != "true" {
				t.Errorf("successful row %q", r)
			}
		}
		if ok[1][5] != "Analyst, \"Engine\"\nsecond line" {
			t.Errorf("quoted value came back as %q", ok[1][5])
		}
		bad := h.results(id, "failedResults")
		if len(bad) != 3 || bad[0][0] != "sf__Id" || bad[0][1] != "sf__Error" {
			t.Fatalf("failed: %q", bad)
		}
		if want := "INVALID_EMAIL_ADDRESS:"; !strings.HasPrefix(bad[1][1], want) || !strings.HasSuffix(bad[1][1], ":Email --") || bad[1][0] != "" {
			t.Errorf("bad email row: %q", bad[1])
		}
		if want := "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"; bad[2][1] != want {
			t.Errorf("sf__Error = %q, want %q", bad[2][1], want)
		}
		if un := h.results(id, "unprocessedrecords"); len(un) != 1 {
			t.Errorf("unprocessed: %q", un)
		}
		recs := h.soql("SELECT FirstName, Email, Description FROM Contact WHERE LastName IN ('Lovelace','Hopper','Turing') ORDER BY LastName")
		if len(recs) != 3 || recs[0]["Email"] != nil || recs[1]["Description"] != "Analyst, \"Engine\"\nsecond line" {
			t.Errorf("records: %v", recs)
		}
	})
}

func TestStates(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		// Unknown object, bad operation, bad delimiter.
		for _, spec := range []map[string]any{
			{"object": "Nope__c", "operation": "insert"},
			{"object": "Contact", "operation": "merge"},
			{"object": "Contact", "operation": "insert", "columnDelimiter": "SPACE"},
			{"object": "Contact", "operation": "upsert"},
		} {
			if res := h.json("POST", v+"/jobs/ingest", spec); res.status != 400 || res.errorCode() != "INVALIDJOB" {
				t.Errorf("create %v: %d %s", spec, res.status, res.body)
			}
		}
		if res := h.json("GET", v+"/jobs/ingest/7500000000000000AAA", nil); res.status != 404 || res.errorCode() != "NOT_FOUND" {
			t.Errorf("unknown job: %d %s", res.status, res.body)
		}

		id := h.createIngest(map[string]any{"object": "Account", "operation": "insert"})
		// An Open job cannot be deleted, nor have its results read as final.
		if res := h.json("DELETE", v+"/jobs/ingest/"+id, nil); res.status != 400 || res.errorCode() != "INVALIDJOBSTATE" {
			t.Errorf("delete open: %d %s", res.status, res.body)
		}
		if res := h.json("PATCH", v+"/jobs/ingest/"+id, map[string]string{"state": "JobComplete"}); res.status != 400 || res.errorCode() != "INVALIDJOBSTATE" {
			t.Errorf("patch to JobComplete: %d %s", res.status, res.body)
		}
		h.upload(id, "Name\nOne\nTwo\n")
		if res := h.do("PUT", v+"/jobs/ingest/"+id+"/batches", "text/csv", strings.NewReader("Name\nThree\n")); res.status != 400 || res.errorCode() != "INVALIDJOB" {
			t.Errorf("second upload: %d %s", res.status, res.body)
		}
		h.close("ingest", id)
		if res := h.json("PATCH", v+"/jobs/ingest/"+id, map[string]string{"state": "UploadComplete"}); res.status != 400 || res.errorCode() != "INVALIDJOBSTATE" {
			t.Errorf("close twice: %d %s", res.status, res.body)
		}
		if res := h.do("PUT", v+"/jobs/ingest/"+id+"/batches", "text/csv", strings.NewReader("Name\nFour\n")); res.status != 400 || res.errorCode() != "INVALIDJOBSTATE" {
			t.Errorf("upload after close: %d %s", res.status, res.body)
		}
		if info := h.wait("ingest", id); info["state"] != "JobComplete" || num(info["numberRecordsProcessed"]) != 2 {
			t.Errorf("job: %v", info)
		}
		if res := h.json("PATCH", v+"/jobs/ingest/"+id, map[string]string{"state": "Aborted"}); res.status != 400 || res.errorCode() != "INVALIDJOBSTATE" {
			t.Errorf("abort complete: %d %s", res.status, res.body)
		}

		// Listing shows the job.
		res := h.json("GET", v+"/jobs/ingest", nil)
		if res.status != 200 || res.obj()["done"] != true || !strings.Contains(string(res.body), id) {
			t.Errorf("list: %d %s", res.status, res.body)
		}
		if res := h.json("DELETE", v+"/jobs/ingest/"+id, nil); res.status != 204 {
			t.Errorf("delete: %d %s", res.status, res.body)
		}
		if res := h.json("GET", v+"/jobs/ingest/"+id, nil); res.status != 404 {
			t.Errorf("get deleted: %d %s", res.status, res.body)
		}

		// Abort an Open job: nothing is written, everything is unprocessed.
		id = h.createIngest(map[string]any{"object": "Account", "operation": "insert"})
		h.upload(id, "Name\nAborted One\n")
		res = h.json("PATCH", v+"/jobs/ingest/"+id, map[string]string{"state": "Aborted"})
		if res.status != 200 || res.obj()["state"] != "Aborted" {
			t.Fatalf("abort: %d %s", res.status, res.body)
		}
		if res := h.json("PATCH", v+"/jobs/ingest/"+id, map[string]string{"state": "UploadComplete"}); res.status != 400 || res.errorCode() != "INVALIDJOBSTATE" {
			t.Errorf("close aborted: %d %s", res.status, res.body)
		}
		if un := h.results(id, "unprocessedrecords"); len(un) != 2 || un[1][0] != "Aborted One" {
			t.Errorf("unprocessed: %q", un)
		}
		if n := h.count("SELECT Id FROM Account WHERE Name = 'Aborted One'"); n != 0 {
			t.Errorf("aborted job wrote %d records", n)
		}

		// A body over the limit is refused.
		small := newHarness(t, backends[0], bulkapiOptions(100))
		id = small.createIngest(map[string]any{"object": "Account", "operation": "insert"})
		res = small.do("PUT", v+"/jobs/ingest/"+id+"/batches", "text/csv", strings.NewReader("Name\n"+strings.Repeat("x", 200)+"\n"))
		if res.status != 413 || res.errorCode() != "REQUEST_ENTITY_TOO_LARGE" {
			t.Errorf("too large: %d %s", res.status, res.body)
		}
	})
}

func TestBadData(t *testing.T) {
	cases := []struct {
		name  string
		spec  map[string]any
		data  string
		error string // the job's errorMessage prefix
	}{
		{"unbalanced quote", nil, "LastName,Email\nOne,a@example.com\n\"Two,b@example.com\nThree,c@example.com\n", "ClientInputError : Invalid CSV"},
		{"bare quote", nil, "LastName,Email\nOn\"e,a@example.com\n", "ClientInputError : Invalid CSV"},
		{"unknown column", nil, "LastName,Shoe_Size__c\nOne,4\n", "InvalidBatch : Field name not found : Shoe_Size__c"},
		{"wrong delimiter", nil, "LastName;Email\nOne;a@example.com\n", "InvalidBatch : Field name not found : LastName;Email"},
		{"wrong line ending", nil, "LastName,Email\r\nOne,a@example.com\r\n", "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF"},
		{"polymorphic prefix on a plain lookup", nil, "LastName,Account:Account.Name\nOne,Acme\n", "InvalidBatch : Field name not valid : Account:Account.Name : type is not needed for non polymorphic foreign key references"},
		{"no data", nil, "", "ClientInputError"},
	}
	onBackends(t, func(t *testing.T, h *harness) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				spec := map[string]any{"object": "Contact", "operation": "insert"}
				for k, x := range tc.spec {
					spec[k] = x
				}
				before := h.count("SELECT Id FROM Contact")
				id := h.createIngest(spec)
				if tc.data != "" {
					h.upload(id, tc.data)
				}
				h.close("ingest", id)
				info := h.wait("ingest", id)
				msg, _ := info["errorMessage"].(string)
				if info["state"] != "Failed" || !strings.HasPrefix(msg, tc.error) {
					t.Errorf("job: %v; want Failed with %q", info, tc.error)
				}
				if n := h.count("SELECT Id FROM Contact"); n != before {
					t.Errorf("a failed job wrote %d records", n-before)
				}
			})
		}
	})
}

func TestCSVRules(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		h.addField("Account", &metadata.Field{Name: "ExtId__c", Label: "Ext Id", Type: metadata.TypeText, Length: 40, ExternalID: true, Unique: true})

		// Delimiters and CRLF.
		for _, tc := range []struct{ delim, sep, eol string }{
			{"TAB", "\t", "LF"}, {"SEMICOLON", ";", "CRLF"}, {"PIPE", "|", "LF"}, {"CARET", "^", "LF"}, {"BACKQUOTE", "`", "CRLF"},
		} {
			nl := "\n"
			if tc.eol == "CRLF" {
				nl = "\r\n"
			}
			data := "Name" + tc.sep + "ExtId__c" + tc.sep + "Description" + nl +
				"Acme " + tc.delim + tc.sep + "ext-" + tc.delim + tc.sep + "\"has " + tc.sep + " inside\"" + nl
			id, info := h.ingest(map[string]any{"object": "Account", "operation": "insert", "columnDelimiter": tc.delim, "lineEnding": tc.eol}, data)
			if info["state"] != "JobComplete" || num(info["numberRecordsFailed"]) != 0 || info["columnDelimiter"] != tc.delim || info["lineEnding"] != tc.eol {
				t.Errorf("%s: %v", tc.delim, info)
				continue
			}
			res := h.json("GET", v+"/jobs/ingest/"+id+"/successfulResults", nil)
			if !strings.Contains(string(res.body), `"has `+tc.sep+` inside"`) {
				t.Errorf("%s: results %s", tc.delim, res.body)
			}
		}
		recs := h.soql("SELECT Description FROM Account WHERE ExtId__c = 'ext-PIPE'")
		if len(recs) != 1 || recs[0]["Description"] != "has | inside" {
			t.Errorf("PIPE record: %v", recs)
		}

		// Relationship columns through an external ID, and a parent that
		// is not there.
		id, info := h.ingest(map[string]any{"object": "Contact", "operation": "insert"},
			"LastName,Account.ExtId__c\nChild One,ext-TAB\nChild Two,EXT-tab\nOrphan,ext-missing\nNo Parent,\n")
		if info["state"] != "JobComplete" || num(info["numberRecordsFailed"]) != 1 {
			t.Fatalf("relationship job: %v", info)
		}
		bad := h.results(id, "failedResults")
		if len(bad) != 2 || bad[1][1] != "INVALID_FIELD:Foreign key external ID: ext-missing not found for field ExtId__c in entity Account:AccountId --" {
			t.Errorf("failed: %q", bad)
		}
		kids := h.soql("SELECT LastName, Account.ExtId__c FROM Contact WHERE LastName LIKE 'Child%' ORDER BY LastName")
		if len(kids) != 2 {
			t.Fatalf("children: %v", kids)
		}
		for _, k := range kids {
			acc, _ := k["Account"].(map[string]any)
			if acc == nil || acc["ExtId__c"] != "ext-TAB" {
				t.Errorf("child %v", k)
			}
		}

		// Update: an empty value leaves the field, #N/A clears it.
		ok := h.results(id, "successfulResults")
		one, two := ok[1][0], ok[2][0]
		id, info = h.ingest(map[string]any{"object": "Contact", "operation": "update"},
			"Id,Title,AccountId\n"+one+",Boss,\n"+two+",,#N/A\n003000000000000AAA,X,\n")
		if info["state"] != "JobComplete" || num(info["numberRecordsFailed"]) != 1 {
			t.Fatalf("update job: %v", info)
		}
		ok = h.results(id, "successfulResults")
		if len(ok) != 3 || ok[1][1] != "false" {
			t.Errorf("update results: %q", ok)
		}
		got := h.soql("SELECT LastName, Title, AccountId FROM Contact WHERE Id IN ('" + one + "','" + two + "') ORDER BY LastName")
		if got[0]["Title"] != "Boss" || got[0]["AccountId"] == nil || got[1]["AccountId"] != nil || got[1]["Title"] != nil {
			t.Errorf("after update: %v", got)
		}

		// Upsert by external ID: one update, one insert, and a key twice in
		// one chunk (both fail).
		id, info = h.ingest(map[string]any{"object": "Account", "operation": "upsert", "externalIdFieldName": "ExtId__c"},
			"ExtId__c,Name\next-dup,Dup A\next-dup,Dup B\next-TAB,Renamed\next-new,New One\n")
		if info["state"] != "JobComplete" || info["externalIdFieldName"] != "ExtId__c" || num(info["numberRecordsFailed"]) != 2 {
			t.Fatalf("upsert job: %v", info)
		}
		ok = h.results(id, "successfulResults")
		created := map[string]string{}
		for _, r := range ok[1:] {
			created[r[2]] = r[1]
		}
		if diff := cmp.Diff(map[string]string{"ext-TAB": "false", "ext-new": "true"}, created); diff != "" {
			t.Errorf("upsert sf__Created (-want +got):\n%s", diff)
		}
		if n := h.count("SELECT Id FROM Account WHERE Name = 'Renamed'"); n != 1 {
			t.Errorf("renamed: %d", n)
		}

		// Delete and hard delete.
		ids := []string{}
		for _, r := range h.soql("SELECT Id FROM Contact WHERE LastName LIKE 'Child%'") {
			ids = append(ids, r["Id"].(string))
		}
		sort.Strings(ids)
		id, info = h.ingest(map[string]any{"object": "Contact", "operation": "delete"}, "Id\n"+ids[0]+"\n001000000000000AAA\n")
		if info["state"] != "JobComplete" || num(info["numberRecordsFailed"]) != 1 {
			t.Fatalf("delete job: %v", info)
		}
		if bad := h.results(id, "failedResults"); len(bad) != 2 || !strings.HasPrefix(bad[1][1], "MALFORMED_ID:") {
			t.Errorf("delete failures: %q", bad)
		}
		_, info = h.ingest(map[string]any{"object": "Contact", "operation": "hardDelete"}, "Id\n"+ids[0]+"\n"+ids[1]+"\n")
		if info["state"] != "JobComplete" || num(info["numberRecordsFailed"]) != 0 {
			t.Fatalf("hard delete job: %v", info)
		}
		if n := h.count("SELECT Id FROM Contact WHERE LastName LIKE 'Child%'"); n != 0 {
			t.Errorf("children left: %d", n)
		}
	})
}

// TestAbortInProgress aborts a running job: chunks written stay written
// and reported, the rest are unprocessed, and nothing is in both.
func TestAbortInProgress(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		var b strings.Builder
		b.WriteString("LastName\n")
		const rows = 3000
		for i := range rows {
			fmt.Fprintf(&b, "Abort%04d\n", i)
		}
		id := h.createIngest(map[string]any{"object": "Contact", "operation": "insert"})
		h.upload(id, b.String())
		h.close("ingest", id)
		for {
			res := h.json("GET", v+"/jobs/ingest/"+id, nil)
			if m := res.obj(); num(m["numberRecordsProcessed"]) > 0 || m["state"] == "JobComplete" {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		res := h.json("PATCH", v+"/jobs/ingest/"+id, map[string]string{"state": "Aborted"})
		if res.status != 200 || res.obj()["state"] != "Aborted" {
			t.Fatalf("abort: %d %s", res.status, res.body)
		}
		time.Sleep(300 * time.Millisecond) // a chunk under way finishes
		info := h.wait("ingest", id)
		ok := h.results(id, "successfulResults")
		un := h.results(id, "unprocessedrecords")
		if len(ok)-1+len(un)-1 != rows || len(un) < 2 {
			t.Fatalf("%d written + %d unprocessed, want %d with some unprocessed", len(ok)-1, len(un)-1, rows)
		}
		if n := h.count("SELECT Id FROM Contact WHERE LastName LIKE 'Abort%'"); n != len(ok)-1 || num(info["numberRecordsProcessed"]) > n {
			t.Errorf("%d stored, %d reported written, info %v", n, len(ok)-1, info)
		}
		seen := map[string]bool{}
		for _, r := range ok[1:] {
			seen[r[2]] = true
		}
		for _, r := range un[1:] {
			if seen[r[0]] {
				t.Errorf("%s is both written and unprocessed", r[0])
			}
		}
	})
}

package search_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/sosl"
)

// TestIndexFollowsWrites checks that the index follows creates, updates,
// deletes, undeletes and hard deletes in the same transaction.
func TestIndexFollowsWrites(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		o := s.newOrg(t)
		ids := o.create(t, "Contact", map[string]any{"FirstName": "Ada", "LastName": "Lovelace", "Email": "ada@engine.example"})
		id := string(ids[0])
		has := func(term string, want bool) {
			t.Helper()
			got := o.find(t, "FIND {"+term+"} RETURNING Contact(Name)")
			if found := len(got) == 1 && got[0].ID == ids[0]; found != want {
				t.Errorf("FIND {%s} = %v, want found %v", term, names(got, "Name"), want)
			}
		}
		has("Lovelace", true)
		has("ada@engine.example", true)

		o.update(t, "Contact", map[string]any{"Id": id, "LastName": "Byron"})
		has("Lovelace", false)
		has("Byron", true)
		has("Ada Byron", true)

		// A change to a field the index does not hold leaves it alone.
		o.update(t, "Contact", map[string]any{"Id": id, "Birthdate": "1815-12-10"})
		has("Byron", true)

		if _, err := o.records.Delete(o.ctx, []string{id}, record.WriteOptions{AllOrNone: true}); err != nil {
			t.Fatal(err)
		}
		has("Byron", false)
		if _, err := o.records.Undelete(o.ctx, []string{id}, record.WriteOptions{AllOrNone: true}); err != nil {
			t.Fatal(err)
		}
		has("Byron", true)
		if _, err := o.records.HardDelete(o.ctx, []string{id}, record.WriteOptions{AllOrNone: true}); err != nil {
			t.Fatal(err)
		}
		has("Byron", false)

		// Deleting an account takes its cascaded records out too, and
		// undeleting it brings them back.
		acct := o.create(t, "Account", map[string]any{"Name": "Analytical Engines"})[0]
		o.create(t, "Opportunity", map[string]any{"Name": "Difference Engine", "AccountId": string(acct), "StageName": "Prospecting", "CloseDate": "2027-01-01"})
		if got := o.find(t, "FIND {engine*} RETURNING Account(Name), Opportunity(Name)"); len(got) != 2 {
			t.Fatalf("before delete: %v", names(got, "Name"))
		}
		if _, err := o.records.Delete(o.ctx, []string{string(acct)}, record.WriteOptions{AllOrNone: true}); err != nil {
			t.Fatal(err)
		}
		if got := o.find(t, "FIND {engine*} RETURNING Account(Name), Opportunity(Name)"); len(got) != 0 {
			t.Errorf("after delete: %v", names(got, "Name"))
		}
		if _, err := o.records.Undelete(o.ctx, []string{string(acct)}, record.WriteOptions{AllOrNone: true}); err != nil {
			t.Fatal(err)
		}
		if got := o.find(t, "FIND {engine*} RETURNING Account(Name), Opportunity(Name)"); len(got) != 2 {
			t.Errorf("after undelete: %v", names(got, "Name"))
		}
	})
}

// TestRollback checks that a write that fails leaves the index as it was.
func TestRollback(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		o := s.newOrg(t)
		_, err := o.records.Create(o.ctx, "Contact", []map[string]any{
			{"LastName": "Babbage"},
			{"FirstName": "No last name"},
		}, record.WriteOptions{AllOrNone: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := o.find(t, "FIND {Babbage}"); len(got) != 0 {
			t.Errorf("FIND {Babbage} after a rolled back create = %d records", len(got))
		}
	})
}

// fixture creates the records most tests search.
func fixture(t *testing.T, o *org) {
	o.create(t, "Account",
		map[string]any{"Name": "Acme Corporation", "Industry": "Energy", "Phone": "(415) 555-1212"},
		map[string]any{"Name": "Acme Widgets", "Industry": "Manufacturing"},
		map[string]any{"Name": "Globex", "Industry": "Energy", "Description": "Bought Acme's rocket division"},
	)
	o.create(t, "Contact",
		map[string]any{"FirstName": "Jane", "LastName": "Smith", "Email": "jane.smith@acme.example", "Phone": "415-555-0101"},
		map[string]any{"FirstName": "John", "LastName": "Smyth", "Email": "john@globex.example"},
		map[string]any{"FirstName": "Joe", "LastName": "Smythe", "Title": "Orbit planner"},
		map[string]any{"FirstName": "Sam", "LastName": "Smithers", "MobilePhone": "+1 (650) 555 7777"},
		map[string]any{"FirstName": "Maria", "LastName": "Schmidt", "MailingCity": "Zürich"},
		map[string]any{"FirstName": "Orbit", "LastName": "Jones"},
		map[string]any{"LastName": "Zed", "Email": "orbit@space.example"},
	)
}

func TestScopes(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		o := s.newOrg(t)
		fixture(t, o)
		tests := []struct {
			src  string
			want []string
		}{
			{"FIND {orbit} RETURNING Contact(LastName)", []string{"Jones", "Smythe", "Zed"}},
			{"FIND {orbit} IN ALL FIELDS RETURNING Contact(LastName)", []string{"Jones", "Smythe", "Zed"}},
			{"FIND {orbit} IN SIDEBAR FIELDS RETURNING Contact(LastName)", []string{"Jones", "Smythe", "Zed"}},
			{"FIND {orbit} IN NAME FIELDS RETURNING Contact(LastName)", []string{"Jones"}},
			{"FIND {orbit} IN EMAIL FIELDS RETURNING Contact(LastName)", []string{"Zed"}},
			{"FIND {orbit} IN PHONE FIELDS RETURNING Contact(LastName)", nil},
			{"FIND {acme} IN EMAIL FIELDS RETURNING Contact(LastName)", []string{"Smith"}},
			{"FIND {4155550101} IN PHONE FIELDS RETURNING Contact(LastName)", []string{"Smith"}},
			{"FIND {415-555-0101} IN PHONE FIELDS RETURNING Contact(LastName)", []string{"Smith"}},
			{"FIND {555} IN PHONE FIELDS RETURNING Contact(LastName)", []string{"Smith", "Smithers"}},
			{"FIND {6505557777} IN PHONE FIELDS RETURNING Contact(LastName)", nil},
			{"FIND {16505557777} IN PHONE FIELDS RETURNING Contact(LastName)", []string{"Smithers"}},
			{"FIND {(415) 555-1212} IN PHONE FIELDS RETURNING Account(Name), Contact(LastName)", []string{"Acme Corporation"}},
			{"FIND {smith} IN EMAIL FIELDS RETURNING Contact(LastName)", []string{"Smith"}},
		}
		for _, tc := range tests {
			if got := sorted(o.find(t, tc.src), lastOrName(tc.src)); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("%s = %q, want %q", tc.src, got, tc.want)
			}
		}
	})
}

// lastOrName picks the field a test's search returns.
func lastOrName(src string) string {
	if strings.Contains(src, "Account(Name)") {
		return "Name"
	}
	return "LastName"
}

func TestTermSyntax(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		o := s.newOrg(t)
		fixture(t, o)
		tests := []struct {
			term string
			want []string
		}{
			{`Smith`, []string{"Smith"}},
			{`smith`, []string{"Smith"}},
			{`"Jane Smith"`, []string{"Smith"}},
			{`"Smith Jane"`, nil},
			{`Jane Smith`, []string{"Smith"}},
			{`Smith Jane`, []string{"Smith"}},
			{`Jane AND Smyth`, nil},
			{`Smith OR Smyth`, []string{"Smith", "Smyth"}},
			{`Sm*`, []string{"Smith", "Smithers", "Smyth", "Smythe"}},
			{`Smith*`, []string{"Smith", "Smithers"}},
			{`Sm?th`, []string{"Smith", "Smyth"}},
			{`Sm?th*`, []string{"Smith", "Smithers", "Smyth", "Smythe"}},
			{`Sm*e`, []string{"Smythe"}},
			{`S*t`, []string{"Schmidt"}},
			{`"J* Smyth*"`, []string{"Smyth", "Smythe"}},
			{`Jo* AND NOT Smythe`, []string{"Jones", "Smyth"}},
			{`Jo* NOT Smythe`, []string{"Jones", "Smyth"}},
			{`Jo* AND NOT (Smythe OR Orbit)`, []string{"Smyth"}},
			{`Sm* AND NOT (Jane OR Joe)`, []string{"Smithers", "Smyth"}},
			{`(Jane OR Joe) AND Sm*`, []string{"Smith", "Smythe"}},
			{`Jane OR Joe Smythe`, []string{"Smith", "Smythe"}},
			{`Zurich`, []string{"Schmidt"}},
			{`Zürich`, []string{"Schmidt"}},
			{`ZÜRICH`, []string{"Schmidt"}},
			{`jane.smith@acme.example`, []string{"Smith"}},
			{`"jane.smith@acme.example"`, []string{"Smith"}},
			{`jane\.smith`, []string{"Smith"}},
			{`Smith\*`, []string{"Smith"}},
			{`Jane - Smith`, []string{"Smith"}},
			{`"and" OR Zed`, []string{"Zed"}},
		}
		for _, tc := range tests {
			src := "FIND {" + tc.term + "} RETURNING Contact(LastName)"
			if got := sorted(o.find(t, src), "LastName"); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("FIND {%s} = %q, want %q", tc.term, got, tc.want)
			}
		}
	})
}

func TestReturning(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		o := s.newOrg(t)
		fixture(t, o)

		// Fields, WHERE and ORDER BY; objects in RETURNING order.
		got := o.find(t, "FIND {Acme} RETURNING Account(Name, Industry WHERE Industry = 'Energy' ORDER BY Name DESC), Contact(LastName, Email)")
		var rows [][2]string
		for _, r := range got {
			first := r.Fields[0].Value.(string)
			second, _ := r.Fields[1].Value.(string)
			rows = append(rows, [2]string{r.Type + ":" + first, second})
			if r.ID == "" {
				t.Errorf("record %s has no Id", first)
			}
		}
		want := [][2]string{{"Account:Globex", "Energy"}, {"Account:Acme Corporation", "Energy"}, {"Contact:Smith", "jane.smith@acme.example"}}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("RETURNING with fields (-want +got):\n%s", diff)
		}
		if keys := fieldNames(got[0]); !slices.Equal(keys, []string{"Name", "Industry"}) {
			t.Errorf("Account fields = %v, want Name, Industry", keys)
		}

		// LIMIT and OFFSET of one object, with ORDER BY.
		got = o.find(t, "FIND {Sm*} RETURNING Contact(LastName ORDER BY LastName LIMIT 2 OFFSET 1)")
		if n := names(got, "LastName"); !slices.Equal(n, []string{"Smithers", "Smyth"}) {
			t.Errorf("LIMIT 2 OFFSET 1 = %q", n)
		}
		// The same without ORDER BY: by relevance, two of them.
		got = o.find(t, "FIND {Sm*} RETURNING Contact(LastName LIMIT 2 OFFSET 1)")
		if len(got) != 2 {
			t.Errorf("LIMIT 2 OFFSET 1 by relevance = %q", names(got, "LastName"))
		}

		// The overall LIMIT: the first object fills it first.
		got = o.find(t, "FIND {Acme} RETURNING Account(Name ORDER BY Name), Contact(LastName) LIMIT 2")
		if n := names(got, "Name"); !slices.Equal(n, []string{"Acme Corporation", "Acme Widgets"}) {
			t.Errorf("LIMIT 2 = %q", n)
		}
		got = o.find(t, "FIND {Acme} RETURNING Account(Name ORDER BY Name LIMIT 1), Contact(LastName) LIMIT 2")
		if len(got) != 2 || got[0].Type != "Account" || got[1].Type != "Contact" {
			t.Errorf("LIMIT 2 over two objects = %v", got)
		}

		// Without fields, the Id; without RETURNING, every searchable
		// object's records, Id only.
		got = o.find(t, "FIND {Globex}")
		types := map[string]int{}
		for _, r := range got {
			types[r.Type]++
			if keys := fieldNames(r); !slices.Equal(keys, []string{"Id"}) {
				t.Errorf("default RETURNING fields of %s = %v, want Id", r.Type, keys)
			}
		}
		if !maps(types, map[string]int{"Account": 1, "Contact": 1}) {
			t.Errorf("FIND {Globex} types = %v", types)
		}

		// Relevance: a match in the name ranks above one in other text.
		got = o.find(t, "FIND {rocket OR Widgets} RETURNING Account(Name)")
		if n := names(got, "Name"); !slices.Equal(n, []string{"Acme Widgets", "Globex"}) {
			t.Errorf("relevance order = %q", n)
		}

		// WHERE that keeps none, and a term that matches none.
		if got := o.find(t, "FIND {Acme} RETURNING Account(Name WHERE Industry = 'Banking')"); len(got) != 0 {
			t.Errorf("WHERE that keeps none = %d records", len(got))
		}
		if got := o.find(t, "FIND {Nothingmatches} RETURNING Account(Name)"); len(got) != 0 {
			t.Errorf("a term that matches none = %d records", len(got))
		}
		// A term longer than 10,000 characters finds nothing.
		if got := o.find(t, "FIND {"+strings.Repeat("acme ", 2001)+"}"); len(got) != 0 {
			t.Errorf("a long term = %d records", len(got))
		}
		// Parent paths and functions go through the query service.
		got = o.find(t, "FIND {Orbit} IN NAME FIELDS RETURNING Contact(Name, toLabel(LeadSource), Account.Name)")
		if len(got) != 1 || fieldNames(got[0])[2] != "Account" {
			t.Errorf("parent path = %v", got)
		}
	})
}

func fieldNames(r *query.Record) []string {
	var out []string
	for _, v := range r.Fields {
		out = append(out, v.Name)
	}
	return out
}

func maps(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestErrors(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		o := s.newOrg(t)
		fixture(t, o)
		tests := []struct {
			src  string
			code rapport.Code
			msg  string
		}{
			{"FIND {a}", rapport.InvalidSearch, "search term must be longer than one character"},
			{"FIND {a*}", rapport.InvalidSearch, "search term must be longer than one character"},
			{"FIND {}", rapport.InvalidSearch, "search term must be longer than one character"},
			{"FIND {Acme RETURNING Account", rapport.MalformedSearch, "ERROR at Row:1:Column:29"},
			{"FIND {Acme} RETURNING Account(Id WHERE)", rapport.MalformedSearch, "unexpected token: )"},
			{"FIND {Acme} RETURNING Nope__c", rapport.InvalidType, "sObject type 'Nope__c' is not supported"},
			{"FIND {Acme} RETURNING Profile", rapport.InvalidType, "does not support search"},
			{"FIND {Acme} RETURNING Account(Nope)", rapport.InvalidField, "No such column 'Nope' on entity 'Account'"},
			{"FIND {Nothingmatches} RETURNING Account(Nope)", rapport.InvalidField, "No such column 'Nope' on entity 'Account'"},
			{"FIND {Acme} RETURNING Account(Id WHERE Nope = 1)", rapport.InvalidField, "No such column 'Nope'"},
			{"FIND {Acme} RETURNING Account(Id ORDER BY Name LIMIT 1 OFFSET 2001)", rapport.NumberOutsideValidRange, "Maximum SOSL offset allowed is 2000"},
		}
		for _, tc := range tests {
			_, err := o.search.Search(o.ctx, tc.src)
			var re *rapport.Error
			if !errors.As(err, &re) || re.Code != tc.code || !strings.Contains(re.Message, tc.msg) {
				t.Errorf("Search(%q) = %v, want %s with %q", tc.src, err, tc.code, tc.msg)
			}
		}
		if _, err := o.search.Search(context.Background(), "FIND {Acme}"); err == nil {
			t.Error("Search without a principal succeeded")
		}
	})
}

func TestCrossOrg(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		a, b := s.newOrg(t), s.newOrg(t)
		a.create(t, "Account", map[string]any{"Name": "Initech"})
		b.create(t, "Account", map[string]any{"Name": "Initrode"})
		if got := names(a.find(t, "FIND {Init*} RETURNING Account(Name)"), "Name"); !slices.Equal(got, []string{"Initech"}) {
			t.Errorf("org A finds %q", got)
		}
		if got := names(b.find(t, "FIND {Init*} RETURNING Account(Name)"), "Name"); !slices.Equal(got, []string{"Initrode"}) {
			t.Errorf("org B finds %q", got)
		}
		if got := b.find(t, "FIND {Initech}"); len(got) != 0 {
			t.Errorf("org B finds org A's record: %v", got)
		}
	})
}

// TestCustomObjects checks that custom objects are searchable, their text
// fields indexed, a long text area only up to the cap, and that a purged
// object leaves the index.
func TestCustomObjects(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		o := s.newOrg(t)
		if _, err := o.records.CreateObject(o.ctx, &metadata.Object{Name: "Session__c", Fields: []*metadata.Field{
			{Name: "Track__c", Type: metadata.TypePicklist, Picklist: &metadata.Picklist{Values: []metadata.PicklistValue{{Value: "Keynote"}, {Value: "Breakout"}}}},
			{Name: "Abstract__c", Type: metadata.TypeLongTextArea, Length: 131072},
			{Name: "Speaker_Email__c", Type: metadata.TypeEmail},
			{Name: "Capacity__c", Type: metadata.TypeNumber, Precision: 6},
		}}); err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("filler ", 6000) + "needle"
		o.create(t, "Session__c",
			map[string]any{"Name": "Opening", "Track__c": "Keynote", "Abstract__c": "Rockets and robots", "Speaker_Email__c": "ceo@dreamforce.example", "Capacity__c": 170000},
			map[string]any{"Name": "Deep dive", "Track__c": "Breakout", "Abstract__c": long, "Capacity__c": 40},
		)
		for _, tc := range []struct {
			src  string
			want []string
		}{
			{"FIND {keynote} RETURNING Session__c(Name)", []string{"Opening"}},
			{"FIND {robots} RETURNING Session__c(Name)", []string{"Opening"}},
			{"FIND {dreamforce} IN EMAIL FIELDS RETURNING Session__c(Name)", []string{"Opening"}},
			{"FIND {filler} RETURNING Session__c(Name WHERE Capacity__c < 100)", []string{"Deep dive"}},
			{"FIND {needle} RETURNING Session__c(Name)", nil},
			{"FIND {Opening} RETURNING Session__c(Name, Track__c WHERE Track__c = 'Keynote')", []string{"Opening"}},
		} {
			if got := names(o.find(t, tc.src), "Name"); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("%s = %q, want %q", tc.src, got, tc.want)
			}
		}
		if err := o.records.DeleteObject(o.ctx, "Session__c"); err != nil {
			t.Fatal(err)
		}
		if err := o.records.PurgeObject(o.ctx, "Session__c"); err != nil {
			t.Fatal(err)
		}
		if _, err := o.search.Search(o.ctx, "FIND {keynote} RETURNING Session__c"); rapport.ErrorCode(err) != rapport.InvalidType {
			t.Errorf("search of a purged object = %v, want INVALID_TYPE", err)
		}
		if got := o.find(t, "FIND {keynote}"); len(got) != 0 {
			t.Errorf("a purged object's records are found: %v", got)
		}
	})
}

// TestBackfill checks that the records of an org migrated from a layout
// without the index are indexed when it is migrated.
func TestBackfill(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		o := s.newOrg(t)
		fixture(t, o)
		o.exec(t, "DELETE FROM %s_search")
		if got := o.find(t, "FIND {Acme}"); len(got) != 0 {
			t.Fatalf("the index still has %d records", len(got))
		}
		o.exec(t, "INSERT INTO %s_meta (key, value) VALUES ('search_backfill', 1)")
		if err := s.db.MigrateOrg(context.Background(), o.id); err != nil {
			t.Fatal(err)
		}
		if got := sorted(o.find(t, "FIND {Acme} RETURNING Account(Name), Contact(Name)"), "Name"); !slices.Equal(got, []string{"Acme Corporation", "Acme Widgets", "Globex", "Jane Smith"}) {
			t.Errorf("after the backfill FIND {Acme} = %q", got)
		}
		// It runs once.
		o.exec(t, "DELETE FROM %s_search")
		if err := s.db.MigrateOrg(context.Background(), o.id); err != nil {
			t.Fatal(err)
		}
		if got := o.find(t, "FIND {Acme}"); len(got) != 0 {
			t.Errorf("the backfill ran twice: %d records", len(got))
		}
	})
}

// TestRecordAccess checks that a user finds only the records the query
// service lets them read.
func TestRecordAccess(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		o := s.newOrg(t)
		if _, err := o.records.CreateObject(o.ctx, &metadata.Object{Name: "Deal__c"}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.records.UpdateObject(o.ctx, "Deal__c", &metadata.Object{SharingModel: metadata.SharingPrivate}); err != nil {
			t.Fatal(err)
		}
		res, err := o.q.Run(o.ctx, "SELECT Id FROM Profile WHERE Name = 'Standard User'", query.Options{})
		if err != nil || len(res.Records) != 1 {
			t.Fatalf("standard profile: %v %v", res, err)
		}
		user := o.create(t, "User", map[string]any{
			"Username": "rep@" + s.name + ".search.example", "LastName": "Rep", "Email": "rep@search.example", "Alias": "rep",
			"ProfileId": string(res.Records[0].ID), "TimeZoneSidKey": "America/Los_Angeles", "LocaleSidKey": "en_US",
			"LanguageLocaleKey": "en_US", "EmailEncodingKey": "UTF-8",
		})[0]
		rep := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: o.id, UserID: user})
		o.create(t, "Deal__c", map[string]any{"Name": "Secret merger"})
		o.createAs(t, rep, "Deal__c", map[string]any{"Name": "Public merger"})

		if got := sorted(o.find(t, "FIND {merger} RETURNING Deal__c(Name)"), "Name"); !slices.Equal(got, []string{"Public merger", "Secret merger"}) {
			t.Errorf("the administrator finds %q", got)
		}
		if got := names(o.findAs(t, rep, "FIND {merger} RETURNING Deal__c(Name)"), "Name"); !slices.Equal(got, []string{"Public merger"}) {
			t.Errorf("the rep finds %q", got)
		}
		if got := o.findAs(t, rep, "FIND {secret}"); len(got) != 0 {
			t.Errorf("the rep finds %d records for a word only in a record they cannot read", len(got))
		}
	})
}

func TestParameterized(t *testing.T) {
	onBackends(t, func(t *testing.T, s *store) {
		o := s.newOrg(t)
		fixture(t, o)
		ps := &sosl.Parameterized{Q: "Acme", Fields: []string{"Name"}, SObjects: []sosl.ParamObject{
			{Name: "Account", Where: "Industry = 'Energy'", OrderBy: "Name"},
			{Name: "Contact", Limit: 1},
		}}
		got, err := o.search.Parameterized(o.ctx, ps)
		if err != nil {
			t.Fatal(err)
		}
		if n := names(got, "Name"); !slices.Equal(n, []string{"Acme Corporation", "Globex", "Jane Smith"}) {
			t.Errorf("parameterized search = %q", n)
		}
		_, err = o.search.Parameterized(o.ctx, &sosl.Parameterized{Q: "Acme", SObjects: []sosl.ParamObject{{Name: "Account", Where: "Name ="}}})
		if rapport.ErrorCode(err) != rapport.MalformedSearch {
			t.Errorf("parameterized search with a bad where = %v, want MALFORMED_SEARCH", err)
		}
	})
}

package query_test

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
)

// The fixture, also kept in Go so that expected results are computed
// independently of the SQL.
type account struct {
	id       rapport.ID
	name     string
	industry string
	revenue  float64 // 0 = null
	city     string
	contacts []*contact
}

type contact struct {
	id        rapport.ID
	last      string
	first     string
	acct      *account
	source    string // "" = null
	birthdate string
}

type opp struct {
	id     rapport.ID
	name   string
	acct   *account
	stage  string
	amount float64
	close  string
}

type fixture struct {
	*world
	accts    []*account
	contacts []*contact
	opps     []*opp
	widgets  map[string]rapport.ID // name → id
}

var industries = []string{"Technology", "Energy", "Banking", ""}
var sources = []string{"Web", "Phone Inquiry", "Partner Referral", ""}
var stages = []string{"Prospecting", "Qualification", "Closed Won", "Closed Lost"}

func newFixture(t *testing.T, name string, mk func(t testing.TB) dialect) *fixture {
	w := newWorld(t, name, mk)
	f := &fixture{world: w, widgets: map[string]rapport.ID{}}
	var recs []map[string]any
	for i := 0; i < 40; i++ {
		a := &account{name: fmt.Sprintf("Account %02d", i), industry: industries[i%4], city: []string{"San Francisco", "New York", "Paris"}[i%3]}
		if i%5 == 0 {
			a.name = strings.ToLower(a.name) // sorting ignores case
		}
		if i%7 != 0 {
			a.revenue = float64(i * 1000)
		}
		m := map[string]any{"Name": a.name, "BillingCity": a.city}
		if a.industry != "" {
			m["Industry"] = a.industry
		}
		if a.revenue != 0 {
			m["AnnualRevenue"] = a.revenue
		}
		f.accts = append(f.accts, a)
		recs = append(recs, m)
	}
	for i, id := range w.create(t, "Account", recs) {
		f.accts[i].id = id
	}
	recs = nil
	for i := 0; i < 300; i++ {
		c := &contact{last: fmt.Sprintf("Last%03d", (i*37)%300), first: fmt.Sprintf("First%d", i%17), source: sources[i%4],
			birthdate: fixedNow.AddDate(-30, 0, -i).Format("2006-01-02")}
		m := map[string]any{"LastName": c.last, "FirstName": c.first, "Birthdate": c.birthdate}
		if i%10 != 0 {
			c.acct = f.accts[i%40]
			c.acct.contacts = append(c.acct.contacts, c)
			m["AccountId"] = string(c.acct.id)
		}
		if c.source != "" {
			m["LeadSource"] = c.source
		}
		f.contacts = append(f.contacts, c)
		recs = append(recs, m)
	}
	for i, id := range w.create(t, "Contact", recs) {
		f.contacts[i].id = id
	}
	recs = nil
	today := fixedNow.In(mustLoc("America/Los_Angeles"))
	for i := 0; i < 80; i++ {
		o := &opp{name: fmt.Sprintf("Opp %02d", i), acct: f.accts[i%40], stage: stages[i%4], amount: float64(1000 * (i + 1)),
			close: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, i-40).Format("2006-01-02")}
		f.opps = append(f.opps, o)
		recs = append(recs, map[string]any{"Name": o.name, "AccountId": string(o.acct.id), "StageName": o.stage, "Amount": o.amount, "CloseDate": o.close})
	}
	for i, id := range w.create(t, "Opportunity", recs) {
		f.opps[i].id = id
	}
	if _, err := w.records.CreateObject(w.ctx, &metadata.Object{Name: "Widget__c", Fields: []*metadata.Field{
		{Name: "Sizes__c", Type: metadata.TypeMultiPicklist, Picklist: &metadata.Picklist{Values: []metadata.PicklistValue{{Value: "S", Label: "Small"}, {Value: "M", Label: "Medium"}, {Value: "L", Label: "Large"}}}},
		{Name: "Color__c", Type: metadata.TypePicklist, Picklist: &metadata.Picklist{Values: []metadata.PicklistValue{{Value: "R", Label: "Red"}, {Value: "G", Label: "Green"}}}},
	}}); err != nil {
		t.Fatal(err)
	}
	for _, wd := range []struct{ name, sizes string }{{"w-none", ""}, {"w-s", "S"}, {"w-sm", "S;M"}, {"w-ml", "M;L"}, {"w-sml", "S;M;L"}} {
		m := map[string]any{"Name": wd.name, "Color__c": "R"}
		if wd.sizes != "" {
			m["Sizes__c"] = wd.sizes
		}
		f.widgets[wd.name] = w.create(t, "Widget__c", []map[string]any{m})[0]
	}
	return f
}

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func (f *fixture) run(t *testing.T, src string) *query.Result {
	t.Helper()
	res, err := f.q.Run(f.ctx, src, query.Options{})
	if err != nil {
		t.Fatalf("Run(%q): %v", src, err)
	}
	return res
}

func ids(res *query.Result) []rapport.ID {
	out := make([]rapport.ID, len(res.Records))
	for i, r := range res.Records {
		out[i] = r.ID
	}
	return out
}

func sortedIDs(in []rapport.ID) []rapport.ID {
	out := append([]rapport.ID(nil), in...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func eqIDs(t *testing.T, src string, got, want []rapport.ID, ordered bool) {
	t.Helper()
	if !ordered {
		got, want = sortedIDs(got), sortedIDs(want)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s\n got %d ids %v\nwant %d ids %v", src, len(got), got, len(want), want)
	}
}

func TestSemantics(t *testing.T) {
	for name, mk := range backends(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, name, mk)
			t.Run("records", f.testRecords)
			t.Run("relationships", f.testRelationships)
			t.Run("aggregates", f.testAggregates)
			t.Run("dates", f.testDates)
			t.Run("paging", f.testPaging)
			t.Run("errors", f.testErrors)
			t.Run("deleted", f.testDeleted)
		})
	}
}

func (f *fixture) acctIDs(keep func(a *account) bool, less func(a, b *account) bool) []rapport.ID {
	var as []*account
	for _, a := range f.accts {
		if keep(a) {
			as = append(as, a)
		}
	}
	if less != nil {
		sort.SliceStable(as, func(i, j int) bool {
			if less(as[i], as[j]) {
				return true
			}
			if less(as[j], as[i]) {
				return false
			}
			return as[i].id < as[j].id
		})
	}
	out := make([]rapport.ID, len(as))
	for i, a := range as {
		out[i] = a.id
	}
	return out
}

func (f *fixture) contactIDs(keep func(c *contact) bool) []rapport.ID {
	var out []rapport.ID
	for _, c := range f.contacts {
		if keep(c) {
			out = append(out, c.id)
		}
	}
	return out
}

func (f *fixture) testRecords(t *testing.T) {
	byName := func(a, b *account) bool { return strings.ToLower(a.name) < strings.ToLower(b.name) }
	cases := []struct {
		src     string
		want    []rapport.ID
		ordered bool
	}{
		{"SELECT Id FROM Account WHERE Industry = 'technology' ORDER BY Name", f.acctIDs(func(a *account) bool { return a.industry == "Technology" }, byName), true},
		{"select id from account where industry != 'Technology' order by name desc", reverse(f.acctIDs(func(a *account) bool { return a.industry != "Technology" }, byName)), false},
		{"SELECT Id FROM Account WHERE Industry = null", f.acctIDs(func(a *account) bool { return a.industry == "" }, nil), false},
		{"SELECT Id FROM Account WHERE Industry != null", f.acctIDs(func(a *account) bool { return a.industry != "" }, nil), false},
		{"SELECT Id FROM Account WHERE NOT Industry = 'Energy'", f.acctIDs(func(a *account) bool { return a.industry != "Energy" }, nil), false},
		{"SELECT Id FROM Account WHERE NOT (Industry = 'Energy' OR AnnualRevenue > 20000)", f.acctIDs(func(a *account) bool { return a.industry != "Energy" && !(a.revenue > 20000) }, nil), false},
		{"SELECT Id FROM Account WHERE AnnualRevenue >= 10000 AND AnnualRevenue < 20000", f.acctIDs(func(a *account) bool { return a.revenue >= 10000 && a.revenue < 20000 }, nil), false},
		{"SELECT Id FROM Account WHERE Industry IN ('Energy', 'banking')", f.acctIDs(func(a *account) bool { return a.industry == "Energy" || a.industry == "Banking" }, nil), false},
		{"SELECT Id FROM Account WHERE Industry NOT IN ('Energy', 'Banking')", f.acctIDs(func(a *account) bool { return a.industry != "Energy" && a.industry != "Banking" }, nil), false},
		{"SELECT Id FROM Account WHERE Industry IN ('Energy', null)", f.acctIDs(func(a *account) bool { return a.industry == "Energy" || a.industry == "" }, nil), false},
		{"SELECT Id FROM Account WHERE Name LIKE 'account 1%'", f.acctIDs(func(a *account) bool { return strings.HasPrefix(strings.ToLower(a.name), "account 1") }, nil), false},
		{"SELECT Id FROM Account WHERE (NOT Name LIKE '%0_')", f.acctIDs(func(a *account) bool { return a.name[len(a.name)-2] != '0' }, nil), false},
		{"SELECT Id FROM Account WHERE AnnualRevenue = null OR BillingCity = 'Paris'", f.acctIDs(func(a *account) bool { return a.revenue == 0 || a.city == "Paris" }, nil), false},
		{"SELECT Id FROM Account ORDER BY AnnualRevenue DESC NULLS LAST, Name LIMIT 10", f.acctIDs(func(*account) bool { return true }, func(a, b *account) bool {
			if (a.revenue == 0) != (b.revenue == 0) {
				return b.revenue == 0
			}
			if a.revenue != b.revenue {
				return a.revenue > b.revenue
			}
			return strings.ToLower(a.name) < strings.ToLower(b.name)
		})[:10], true},
		{"SELECT Id FROM Account ORDER BY AnnualRevenue LIMIT 3", f.acctIDs(func(*account) bool { return true }, func(a, b *account) bool {
			if (a.revenue == 0) != (b.revenue == 0) {
				return a.revenue == 0 // nulls first by default
			}
			return a.revenue < b.revenue
		})[:3], true},
		{"SELECT Id FROM Account ORDER BY Name LIMIT 5 OFFSET 3", f.acctIDs(func(*account) bool { return true }, byName)[3:8], true},
	}
	for _, tc := range cases {
		eqIDs(t, tc.src, ids(f.run(t, tc.src)), tc.want, tc.ordered)
	}
	// Multi-select picklists.
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{"SELECT Id FROM Widget__c WHERE Sizes__c INCLUDES ('S')", []string{"w-s", "w-sm", "w-sml"}},
		{"SELECT Id FROM Widget__c WHERE Sizes__c INCLUDES ('S;M', 'L')", []string{"w-sm", "w-ml", "w-sml"}},
		{"SELECT Id FROM Widget__c WHERE Sizes__c EXCLUDES ('S')", []string{"w-none", "w-ml"}},
		{"SELECT Id FROM Widget__c WHERE Sizes__c = 'M;S'", nil},
		{"SELECT Id FROM Widget__c WHERE Sizes__c = 'S;M'", []string{"w-sm"}},
	} {
		var want []rapport.ID
		for _, n := range tc.want {
			want = append(want, f.widgets[n])
		}
		eqIDs(t, tc.src, ids(f.run(t, tc.src)), want, false)
	}
	// toLabel and FORMAT shape values.
	res := f.run(t, "SELECT toLabel(Sizes__c), toLabel(Color__c), Name FROM Widget__c WHERE Name = 'w-sml'")
	if v, _ := res.Records[0].Get("Sizes__c"); v != "Small;Medium;Large" {
		t.Errorf("toLabel(Sizes__c) = %v", v)
	}
	if v, _ := res.Records[0].Get("Color__c"); v != "Red" {
		t.Errorf("toLabel(Color__c) = %v", v)
	}
	res = f.run(t, "SELECT FORMAT(AnnualRevenue) FROM Account WHERE Name = 'Account 13'")
	if v, _ := res.Records[0].Get("AnnualRevenue"); v != "$13,000" {
		t.Errorf("FORMAT(AnnualRevenue) = %v", v)
	}
	// FIELDS(STANDARD) selects every standard field, Id first.
	res = f.run(t, "SELECT FIELDS(STANDARD) FROM Account LIMIT 1")
	if len(res.Records[0].Fields) < 40 || res.Records[0].Fields[0].Name != "Id" {
		t.Errorf("FIELDS(STANDARD) gave %d fields, first %s", len(res.Records[0].Fields), res.Records[0].Fields[0].Name)
	}
	// USING SCOPE mine: the admin owns everything.
	eqIDs(t, "mine", ids(f.run(t, "SELECT Id FROM Account USING SCOPE mine")), f.acctIDs(func(*account) bool { return true }, nil), false)
	// Field values come back typed.
	res = f.run(t, "SELECT Name, AnnualRevenue, Industry, CreatedDate, IsDeleted FROM Account WHERE Name = 'Account 13'")
	r := res.Records[0]
	if v, _ := r.Get("AnnualRevenue"); v != 13000.0 {
		t.Errorf("AnnualRevenue = %#v", v)
	}
	if v, _ := r.Get("CreatedDate"); !v.(time.Time).Equal(fixedNow) {
		t.Errorf("CreatedDate = %#v", v)
	}
	if v, _ := r.Get("IsDeleted"); v != false {
		t.Errorf("IsDeleted = %#v", v)
	}
	if r.Fields[0].Name != "Name" || r.Fields[2].Name != "Industry" {
		t.Errorf("fields out of SELECT order: %v", r.Fields)
	}
}

func reverse(in []rapport.ID) []rapport.ID {
	out := make([]rapport.ID, len(in))
	for i, v := range in {
		out[len(in)-1-i] = v
	}
	return out
}

func (f *fixture) testRelationships(t *testing.T) {
	src := "SELECT Id, LastName, Account.Name, Account.Owner.Name, Account.Industry FROM Contact WHERE Account.Industry = 'Energy'"
	res := f.run(t, src)
	eqIDs(t, src, ids(res), f.contactIDs(func(c *contact) bool { return c.acct != nil && c.acct.industry == "Energy" }), false)
	byID := map[rapport.ID]*contact{}
	for _, c := range f.contacts {
		byID[c.id] = c
	}
	for _, r := range res.Records {
		c := byID[r.ID]
		v, _ := r.Get("Account")
		parent := v.(*query.Record)
		if parent.Type != "Account" || parent.ID != c.acct.id {
			t.Fatalf("Account of %s = %+v", c.last, parent)
		}
		if n, _ := parent.Get("Name"); n != c.acct.name {
			t.Errorf("Account.Name = %v, want %s", n, c.acct.name)
		}
		ov, _ := parent.Get("Owner")
		if owner := ov.(*query.Record); owner.Type != "User" || owner.ID != f.org.UserID {
			t.Errorf("Account.Owner = %+v", owner)
		}
		if len(parent.Fields) != 3 {
			t.Errorf("parent keys %v: want Name, Owner, Industry merged under one Account", parent.Fields)
		}
	}
	// A contact without an account has a null Account.
	res = f.run(t, "SELECT Account.Name FROM Contact WHERE AccountId = null")
	if len(res.Records) != 30 {
		t.Fatalf("contacts without account: %d", len(res.Records))
	}
	if v, _ := res.Records[0].Get("Account"); v.(*query.Record) != nil {
		t.Errorf("Account of an orphan = %v", v)
	}
	// Child subqueries with their own filter, order and limit.
	src = "SELECT Name, (SELECT LastName FROM Contacts WHERE LeadSource != null ORDER BY LastName DESC LIMIT 2) FROM Account WHERE BillingCity = 'Paris'"
	res = f.run(t, src)
	for _, r := range res.Records {
		var a *account
		for _, x := range f.accts {
			if x.id == r.ID {
				a = x
			}
		}
		var want []string
		for _, c := range a.contacts {
			if c.source != "" {
				want = append(want, c.last)
			}
		}
		sort.Sort(sort.Reverse(sort.StringSlice(want)))
		if len(want) > 2 {
			want = want[:2]
		}
		v, _ := r.Get("Contacts")
		sub := v.(*query.Result)
		var got []string
		if sub != nil {
			for _, c := range sub.Records {
				l, _ := c.Get("LastName")
				got = append(got, l.(string))
			}
			if sub.TotalSize != len(sub.Records) || !sub.Done {
				t.Errorf("subquery result %d/%v", sub.TotalSize, sub.Done)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s Contacts = %v, want %v", a.name, got, want)
		}
	}
	// Semi-join and anti-join.
	src = "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LeadSource = 'Web')"
	eqIDs(t, src, ids(f.run(t, src)), f.acctIDs(func(a *account) bool {
		for _, c := range a.contacts {
			if c.source == "Web" {
				return true
			}
		}
		return false
	}, nil), false)
	src = "SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Closed Won')"
	eqIDs(t, src, ids(f.run(t, src)), f.acctIDs(func(a *account) bool {
		for _, o := range f.opps {
			if o.acct == a && o.stage == "Closed Won" {
				return false
			}
		}
		return true
	}, nil), false)
	// Polymorphic TYPEOF on a task's What.
	task := f.create(t, "Task", []map[string]any{
		{"Subject": "Call", "WhatId": string(f.accts[1].id)},
		{"Subject": "Email", "WhatId": string(f.opps[0].id)},
	})
	res = f.run(t, "SELECT Subject, TYPEOF What WHEN Account THEN Name, BillingCity WHEN Opportunity THEN Amount ELSE Name END FROM Task ORDER BY Subject")
	if len(res.Records) != 2 || res.Records[0].ID != task[0] {
		t.Fatalf("tasks = %v", ids(res))
	}
	what, _ := res.Records[0].Get("What")
	if w := what.(*query.Record); w.Type != "Account" || len(w.Fields) != 2 || w.Fields[1].Value != f.accts[1].city {
		t.Errorf("What of call = %+v", w)
	}
	what, _ = res.Records[1].Get("What")
	if w := what.(*query.Record); w.Type != "Opportunity" || len(w.Fields) != 1 || w.Fields[0].Value != f.opps[0].amount {
		t.Errorf("What of email = %+v", w)
	}
	res = f.run(t, "SELECT What.Name, What.Type FROM Task WHERE What.Type = 'Opportunity'")
	if len(res.Records) != 1 {
		t.Errorf("What.Type filter: %d rows", len(res.Records))
	}
}

func (f *fixture) testAggregates(t *testing.T) {
	res := f.run(t, "SELECT Industry, COUNT(Id), SUM(AnnualRevenue) total, MAX(AnnualRevenue) FROM Account GROUP BY Industry ORDER BY Industry NULLS LAST")
	type agg struct {
		n   int64
		sum float64
		max float64
	}
	want := map[string]*agg{}
	for _, a := range f.accts {
		g := want[a.industry]
		if g == nil {
			g = &agg{}
			want[a.industry] = g
		}
		g.n++
		g.sum += a.revenue
		g.max = max(g.max, a.revenue)
	}
	if len(res.Records) != len(want) {
		t.Fatalf("groups = %d, want %d", len(res.Records), len(want))
	}
	for i, r := range res.Records {
		if r.Type != "AggregateResult" || len(r.Fields) != 4 || r.Fields[1].Name != "expr0" || r.Fields[2].Name != "total" || r.Fields[3].Name != "expr1" {
			t.Fatalf("aggregate row %v", r.Fields)
		}
		ind, _ := r.Get("Industry")
		key, _ := ind.(string)
		if i == len(res.Records)-1 && ind != nil {
			t.Errorf("NULLS LAST: last group is %v", ind)
		}
		g := want[key]
		if r.Fields[1].Value != g.n || r.Fields[2].Value != g.sum || r.Fields[3].Value != g.max {
			t.Errorf("group %q = %v %v %v, want %v %v %v", key, r.Fields[1].Value, r.Fields[2].Value, r.Fields[3].Value, g.n, g.sum, g.max)
		}
	}
	res = f.run(t, "SELECT LeadSource, COUNT(Id) c FROM Contact GROUP BY LeadSource HAVING COUNT(Id) > 70")
	for _, r := range res.Records {
		if c, _ := r.Get("c"); c.(int64) <= 70 {
			t.Errorf("HAVING let through %v", r.Fields)
		}
	}
	if res.TotalSize != 4 { // 75 per source (null included)
		t.Errorf("HAVING groups = %d", res.TotalSize)
	}
	res = f.run(t, "SELECT COUNT() FROM Contact WHERE AccountId != null")
	if res.TotalSize != 270 || len(res.Records) != 0 {
		t.Errorf("COUNT() = %d with %d records", res.TotalSize, len(res.Records))
	}
	res = f.run(t, "SELECT COUNT_DISTINCT(AccountId), COUNT(LeadSource), AVG(Amount) FROM Opportunity")
	if r := res.Records[0]; r.Fields[0].Value != int64(40) || r.Fields[2].Value != 40500.0 {
		t.Errorf("COUNT_DISTINCT/AVG = %v", r.Fields)
	}
	// ROLLUP adds a subtotal row per level, GROUPING() marks it.
	res = f.run(t, "SELECT StageName, COUNT(Id), GROUPING(StageName) g FROM Opportunity GROUP BY ROLLUP(StageName)")
	var total, rolled int64
	for _, r := range res.Records {
		g, _ := r.Get("g")
		n, _ := r.Get("expr0")
		if g == int64(1) {
			rolled += n.(int64)
			if s, _ := r.Get("StageName"); s != nil {
				t.Errorf("rollup row has StageName %v", s)
			}
		} else {
			total += n.(int64)
		}
	}
	if len(res.Records) != 5 || total != 80 || rolled != 80 {
		t.Errorf("ROLLUP: %d rows, %d grouped, %d rolled up", len(res.Records), total, rolled)
	}
	res = f.run(t, "SELECT StageName, CALENDAR_YEAR(CloseDate) y, COUNT(Id) FROM Opportunity GROUP BY CUBE(StageName, CALENDAR_YEAR(CloseDate))")
	if len(res.Records) < 1+4+1 {
		t.Errorf("CUBE rows = %d", len(res.Records))
	}
	// Date functions group by calendar fields.
	res = f.run(t, "SELECT CALENDAR_MONTH(CloseDate), COUNT(Id) FROM Opportunity GROUP BY CALENDAR_MONTH(CloseDate) ORDER BY CALENDAR_MONTH(CloseDate)")
	months := map[int64]int64{}
	for _, o := range f.opps {
		m, _ := time.Parse("2006-01-02", o.close)
		months[int64(m.Month())]++
	}
	for _, r := range res.Records {
		if months[r.Fields[0].Value.(int64)] != r.Fields[1].Value.(int64) {
			t.Errorf("month %v: %v, want %v", r.Fields[0].Value, r.Fields[1].Value, months[r.Fields[0].Value.(int64)])
		}
	}
	if len(res.Records) != len(months) {
		t.Errorf("months = %d, want %d", len(res.Records), len(months))
	}
}

func (f *fixture) testDates(t *testing.T) {
	loc := mustLoc("America/Los_Angeles")
	today := fixedNow.In(loc)
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	in := func(from, to time.Time) func(o *opp) bool {
		return func(o *opp) bool {
			d, _ := time.Parse("2006-01-02", o.close)
			return !d.Before(from) && d.Before(to)
		}
	}
	monthStart := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
	weekStart := day.AddDate(0, 0, -int(day.Weekday()))
	qStart := time.Date(day.Year(), time.Month((int(day.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		lit  string
		keep func(o *opp) bool
	}{
		{"TODAY", in(day, day.AddDate(0, 0, 1))},
		{"YESTERDAY", in(day.AddDate(0, 0, -1), day)},
		{"THIS_WEEK", in(weekStart, weekStart.AddDate(0, 0, 7))},
		{"LAST_WEEK", in(weekStart.AddDate(0, 0, -7), weekStart)},
		{"THIS_MONTH", in(monthStart, monthStart.AddDate(0, 1, 0))},
		{"NEXT_MONTH", in(monthStart.AddDate(0, 1, 0), monthStart.AddDate(0, 2, 0))},
		{"LAST_N_DAYS:10", in(day.AddDate(0, 0, -10), day.AddDate(0, 0, 1))},
		{"NEXT_N_DAYS:5", in(day.AddDate(0, 0, 1), day.AddDate(0, 0, 6))},
		{"N_DAYS_AGO:3", in(day.AddDate(0, 0, -3), day.AddDate(0, 0, -2))},
		{"THIS_QUARTER", in(qStart, qStart.AddDate(0, 3, 0))},
		{"LAST_90_DAYS", in(day.AddDate(0, 0, -90), day.AddDate(0, 0, 1))},
		{"THIS_FISCAL_YEAR", in(time.Date(day.Year(), 1, 1, 0, 0, 0, 0, time.UTC), time.Date(day.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC))},
		{"NEXT_N_WEEKS:2", in(weekStart.AddDate(0, 0, 7), weekStart.AddDate(0, 0, 21))},
	}
	for _, tc := range cases {
		var want, wantGT, wantNE []rapport.ID
		for _, o := range f.opps {
			if tc.keep(o) {
				want = append(want, o.id)
			} else {
				wantNE = append(wantNE, o.id)
			}
		}
		src := "SELECT Id FROM Opportunity WHERE CloseDate = " + tc.lit
		eqIDs(t, src, ids(f.run(t, src)), want, false)
		src = "SELECT Id FROM Opportunity WHERE CloseDate != " + tc.lit
		eqIDs(t, src, ids(f.run(t, src)), wantNE, false)
		_ = wantGT
	}
	// Datetime fields compare with the span's instants in the user's zone:
	// every record was created "now", which is TODAY in Los Angeles.
	src := "SELECT COUNT() FROM Contact WHERE CreatedDate = TODAY"
	if res := f.run(t, src); res.TotalSize != 300 {
		t.Errorf("%s = %d", src, res.TotalSize)
	}
	src = "SELECT COUNT() FROM Contact WHERE CreatedDate > YESTERDAY AND CreatedDate < TOMORROW"
	if res := f.run(t, src); res.TotalSize != 300 {
		t.Errorf("%s = %d", src, res.TotalSize)
	}
	src = "SELECT COUNT() FROM Contact WHERE CreatedDate < 2026-11-18T22:29:59Z"
	if res := f.run(t, src); res.TotalSize != 0 {
		t.Errorf("%s = %d", src, res.TotalSize)
	}
	src = "SELECT COUNT() FROM Contact WHERE CreatedDate >= 2026-11-18T14:30:00-08:00"
	if res := f.run(t, src); res.TotalSize != 300 {
		t.Errorf("%s = %d", src, res.TotalSize)
	}
	src = "SELECT Id FROM Contact WHERE Birthdate > 1996-11-10"
	eqIDs(t, src, ids(f.run(t, src)), f.contactIDs(func(c *contact) bool { return c.birthdate > "1996-11-10" }), false)
	res := f.run(t, "SELECT HOUR_IN_DAY(CreatedDate) h, HOUR_IN_DAY(convertTimezone(CreatedDate)) local, DAY_ONLY(CreatedDate) d, COUNT(Id) FROM Account GROUP BY HOUR_IN_DAY(CreatedDate), HOUR_IN_DAY(convertTimezone(CreatedDate)), DAY_ONLY(CreatedDate)")
	if r := res.Records[0]; r.Fields[0].Value != int64(22) || r.Fields[1].Value != int64(14) || r.Fields[2].Value != "2026-11-18" {
		t.Errorf("date functions = %v", r.Fields)
	}
}

func (f *fixture) testPaging(t *testing.T) {
	src := "SELECT Id, LastName FROM Contact ORDER BY LastName"
	all := f.contactIDs(func(*contact) bool { return true })
	byLast := map[rapport.ID]string{}
	for _, c := range f.contacts {
		byLast[c.id] = c.last
	}
	sort.Slice(all, func(i, j int) bool { return byLast[all[i]] < byLast[all[j]] })
	res, err := f.q.Run(f.ctx, src, query.Options{BatchSize: 200})
	if err != nil {
		t.Fatal(err)
	}
	if res.Done || res.TotalSize != 300 || len(res.Records) != 200 || res.Locator == "" || strings.Contains(res.Locator, "/") {
		t.Fatalf("first page: done %v total %d records %d locator %q", res.Done, res.TotalSize, len(res.Records), res.Locator)
	}
	got := ids(res)
	// A change between pages does not shift them.
	f.create(t, "Contact", []map[string]any{{"LastName": "Aaa new"}})
	next, err := f.q.More(f.ctx, res.Locator)
	if err != nil {
		t.Fatal(err)
	}
	if !next.Done || next.Locator != "" || next.TotalSize != 300 || len(next.Records) != 100 {
		t.Fatalf("second page: done %v total %d records %d", next.Done, next.TotalSize, len(next.Records))
	}
	got = append(got, ids(next)...)
	eqIDs(t, "paged "+src, got, all, true)
	if _, err := f.q.More(f.ctx, res.Locator); rapport.ErrorCode(err) != rapport.InvalidQueryLocator {
		t.Errorf("spent locator = %v", err)
	}
	// Locators expire after 15 minutes unused.
	res, _ = f.q.Run(f.ctx, src, query.Options{BatchSize: 200})
	f.advance(16 * time.Minute)
	if _, err := f.q.More(f.ctx, res.Locator); rapport.ErrorCode(err) != rapport.InvalidQueryLocator {
		t.Errorf("expired locator = %v", err)
	}
	for _, bad := range []string{"", "nope", "01gXXXXXXXXXXXXXXX-200", "01g-x"} {
		if _, err := f.q.More(f.ctx, bad); rapport.ErrorCode(err) != rapport.InvalidQueryLocator {
			t.Errorf("More(%q) = %v", bad, err)
		}
	}
	// LIMIT below a page needs no locator; LIMIT above pages correctly.
	res, _ = f.q.Run(f.ctx, "SELECT Id FROM Contact ORDER BY LastName LIMIT 250", query.Options{BatchSize: 200})
	if res.TotalSize != 250 || res.Done {
		t.Errorf("LIMIT 250 by 200: total %d done %v", res.TotalSize, res.Done)
	}
}

func (f *fixture) testErrors(t *testing.T) {
	cases := []struct {
		src  string
		code rapport.Code
		msg  string
	}{
		{"SELECT Id FORM Account", rapport.MalformedQuery, "ERROR at Row:1:Column:11\nunexpected token: FORM"},
		{"SELECT Nope FROM Account", rapport.InvalidField, "No such column 'Nope' on entity 'Account'"},
		{"SELECT Id FROM Nothing__c", rapport.InvalidType, "sObject type 'Nothing__c' is not supported"},
		{"SELECT Id FROM Account WHERE Owner.Nope = 'x'", rapport.InvalidField, "No such column"},
		{"SELECT Id FROM Account WHERE Parentt.Name = 'x'", rapport.InvalidField, "Didn't understand relationship 'Parentt'"},
		{"SELECT Id FROM Account WHERE AnnualRevenue LIKE '1%'", rapport.InvalidQueryFilterOperator, "LIKE"},
		{"SELECT Id FROM Account WHERE Industry INCLUDES ('x')", rapport.InvalidQueryFilterOperator, "INCLUDES"},
		{"SELECT Id FROM Account WHERE AnnualRevenue = 'lots'", rapport.MalformedQuery, "must be of type currency"},
		{"SELECT Id FROM Account WHERE Name = 5", rapport.MalformedQuery, "should be enclosed in quotes"},
		{"SELECT Id FROM Account WHERE Id = 'xyz'", rapport.InvalidQueryFilterOperator, "invalid ID field: xyz"},
		{"SELECT Id FROM Account WHERE Description = 'x'", rapport.InvalidField, "can not be filtered"},
		{"SELECT Id FROM Account ORDER BY Description", rapport.MalformedQuery, "can not be sorted"},
		{"SELECT Id FROM Account LIMIT 10 OFFSET 2001", rapport.NumberOutsideValidRange, "Maximum SOQL offset allowed is 2000"},
		{"SELECT Industry, COUNT(Id) FROM Account GROUP BY BillingCity", rapport.MalformedQuery, "Field must be grouped or aggregated: Industry"},
		{"SELECT Id, Id FROM Account", rapport.MalformedQuery, "duplicate field selected: Id"},
		{"SELECT Id, (SELECT Id FROM Nopes) FROM Account", rapport.InvalidType, "Didn't understand relationship 'Nopes'"},
		{"SELECT Id FROM Account WHERE IsDeleted > true", rapport.InvalidQueryFilterOperator, "boolean"},
		{"SELECT Id FROM Contact WHERE Account.Parent.Parent.Parent.Parent.Parent.Name = 'x'", rapport.MalformedQuery, "nested more than 5"},
	}
	for _, tc := range cases {
		_, err := f.q.Run(f.ctx, tc.src, query.Options{})
		var re *rapport.Error
		if !errors.As(err, &re) || re.Code != tc.code || !strings.Contains(re.Message, tc.msg) {
			t.Errorf("Run(%q) = %v, want %s containing %q", tc.src, err, tc.code, tc.msg)
		}
		if re != nil && re.Code != rapport.MalformedQuery && !strings.Contains(re.Message, "ERROR at Row:1:Column:") {
			t.Errorf("Run(%q) message has no position: %q", tc.src, re.Message)
		}
	}
}

func (f *fixture) testDeleted(t *testing.T) {
	gone := f.accts[3]
	if _, err := f.records.Delete(f.ctx, []string{string(gone.id)}, recordOpts()); err != nil {
		t.Fatal(err)
	}
	res := f.run(t, "SELECT Id FROM Account")
	for _, id := range ids(res) {
		if id == gone.id {
			t.Errorf("deleted account returned")
		}
	}
	res, err := f.q.Run(f.ctx, "SELECT Id, IsDeleted FROM Account WHERE Id = '"+string(gone.id)+"'", query.Options{All: true})
	if err != nil || len(res.Records) != 1 || res.Records[0].Fields[1].Value != true {
		t.Errorf("queryAll of a deleted account = %v, %v", res, err)
	}
	res = f.run(t, "SELECT Id FROM Account WHERE Id = '"+gone.id.Short()+"' ALL ROWS")
	if len(res.Records) != 1 {
		t.Errorf("ALL ROWS with a 15-character ID: %d rows", len(res.Records))
	}
	// Its contacts went with it.
	res = f.run(t, fmt.Sprintf("SELECT COUNT() FROM Contact WHERE AccountId = '%s'", gone.id))
	if res.TotalSize != 0 {
		t.Errorf("contacts of a deleted account: %d", res.TotalSize)
	}
}

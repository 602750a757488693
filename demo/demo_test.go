package demo_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/demo"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

// world is a store with the services Load needs, and a query service.
type world struct {
	t       *testing.T
	records *record.Service
	tenants *tenant.Service
	queries *query.Service
}

type backend interface {
	sqlstore.Backend
	query.Dialect
}

func newWorld(t *testing.T, b backend) *world {
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	recs := record.NewService(db, record.Options{})
	return &world{
		t: t, records: recs, tenants: tenant.NewService(db, recs, nil, nil),
		queries: query.NewService(db, b, recs, query.Config{Access: record.Access{S: recs}}),
	}
}

var backends = []struct {
	name string
	open func(t *testing.T) backend
}{
	{"sqlite", func(t *testing.T) backend {
		b, err := sqlite.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}},
	{"postgres", func(t *testing.T) backend { return postgres.New(pgtest.Database(t)) }},
}

// today is the day the tests' demo data is built around: in the org's time
// zone (Los Angeles) it is March 12, 2025.
var today = time.Date(2025, time.March, 12, 18, 0, 0, 0, time.UTC)

const attendees = 150

func TestLoad(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			w := newWorld(t, b.open(t))
			stages := map[string][2]int{}
			res, err := demo.Load(context.Background(), w.tenants, w.records, demo.Options{
				Attendees: attendees, Seed: 42, Today: today,
				Progress: func(stage string, done, total int) { stages[stage] = [2]int{done, total} },
			})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if res.Username != "demo@rapport.example" || res.Org.Username != res.Username || tenant.CheckPasswordPolicy(res.Password) != nil {
				t.Errorf("Load = %+v: want demo@rapport.example and a good password", res)
			}
			if got := stages["attendees"]; got != [2]int{attendees + 2, attendees + 2} {
				t.Errorf("last attendees progress = %v, want %d of %d", got, attendees+2, attendees+2)
			}
			w.checkStory(res)
			w.checkUsers(res)
		})
	}
}

// q runs SOQL as the principal in ctx and returns its records.
func (w *world) q(ctx context.Context, soql string, args ...any) []*query.Record {
	w.t.Helper()
	src := fmt.Sprintf(soql, args...)
	res, err := w.queries.Run(ctx, src, query.Options{})
	if err != nil {
		w.t.Fatalf("%s: %v", src, err)
	}
	return res.Records
}

// count runs a COUNT() query.
func (w *world) count(ctx context.Context, soql string, args ...any) int {
	w.t.Helper()
	src := fmt.Sprintf(soql, args...)
	res, err := w.queries.Run(ctx, src, query.Options{})
	if err != nil {
		w.t.Fatalf("%s: %v", src, err)
	}
	return res.TotalSize
}

func get(r *query.Record, path string) any {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		v, _ := r.Get(p)
		parent, ok := v.(*query.Record)
		if !ok || parent == nil {
			return nil
		}
		r = parent
	}
	v, _ := r.Get(parts[len(parts)-1])
	return v
}

// one finds the only record of a query.
func (w *world) one(ctx context.Context, soql string, args ...any) *query.Record {
	w.t.Helper()
	recs := w.q(ctx, soql, args...)
	if len(recs) != 1 {
		w.t.Fatalf("%s: %d records, want 1", fmt.Sprintf(soql, args...), len(recs))
	}
	return recs[0]
}

func (w *world) checkStory(res demo.Result) {
	t := w.t
	admin := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: res.Org.OrgID, UserID: res.Org.UserID})

	for _, name := range []string{"Salesforce", "Google", "Apple", "U.S. Customs and Border Protection", "RAICES", "Demand Progress"} {
		a := w.one(admin, "SELECT Industry, Website, BillingCity, BillingCountry, Phone, Type FROM Account WHERE Name = '%s'", name)
		for _, f := range []string{"Industry", "Website", "BillingCity", "BillingCountry", "Phone", "Type"} {
			if v, _ := a.Get(f); v == nil {
				t.Errorf("account %s has no %s", name, f)
			}
		}
	}
	for _, c := range []struct{ name, account, title string }{
		{"Marc Benioff", "Salesforce", "Chair and CEO"},
		{"Jonathan Ryan", "RAICES", "Executive Director"},
		{"Tihi Hayslett", "Salesforce", ""},
		{"Al Gore", "Generation Investment Management", "Chairman"},
		{"will.i.am", "i.am+", "Founder and CEO"},
	} {
		r := w.one(admin, "SELECT Title, Account.Name FROM Contact WHERE Name = '%s'", c.name)
		if get(r, "Account.Name") != c.account || (c.title != "" && get(r, "Title") != c.title) {
			t.Errorf("contact %s = %v, %v; want %s at %s", c.name, get(r, "Title"), get(r, "Account.Name"), c.title, c.account)
		}
	}

	// Dreamforce: a conference for 170,000, with every attendee and the
	// speakers as members.
	df := w.one(admin, "SELECT Id, Type, NumberSent, ExpectedResponse, StartDate, Description, NumberOfContacts FROM Campaign WHERE Name = '%s'", demo.DreamforceCampaign)
	sent, _ := get(df, "NumberSent").(float64)
	rate, _ := get(df, "ExpectedResponse").(float64)
	if get(df, "Type") != "Conference" || sent*rate/100 != 170000 || !strings.Contains(get(df, "Description").(string), "170,000") {
		t.Errorf("Dreamforce = %+v", df.Fields)
	}
	if n := w.count(admin, "SELECT COUNT() FROM CampaignMember WHERE CampaignId = '%s'", df.ID); n != attendees+2 {
		t.Errorf("Dreamforce has %d members, want %d attendees and 2 speakers", n, attendees)
	}
	if n, _ := get(df, "NumberOfContacts").(float64); int(n) != attendees+2 {
		t.Errorf("Dreamforce's Contacts in Campaign = %v, want %d", get(df, "NumberOfContacts"), attendees+2)
	}
	if n := w.count(admin, "SELECT COUNT() FROM CampaignMember WHERE CampaignId = '%s' AND Contact.Name IN ('Al Gore', 'will.i.am')", df.ID); n != 2 {
		t.Errorf("speakers among Dreamforce's members: %d, want 2", n)
	}
	protest := w.one(admin, "SELECT Id FROM Campaign WHERE Name = '%s'", demo.ProtestCampaign)
	if n := w.count(admin, "SELECT COUNT() FROM CampaignMember WHERE CampaignId = '%s' AND Contact.Account.Name = 'Demand Progress'", protest.ID); n == 0 {
		t.Errorf("the protest campaign has no Demand Progress members")
	}

	// The CBP deal: won, on the contract, on CBP's account.
	cbp := w.one(admin, "SELECT StageName, IsWon, Amount, Account.Name, ContractId, Contract.Status, Contract.AccountId, Contract.ContractTerm, Contract.StartDate FROM Opportunity WHERE Name = '%s'", demo.CBPOpportunity)
	acct := w.one(admin, "SELECT Id FROM Account WHERE Name = 'U.S. Customs and Border Protection'")
	if get(cbp, "StageName") != "Closed Won" || get(cbp, "IsWon") != true || get(cbp, "Amount") != 20300000.0 ||
		get(cbp, "Account.Name") != "U.S. Customs and Border Protection" || get(cbp, "ContractId") == nil ||
		get(cbp, "Contract.Status") != "Activated" || get(cbp, "Contract.AccountId") != acct.ID || get(cbp, "Contract.ContractTerm") != 36.0 {
		t.Errorf("CBP opportunity = %+v", cbp.Fields)
	}
	for _, name := range []string{"Google", "Apple"} {
		r := w.one(admin, "SELECT IsClosed FROM Opportunity WHERE Account.Name = '%s'", name)
		if get(r, "IsClosed") != false {
			t.Errorf("the %s partnership is closed", name)
		}
	}

	// The donation RAICES returned.
	don := w.one(admin, "SELECT Id, StageName, Amount, Description, Account.Name FROM Opportunity WHERE Name = '%s'", demo.DonationName)
	if get(don, "StageName") != "Closed Lost" || get(don, "Amount") != 250000.0 || get(don, "Account.Name") != "RAICES" ||
		!strings.Contains(get(don, "Description").(string), "refused the donation") {
		t.Errorf("donation = %+v", don.Fields)
	}

	// The email exchange: two EmailMessages on the donation, each related
	// to both contacts, the sender's relation From and the recipient's To.
	msgs := w.q(admin, "SELECT Id, RelatedToId, FromAddress, ToAddress, TextBody, Incoming, ReplyToEmailMessageId FROM EmailMessage ORDER BY MessageDate")
	if len(msgs) != 2 {
		t.Fatalf("%d email messages, want 2", len(msgs))
	}
	if get(msgs[0], "RelatedToId") != don.ID || get(msgs[0], "Incoming") != true || !strings.Contains(get(msgs[0], "TextBody").(string), "CBP") ||
		get(msgs[1], "ReplyToEmailMessageId") != msgs[0].ID {
		t.Errorf("email messages = %+v, %+v", msgs[0].Fields, msgs[1].Fields)
	}
	for _, c := range []struct{ who, first, second string }{
		{"Jonathan Ryan", "FromAddress", "ToAddress"},
		{"Marc Benioff", "ToAddress", "FromAddress"},
	} {
		contact := w.one(admin, "SELECT Id, Email FROM Contact WHERE Name = '%s'", c.who)
		rels := w.q(admin, "SELECT EmailMessageId, RelationType, RelationObjectType, RelationAddress FROM EmailMessageRelation WHERE RelationId = '%s' ORDER BY EmailMessage.MessageDate", contact.ID)
		if len(rels) != 2 || get(rels[0], "EmailMessageId") != msgs[0].ID || get(rels[1], "EmailMessageId") != msgs[1].ID ||
			get(rels[0], "RelationType") != c.first || get(rels[1], "RelationType") != c.second ||
			get(rels[0], "RelationObjectType") != "Contact" || get(rels[0], "RelationAddress") != get(contact, "Email") {
			for _, r := range rels {
				t.Logf("relation of %s: %+v", c.who, r.Fields)
			}
			t.Errorf("%s: %d email relations, want From and To of the two emails", c.who, len(rels))
		}
	}

	// The generated data.
	for _, c := range []struct {
		soql string
		min  int
	}{
		{"SELECT COUNT() FROM Account", 200},
		{"SELECT COUNT() FROM Contact", 600 + attendees},
		{"SELECT COUNT() FROM Opportunity WHERE IsClosed = false", 100},
		{"SELECT COUNT() FROM Opportunity WHERE IsWon = true", 50},
		{"SELECT COUNT() FROM Lead", 100},
		{"SELECT COUNT() FROM Case WHERE IsClosed = false", 30},
		{"SELECT COUNT() FROM Task WHERE IsClosed = false AND ActivityDate = 2025-03-12", 10},
		{fmt.Sprintf("SELECT COUNT() FROM Task WHERE OwnerId = '%s' AND IsClosed = false AND ActivityDate = 2025-03-12", res.Org.UserID), 2},
		{fmt.Sprintf("SELECT COUNT() FROM Event WHERE OwnerId = '%s' AND ActivityDate = 2025-03-12", res.Org.UserID), 1},
	} {
		if n := w.count(admin, "%s", c.soql); n < c.min {
			t.Errorf("%s = %d, want at least %d", c.soql, n, c.min)
		}
	}
	for _, o := range []string{"Account", "Opportunity", "Lead", "Case", "Task"} {
		rs := w.q(admin, "SELECT OwnerId, COUNT(Id) FROM %s GROUP BY OwnerId", o)
		if len(rs) < 4 {
			t.Errorf("%s records are owned by %d users, want them spread over 4 or more", o, len(rs))
		}
	}
}

func (w *world) checkUsers(res demo.Result) {
	t := w.t
	ctx := context.Background()
	profiles := map[string]bool{}
	for _, u := range res.Users {
		profiles[u.Profile] = true
		id, err := w.tenants.Authenticate(ctx, u.Username, u.Password)
		if err != nil || id.UserID != u.ID || id.OrgID != res.Org.OrgID {
			t.Errorf("Authenticate(%s) = %+v, %v", u.Username, id, err)
		}
	}
	if !profiles["Standard User"] || !profiles["Read Only"] {
		t.Errorf("demo users' profiles: %v; want Standard User and Read Only among them", profiles)
	}
	if _, err := w.tenants.Authenticate(ctx, res.Username, res.Password); err != nil {
		t.Errorf("Authenticate(administrator): %v", err)
	}

	// The role hierarchy: CEO > VP Sales > Sales Rep.
	admin := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: res.Org.OrgID, UserID: res.Org.UserID})
	rep := w.one(admin, "SELECT UserRole.Name, UserRole.ParentRole.Name, UserRole.ParentRole.ParentRole.Name FROM User WHERE Username = '%s'", res.Users[1].Username)
	if get(rep, "UserRole.Name") != "Sales Rep" || get(rep, "UserRole.ParentRole.Name") != "VP Sales" || get(rep, "UserRole.ParentRole.ParentRole.Name") != "CEO" {
		t.Errorf("the sales rep's roles: %v", rep.Fields)
	}

	// The Read Only user reads the story and changes nothing.
	var reader demo.DemoUser
	for _, u := range res.Users {
		if u.Profile == "Read Only" {
			reader = u
		}
	}
	rctx := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: res.Org.OrgID, UserID: reader.ID})
	w.one(rctx, "SELECT Id FROM Opportunity WHERE Name = '%s'", demo.CBPOpportunity)
	rs, err := w.records.Create(rctx, "Account", []map[string]any{{"Name": "Not allowed"}}, record.WriteOptions{})
	if err == nil && rs[0].Err == nil {
		t.Errorf("the Read Only user created an account")
	}
}

func TestLoadDeterministic(t *testing.T) {
	w := newWorld(t, backends[0].open(t))
	ctx := context.Background()
	snapshot := func(res demo.Result) []string {
		admin := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: res.Org.OrgID, UserID: res.Org.UserID})
		var out []string
		for _, soql := range []string{
			"SELECT Name, Amount, StageName, CloseDate, Account.Name, Owner.Name FROM Opportunity ORDER BY Name, Amount, CloseDate",
			"SELECT Name, Email, Account.Name FROM Contact ORDER BY Email, Name, Account.Name",
			"SELECT Subject, ActivityDate, Status, Owner.Name FROM Task ORDER BY ActivityDate, Subject, Status, Owner.Name",
		} {
			for _, r := range w.q(admin, "%s", soql) {
				var vals []string
				for _, f := range r.Fields {
					if p, ok := f.Value.(*query.Record); ok && p != nil {
						v, _ := p.Get("Name")
						vals = append(vals, fmt.Sprint(v))
						continue
					}
					vals = append(vals, fmt.Sprint(f.Value))
				}
				out = append(out, strings.Join(vals, "|"))
			}
		}
		return out
	}
	opt := demo.Options{Attendees: 40, Seed: 7, Today: today, Password: "same pass 123"}
	first, err := demo.Load(ctx, w.tenants, w.records, opt)
	if err != nil {
		t.Fatal(err)
	}
	second, err := demo.Load(ctx, w.tenants, w.records, opt)
	if err != nil {
		t.Fatal(err)
	}
	if second.Username != "demo+2@rapport.example" || second.Users[0].Username != "demo+2.avery@rapport.example" {
		t.Errorf("second demo org's usernames: %s, %s", second.Username, second.Users[0].Username)
	}
	a, b := snapshot(first), snapshot(second)
	if len(a) < 900 || !reflect.DeepEqual(a, b) {
		t.Errorf("two loads with the same seed differ (%d and %d rows)", len(a), len(b))
	}
	opt.Seed = 8
	third, err := demo.Load(ctx, w.tenants, w.records, opt)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a, snapshot(third)) {
		t.Errorf("another seed made the same data")
	}
}

func TestLoadBadOptions(t *testing.T) {
	w := newWorld(t, backends[0].open(t))
	ctx := context.Background()
	cases := []struct {
		name string
		opt  demo.Options
		code rapport.Code
	}{
		{"negative attendees", demo.Options{Attendees: -1}, rapport.InvalidArgument},
		{"too many attendees", demo.Options{Attendees: demo.MaxAttendees + 1}, rapport.InvalidArgument},
		{"weak password", demo.Options{Password: "short"}, rapport.InvalidArgument},
		{"not an email", demo.Options{Username: "demo"}, rapport.InvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := demo.Load(ctx, w.tenants, w.records, tc.opt); rapport.ErrorCode(err) != tc.code {
				t.Errorf("Load = %v, want %s", err, tc.code)
			}
		})
	}
	orgs, err := w.tenants.Directory().Orgs(ctx)
	if err != nil || len(orgs) != 0 {
		t.Errorf("orgs after refused loads: %v, %v; want none", orgs, err)
	}

	// A failure half-way removes the org again.
	cctx, cancel := context.WithCancel(ctx)
	_, err = demo.Load(cctx, w.tenants, w.records, demo.Options{Attendees: 10, Progress: func(stage string, done, total int) {
		if stage == "leads" {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("Load with its context cancelled half-way succeeded")
	}
	if orgs, _ := w.tenants.Directory().Orgs(ctx); len(orgs) != 0 {
		t.Errorf("orgs after a failed load: %v; want none", orgs)
	}
	if _, err := w.tenants.Directory().Identity(ctx, "demo@rapport.example"); rapport.ErrorCode(err) != rapport.NotFound {
		t.Errorf("the failed load's administrator still has a login: %v", err)
	}
}

package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/tenant"
)

// batchSize is how many records one write carries.
const batchSize = 2000

// A loader fills one new org.
type loader struct {
	ctx     context.Context // carries the system principal, acting as the administrator
	tenants *tenant.Service
	records *record.Service
	org     tenant.NewOrg
	opt     Options
	today   time.Time // midnight of Options.Today in the org's time zone
	loc     *time.Location

	// The demo users by handle, and the sales team that owns most records.
	users map[string]rapport.ID
	sales []rapport.ID
	// salesAccounts are the generated accounts, in the order of companies.
	salesAccounts []rapport.ID
}

func newLoader(ctx context.Context, tenants *tenant.Service, records *record.Service, org tenant.NewOrg, opt Options) *loader {
	loc, err := time.LoadLocation("America/Los_Angeles") // CreateOrg's default time zone
	if err != nil {
		loc = time.UTC
	}
	t := opt.Today.In(loc)
	return &loader{
		ctx:     rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org.OrgID, UserID: org.UserID, System: true}),
		tenants: tenants, records: records, org: org, opt: opt, loc: loc,
		today: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc),
		users: map[string]rapport.ID{"admin": org.UserID},
	}
}

// rng returns the random source of one part of the data: each part has its
// own, so that changing one part (the number of attendees) leaves the
// others as they were.
func (l *loader) rng(part uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(l.opt.Seed), part))
}

func (l *loader) progress(stage string, done, total int) {
	if l.opt.Progress != nil {
		l.opt.Progress(stage, done, total)
	}
}

// create inserts records of one object in batches, all or none, and
// returns their IDs in order. stage, if not empty, is reported to
// Options.Progress after each batch.
func (l *loader) create(stage, object string, recs []map[string]any) ([]rapport.ID, error) {
	ids := make([]rapport.ID, 0, len(recs))
	for lo := 0; lo < len(recs); lo += batchSize {
		hi := min(lo+batchSize, len(recs))
		rs, err := l.records.Create(l.ctx, object, recs[lo:hi], record.WriteOptions{AllOrNone: true})
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", object, err)
		}
		for i, r := range rs {
			if r.Err != nil {
				return nil, fmt.Errorf("create %s %v: %w", object, recs[lo+i]["Name"], r.Err)
			}
			ids = append(ids, r.ID)
		}
		if stage != "" {
			l.progress(stage, hi, len(recs))
		}
	}
	return ids, nil
}

// one inserts one record.
func (l *loader) one(object string, rec map[string]any) (rapport.ID, error) {
	ids, err := l.create("", object, []map[string]any{rec})
	if err != nil {
		return "", err
	}
	return ids[0], nil
}

// load fills the org: users first, then the story, then generated data.
func (l *loader) load(adminUsername, password string) ([]DemoUser, error) {
	users, err := l.createUsers(adminUsername, password)
	if err != nil {
		return nil, err
	}
	// Nobody signs in until the org is full.
	if err := l.tenants.Directory().SetOrgStatus(l.ctx, l.org.OrgID, tenant.StatusCreating, ""); err != nil {
		return nil, err
	}
	s, err := l.story()
	if err != nil {
		return nil, err
	}
	if err := l.salesData(s); err != nil {
		return nil, err
	}
	if err := l.attendees(s); err != nil {
		return nil, err
	}
	return users, nil
}

// A demoUser is one of the users beside the administrator.
type demoUser struct {
	handle, first, last, title, profile, role, manager string
}

// The role hierarchy, parents first: name, parent.
var demoRoles = [][2]string{
	{"CEO", ""},
	{"VP Sales", "CEO"},
	{"VP Marketing", "CEO"},
	{"Sales Rep", "VP Sales"},
	{"Sales Operations", "VP Sales"},
}

var demoUsers = []demoUser{
	{"avery", "Avery", "Chen", "VP, Sales", "Standard User", "VP Sales", "admin"},
	{"jordan", "Jordan", "Patel", "Account Executive", "Standard User", "Sales Rep", "avery"},
	{"sam", "Sam", "Rivera", "Account Executive", "Standard User", "Sales Rep", "avery"},
	{"riley", "Riley", "Morgan", "Events Marketing Manager", "Marketing User", "VP Marketing", "admin"},
	{"casey", "Casey", "Brooks", "Sales Analyst", "Read Only", "Sales Operations", "avery"},
}

// createUsers makes the role hierarchy (the administrator is the CEO) and
// the demo users.
func (l *loader) createUsers(adminUsername, password string) ([]DemoUser, error) {
	roles := map[string]rapport.ID{}
	for _, r := range demoRoles {
		rec := map[string]any{"Name": r[0], "DeveloperName": devName(r[0])}
		if r[1] != "" {
			rec["ParentRoleId"] = roles[r[1]]
		}
		id, err := l.one("UserRole", rec)
		if err != nil {
			return nil, err
		}
		roles[r[0]] = id
	}
	_, err := l.records.Update(l.ctx, "User", []map[string]any{{"Id": l.org.UserID, "UserRoleId": roles["CEO"], "Title": "CEO"}}, record.WriteOptions{AllOrNone: true})
	if err != nil {
		return nil, err
	}
	var out []DemoUser
	for i, u := range demoUsers {
		username := userName(adminUsername, u.handle)
		id, err := l.tenants.CreateUser(l.ctx, l.org.OrgID, tenant.UserParams{
			Username: username, Password: password, FirstName: u.first, LastName: u.last, Title: u.title,
			Profile: u.profile, Role: roles[u.role], Manager: l.users[u.manager],
		})
		if err != nil {
			return nil, err
		}
		l.users[u.handle] = id
		out = append(out, DemoUser{ID: id, Name: u.first + " " + u.last, Username: username, Password: password, Profile: u.profile, Role: u.role})
		l.progress("users", i+1, len(demoUsers))
	}
	l.sales = []rapport.ID{l.users["admin"], l.users["avery"], l.users["jordan"], l.users["sam"]}
	return out, nil
}

// devName turns a label into an API name: "VP Sales" → "VP_Sales".
func devName(label string) string {
	b := []byte(label)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	return string(b)
}

// Dates and times relative to today.

func (l *loader) day(offset int) time.Time { return l.today.AddDate(0, 0, offset) }

func dateString(t time.Time) string { return t.Format(time.DateOnly) }

// at is a time of day on the day offset days from today, in the org's
// time zone, as UTC.
func (l *loader) at(offset, hour, minute int) string {
	d := l.day(offset)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, l.loc).UTC().Format(time.RFC3339)
}

// utc is a fixed moment of the story, in the org's time zone.
func (l *loader) utc(year int, month time.Month, day, hour, minute int) string {
	return time.Date(year, month, day, hour, minute, 0, 0, l.loc).UTC().Format(time.RFC3339)
}

// Package demo creates a demo org: a new org filled with the story Rapport
// is built for, and with generated sales data around it.
//
// The story: a cloud-CRM vendor (Salesforce) runs Dreamforce 2018, a
// conference in San Francisco for 170,000 visitors with keynote speakers
// and partners (Google, Apple); its sales team has closed a multi-million
// contract with U.S. Customs and Border Protection; Demand Progress
// organises a protest against that contract and invites the vendor's staff
// and customers to join; RAICES is offered a $250,000 donation and returns
// it, and its executive director's email exchange with the vendor's CEO is
// on record. The records are a dramatization of public news reports: the
// emails are paraphrased, and every address is made up.
//
// Everything generated (names, companies, amounts, dates) follows from
// Options.Seed and Options.Today: the same options give the same records.
package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/tenant"
)

// Defaults of Options.
const (
	DefaultName      = "Rapport Demo"
	DefaultAttendees = 500
	// DefaultDomain is the domain of the usernames Load picks.
	DefaultDomain = "rapport.example"
	// MaxAttendees bounds Options.Attendees.
	MaxAttendees = 1_000_000
)

// Options say what demo org to make. Zero values take defaults.
type Options struct {
	// Name is the org's name; DefaultName if empty.
	Name string
	// Username is the administrator's username. If empty, Load picks the
	// first free one of demo@rapport.example, demo+2@rapport.example, …
	Username string
	// Password is every demo user's password; if empty, Load makes one up
	// and returns it.
	Password string
	// Attendees is how many generated people attend Dreamforce: each is a
	// contact and a campaign member. 0 means DefaultAttendees.
	Attendees int
	// Seed picks the generated names, companies, amounts and dates.
	Seed int64
	// Today is the day open work is due around: opportunities close and
	// tasks fall due relative to it. Zero means the current date.
	Today time.Time
	// Progress, if set, is told how far each stage has come; done counts
	// records of total.
	Progress func(stage string, done, total int)
}

// Result is the demo org and how to sign in to it.
type Result struct {
	Org                tenant.NewOrg
	Username, Password string // the administrator's
	// Users are the other demo users, who log in with their own
	// username and password.
	Users []DemoUser
}

// A DemoUser is one of the demo org's users other than the administrator.
type DemoUser struct {
	ID                 rapport.ID
	Name               string
	Username, Password string
	Profile            string // "Standard User", "Read Only", …
	Role               string // the name of their role; empty if none
}

// Load creates a demo org and fills it. On failure it removes the org
// again; while it loads, the org's status is "creating", so nobody can
// sign in to a half-filled org.
func Load(ctx context.Context, tenants *tenant.Service, records *record.Service, opt Options) (Result, error) {
	if err := opt.check(); err != nil {
		return Result{}, err
	}
	password := opt.Password
	if password == "" {
		var err error
		if password, err = newPassword(); err != nil {
			return Result{}, err
		}
	}
	username, err := pickUsername(ctx, tenants.Directory(), opt.Username)
	if err != nil {
		return Result{}, err
	}
	org, err := tenants.CreateOrg(ctx, tenant.OrgParams{
		Name: opt.Name, Username: username, Password: password, FirstName: "Dana", LastName: "Admin",
	})
	if err != nil {
		return Result{}, err
	}
	l := newLoader(ctx, tenants, records, org, opt)
	res := Result{Org: org, Username: username, Password: password}
	res.Users, err = l.load(username, password)
	if err == nil {
		err = tenants.Directory().SetOrgStatus(ctx, org.OrgID, tenant.StatusActive, "")
	}
	if err != nil {
		cleanup := context.WithoutCancel(ctx)
		records.Forget(org.OrgID)
		dir := tenants.Directory()
		if derr := errors.Join(dir.DropNamespace(cleanup, org.OrgID), dir.DeleteOrg(cleanup, org.OrgID)); derr != nil {
			return Result{}, fmt.Errorf("%w (and removing the half-made org %s failed: %v)", err, org.OrgID, derr)
		}
		return Result{}, err
	}
	return res, nil
}

func (o *Options) check() error {
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		o.Name = DefaultName
	}
	if o.Attendees == 0 {
		o.Attendees = DefaultAttendees
	}
	if o.Attendees < 0 || o.Attendees > MaxAttendees {
		return rapport.FieldErrorf(rapport.InvalidArgument, []string{"Attendees"}, "the number of attendees must be from 1 to %d, not %d", MaxAttendees, o.Attendees)
	}
	if o.Password != "" {
		if err := tenant.CheckPasswordPolicy(o.Password); err != nil {
			return err
		}
	}
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	return nil
}

// pickUsername returns the administrator's username: the one asked for,
// if it and the other demo users' usernames are free, or else the first
// free default one.
func pickUsername(ctx context.Context, dir tenant.Directory, asked string) (string, error) {
	if asked != "" {
		asked = strings.TrimSpace(asked)
		if strings.Count(asked, "@") != 1 {
			return "", rapport.FieldErrorf(rapport.InvalidArgument, []string{"Username"}, "the username must look like an email address (name@example.com): %q", asked)
		}
		taken, err := anyTaken(ctx, dir, asked)
		if err != nil {
			return "", err
		}
		if taken != "" {
			return "", rapport.FieldErrorf(rapport.DuplicateValue, []string{"Username"}, "the username %s is already taken", taken)
		}
		return asked, nil
	}
	for n := 1; n <= 1000; n++ {
		u := "demo@" + DefaultDomain
		if n > 1 {
			u = fmt.Sprintf("demo+%d@%s", n, DefaultDomain)
		}
		taken, err := anyTaken(ctx, dir, u)
		if err != nil {
			return "", err
		}
		if taken == "" {
			return u, nil
		}
	}
	return "", errors.New("no free demo username: give one")
}

// anyTaken returns the first of the demo org's usernames for admin that
// is taken, or "".
func anyTaken(ctx context.Context, dir tenant.Directory, admin string) (string, error) {
	names := []string{admin}
	for _, u := range demoUsers {
		names = append(names, userName(admin, u.handle))
	}
	for _, n := range names {
		_, err := dir.Identity(ctx, n)
		switch {
		case err == nil:
			return n, nil
		case rapport.ErrorCode(err) != rapport.NotFound:
			return "", err
		}
	}
	return "", nil
}

// userName is the username of a demo user beside the administrator's:
// demo@rapport.example gives demo+avery@rapport.example, and
// demo+2@rapport.example gives demo+2.avery@rapport.example.
func userName(admin, handle string) string {
	at := strings.LastIndexByte(admin, '@')
	local, domain := admin[:at], admin[at:]
	if strings.Contains(local, "+") {
		return local + "." + handle + domain
	}
	return local + "+" + handle + domain
}

// newPassword makes up a password that meets the password policy and is
// easy to read out: three groups of four letters and digits.
func newPassword() (string, error) {
	const letters = "abcdefghjkmnpqrstuvwxyz"
	const digits = "23456789"
	const alphabet = letters + digits
	for {
		var b strings.Builder
		for i := 0; i < 14; i++ {
			if i == 4 || i == 9 {
				b.WriteByte('-')
				continue
			}
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			if err != nil {
				return "", err
			}
			b.WriteByte(alphabet[n.Int64()])
		}
		if pw := b.String(); tenant.CheckPasswordPolicy(pw) == nil {
			return pw, nil
		}
	}
}

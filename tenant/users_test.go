package tenant_test

import (
	"context"
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/storetest"
	"github.com/rapportcrm/rapport/tenant"
)

func TestCreateUser(t *testing.T) {
	backends := []struct {
		name string
		open func(t *testing.T) sqlstore.Backend
	}{
		{"sqlite", func(t *testing.T) sqlstore.Backend {
			b, err := sqlite.New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
		{"postgres", func(t *testing.T) sqlstore.Backend { return postgres.New(pgtest.Database(t)) }},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db, err := sqlstore.Open(context.Background(), b.open(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			testCreateUser(t, storetest.NewEnv(t, db))
		})
	}
}

func testCreateUser(t *testing.T, e *storetest.Env) {
	ctx := context.Background()
	rs, err := e.Records.Create(e.Ctx, "UserRole", []map[string]any{{"Name": "Analyst"}}, record.WriteOptions{AllOrNone: true})
	if err != nil || rs[0].Err != nil {
		t.Fatalf("create role: %v %v", err, rs)
	}
	role := rs[0].ID
	p := tenant.UserParams{
		Username: "reader." + string(e.Org.OrgID) + "@users.example", Password: "read only 42",
		FirstName: "Casey", LastName: "Brooks", Title: "Analyst", Profile: "Read Only", Role: role, Manager: e.Org.UserID,
	}
	id, err := e.Tenants.CreateUser(ctx, e.Org.OrgID, p)
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if id.Prefix() != "005" {
		t.Errorf("CreateUser = %s, want a 005… user ID", id)
	}
	login, err := e.Tenants.Authenticate(ctx, p.Username, p.Password)
	if err != nil || login.UserID != id || login.OrgID != e.Org.OrgID {
		t.Fatalf("Authenticate = %+v, %v; want user %s", login, err, id)
	}
	users, err := e.Records.Get(e.Ctx, "User", []string{string(id)}, []string{"Username", "Email", "Name", "ProfileId", "UserRoleId", "ManagerId", "TimeZoneSidKey", "IsActive"}, false)
	if err != nil || users[0] == nil {
		t.Fatalf("Get user: %v", err)
	}
	v := users[0].Values
	if v["Username"] != p.Username || v["Email"] != p.Username || v["Name"] != "Casey Brooks" || v["UserRoleId"] != role ||
		v["ManagerId"] != e.Org.UserID || v["TimeZoneSidKey"] != "America/Los_Angeles" || v["IsActive"] != true {
		t.Errorf("user record = %v", v)
	}
	// The profile is the one named.
	var readOnly rapport.ID
	sys := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: e.Org.OrgID, System: true})
	e.Records.Scan(sys, "Profile", []string{"Id", "Name"}, func(m map[string]any) error {
		if m["Name"] == "Read Only" {
			readOnly = m["Id"].(rapport.ID)
		}
		return nil
	})
	if v["ProfileId"] != readOnly {
		t.Errorf("ProfileId = %v, want the Read Only profile %s", v["ProfileId"], readOnly)
	}

	bad := []struct {
		name string
		edit func(p *tenant.UserParams)
		code rapport.Code
	}{
		{"taken username", func(q *tenant.UserParams) {}, rapport.DuplicateValue},
		{"administrator's username", func(q *tenant.UserParams) { q.Username = e.Org.Username }, rapport.DuplicateValue},
		{"no such profile", func(q *tenant.UserParams) { q.Username = "x" + q.Username; q.Profile = "Astronaut" }, rapport.InvalidArgument},
		{"weak password", func(q *tenant.UserParams) { q.Username = "y" + q.Username; q.Password = "short" }, rapport.InvalidArgument},
		{"not an email", func(q *tenant.UserParams) { q.Username = "casey" }, rapport.InvalidArgument},
		{"no last name", func(q *tenant.UserParams) { q.Username = "z" + q.Username; q.LastName = " " }, rapport.InvalidArgument},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			q := p
			tc.edit(&q)
			if _, err := e.Tenants.CreateUser(ctx, e.Org.OrgID, q); rapport.ErrorCode(err) != tc.code {
				t.Errorf("CreateUser = %v, want %s", err, tc.code)
			}
		})
	}
	if _, err := e.Tenants.CreateUser(ctx, "00D000000000000AAA", tenant.UserParams{Username: "ghost@users.example", Password: "ghost pass 1", LastName: "Ghost", Profile: "Standard User"}); rapport.ErrorCode(err) != rapport.NotFound {
		t.Errorf("CreateUser(unknown org) = %v, want NOT_FOUND", err)
	}
}

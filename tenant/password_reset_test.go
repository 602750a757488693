package tenant_test

import (
	"context"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/storetest"
	"github.com/rapportcrm/rapport/tenant"
)

func TestSetPassword(t *testing.T) {
	b, err := sqlite.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := storetest.NewEnv(t, db)
	ctx := context.Background()
	username := "reset." + string(e.Org.OrgID) + "@users.example"
	id, err := e.Tenants.CreateUser(ctx, e.Org.OrgID, tenant.UserParams{Username: username, Password: "first pass 1", LastName: "Reset", Profile: "Standard User"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Tenants.SetPassword(e.Ctx, e.Org.OrgID, id, "short"); rapport.ErrorCode(err) != rapport.InvalidArgument {
		t.Fatalf("SetPassword(weak) = %v, want INVALID_ARGUMENT", err)
	}
	if err := e.Tenants.SetPassword(e.Ctx, "00D000000000000AAA", id, "second pass 2"); rapport.ErrorCode(err) != rapport.NotFound {
		t.Fatalf("SetPassword(other org) = %v, want NOT_FOUND", err)
	}
	if err := e.Tenants.SetPassword(e.Ctx, e.Org.OrgID, id, "second pass 2"); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	if _, err := e.Tenants.Authenticate(ctx, username, "first pass 1"); rapport.ErrorCode(err) != rapport.InvalidLogin {
		t.Errorf("the old password still works: %v", err)
	}
	if _, err := e.Tenants.Authenticate(ctx, username, "second pass 2"); err != nil {
		t.Errorf("the new password fails: %v", err)
	}
	users, err := e.Records.Get(e.Ctx, "User", []string{string(id)}, []string{"LastPasswordChangeDate"}, false)
	if err != nil || users[0] == nil {
		t.Fatalf("Get user: %v", err)
	}
	if at, ok := users[0].Values["LastPasswordChangeDate"].(time.Time); !ok || time.Since(at) > time.Minute {
		t.Errorf("LastPasswordChangeDate = %v", users[0].Values["LastPasswordChangeDate"])
	}

	apps, err := e.Tenants.ConnectedApps(ctx, e.Org.OrgID)
	if err != nil || len(apps) != 0 {
		t.Fatalf("ConnectedApps of a new org = %v, %v", apps, err)
	}
	creds, err := e.Tenants.CreateConnectedApp(ctx, e.Org.OrgID, "Warehouse sync")
	if err != nil {
		t.Fatal(err)
	}
	apps, err = e.Tenants.ConnectedApps(ctx, e.Org.OrgID)
	if err != nil || len(apps) != 1 || apps[0].ClientID != creds.ClientID || apps[0].Name != "Warehouse sync" || apps[0].CreatedAt.IsZero() {
		t.Fatalf("ConnectedApps = %+v, %v", apps, err)
	}
}

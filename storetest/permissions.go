package storetest

import (
	"context"
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/security"
)

// NewUser creates an active user with a profile (by name) and returns it
// with a context acting as that user.
func (e *Env) NewUser(profile, username string) (rapport.ID, context.Context) {
	e.T.Helper()
	sch := e.schema()
	prof := sch.Object("Profile")
	var profID rapport.ID
	err := e.Store.Read(e.Ctx, e.Org.OrgID, func(r record.Reader) error {
		return r.Scan(e.Ctx, prof, []*metadata.Field{prof.Field("Id"), prof.Field("Name")}, func(row []any) error {
			if row[1] == profile {
				profID = row[0].(rapport.ID)
			}
			return nil
		})
	})
	if err != nil || profID == "" {
		e.T.Fatalf("profile %s: %v", profile, err)
	}
	id := e.create("User", map[string]any{"Username": username, "LastName": username, "Email": "u@perm.example", "Alias": "u",
		"ProfileId": string(profID), "TimeZoneSidKey": "America/Los_Angeles", "LocaleSidKey": "en_US", "LanguageLocaleKey": "en_US", "EmailEncodingKey": "UTF-8"})
	return id, rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: e.Org.OrgID, UserID: id})
}

// Grant gives a user a permission set with the given system permissions.
func (e *Env) Grant(user rapport.ID, perms ...string) {
	e.T.Helper()
	m := map[string]any{"Name": "Set_" + string(user) + "_" + perms[0][11:], "Label": "Grant"}
	for _, p := range perms {
		m[p] = true
	}
	set := e.create("PermissionSet", m)
	e.create("PermissionSetAssignment", map[string]any{"AssigneeId": string(user), "PermissionSetId": string(set)})
}

func testSystemPermissions(t *testing.T, s Store) {
	e := NewEnv(t, s)
	if _, err := e.Records.UpdateObject(e.Ctx, "Account", &metadata.Object{SharingModel: metadata.SharingPrivate}); err != nil {
		t.Fatal(err)
	}
	theirs := e.create("Account", map[string]any{"Name": "Owned by the admin"})
	try := func(name string, ctx context.Context, fn func(ctx context.Context) error) (ok bool) {
		err := fn(ctx)
		return err == nil
	}
	update := func(ctx context.Context) error {
		rs, err := e.Records.Update(ctx, "Account", []map[string]any{{"Id": string(theirs), "Description": "x"}}, record.WriteOptions{})
		if err == nil {
			err = rs[0].Err
		}
		return err
	}
	read := func(ctx context.Context) error {
		recs, err := e.Records.Get(ctx, "Account", []string{string(theirs)}, []string{"Name"}, false)
		if err == nil && recs[0] == nil {
			err = rapport.Errorf(rapport.NotFound, "not visible")
		}
		return err
	}
	customize := func(ctx context.Context) error {
		_, err := e.Records.CreateField(ctx, "Account", &metadata.Field{Name: "F" + string(rapport.CurrentPrincipal(ctx).UserID[10:15]) + "__c", Type: metadata.TypeText})
		return err
	}
	manageUsers := func(ctx context.Context) error {
		rs, err := e.Records.Create(ctx, "UserRole", []map[string]any{{"Name": "New role"}}, record.WriteOptions{})
		if err == nil {
			err = rs[0].Err
		}
		return err
	}
	recalc := func(ctx context.Context) error { return e.Records.RecalculateSharing(ctx) }
	cases := []struct {
		perm string
		fn   func(context.Context) error
	}{
		{security.ViewAllData, read},
		{security.ModifyAllData, update},
		{security.CustomizeApplication, customize},
		{security.ManageUsers, manageUsers},
		{security.ManageSharing, recalc},
	}
	for i, tc := range cases {
		user, ctx := e.NewUser("Standard User", "perm"+string(rune('a'+i))+"@"+string(e.Org.OrgID)+".example")
		if try(tc.perm, ctx, tc.fn) {
			t.Errorf("%s: a Standard User could do it without the permission", tc.perm)
		}
		e.Grant(user, tc.perm)
		if err := tc.fn(ctx); err != nil {
			t.Errorf("%s: granted, still refused: %v", tc.perm, err)
		}
	}
	// View All Data reads but does not write.
	user, ctx := e.NewUser("Standard User", "viewer@"+string(e.Org.OrgID)+".example")
	e.Grant(user, security.ViewAllData)
	if read(ctx) != nil || update(ctx) == nil {
		t.Errorf("View All Data: read %v, update %v; want read only", read(ctx), update(ctx))
	}
	// Transfer Record lets an editor change owners of records they do not own.
	if _, err := e.Records.UpdateObject(e.Ctx, "Account", &metadata.Object{SharingModel: metadata.SharingReadWrite}); err != nil {
		t.Fatal(err)
	}
	mover, mctx := e.NewUser("Standard User", "mover@"+string(e.Org.OrgID)+".example")
	transfer := func(ctx context.Context) error {
		rs, err := e.Records.Update(ctx, "Account", []map[string]any{{"Id": string(theirs), "OwnerId": string(mover)}}, record.WriteOptions{})
		if err == nil {
			err = rs[0].Err
		}
		return err
	}
	if transfer(mctx) == nil {
		t.Errorf("an editor changed the owner of another's record without Transfer Record")
	}
	e.Grant(mover, security.TransferAnyEntity)
	if err := transfer(mctx); err != nil {
		t.Errorf("Transfer Record granted, owner change refused: %v", err)
	}
	// An inactive user can do nothing.
	gone, gctx := e.NewUser("Standard User", "gone@"+string(e.Org.OrgID)+".example")
	e.update("User", map[string]any{"Id": string(gone), "IsActive": false})
	if _, err := e.Records.Create(gctx, "Account", []map[string]any{{"Name": "x"}}, record.WriteOptions{}); err == nil {
		t.Errorf("an inactive user created a record")
	}
}

func testUpgrade(t *testing.T, s Store) {
	e := NewEnv(t, s)
	_, ctx := e.NewUser("Standard User", "upgrade@"+string(e.Org.OrgID)+".example")
	readAccounts := func() error {
		_, err := e.Records.Get(ctx, "Account", []string{string(e.create("Account", map[string]any{"Name": "x"}))}, nil, false)
		return err
	}
	if err := readAccounts(); err != nil {
		t.Fatalf("a Standard User reads accounts: %v", err)
	}
	// As if the org came from a build without permission sets.
	sys := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: e.Org.OrgID, System: true})
	var set rapport.ID
	if err := e.Records.Scan(sys, "PermissionSet", []string{"Id", "Label", "IsOwnedByProfile"}, func(v map[string]any) error {
		if v["Label"] == "Standard User" && v["IsOwnedByProfile"] == true {
			set = v["Id"].(rapport.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if rs, err := e.Records.HardDelete(e.Ctx, []string{string(set)}, record.WriteOptions{AllOrNone: true}); err != nil || rs[0].Err != nil {
		t.Fatalf("hard delete of the profile's permission set %q: %v %v", set, err, rs)
	}
	if readAccounts() == nil {
		t.Fatalf("a Standard User without a permission set still reads accounts")
	}
	owned := 0
	if err := e.Records.Scan(sys, "PermissionSet", []string{"IsOwnedByProfile"}, func(v map[string]any) error {
		if v["IsOwnedByProfile"] == true {
			owned++
		}
		return nil
	}); err != nil || owned != 3 {
		t.Fatalf("profile-owned permission sets: %d, %v; want the other 3 profiles' one each", owned, err)
	}
	if _, err := e.Tenants.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := readAccounts(); err != nil {
		t.Errorf("after migrate, the Standard User's grants are back: %v", err)
	}
	// Standard fields a newer build ships are installed once.
	std := metadata.StandardObjects()
	for _, o := range std {
		if o.Name == "Account" {
			o.Fields = append(o.Fields, &metadata.Field{Name: "Tier", Label: "Tier", Type: metadata.TypeText, Length: 20})
		}
	}
	added, err := e.Records.SyncStandard(sys, std)
	if err != nil || len(added) != 1 || added[0] != "Account.Tier" {
		t.Fatalf("SyncStandard = %v, %v", added, err)
	}
	if added, _ := e.Records.SyncStandard(sys, std); len(added) != 0 {
		t.Errorf("second SyncStandard added %v", added)
	}
	e.create("Account", map[string]any{"Name": "tiered", "Tier": "Gold"})
	if _, err := e.Records.SyncStandard(e.Ctx, std); err == nil {
		t.Errorf("a user ran SyncStandard")
	}
}

package main

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/security"
)

func TestAccessExplain(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		org := createOrg(t, where, "Explain", "admin@explain-"+where[0][2:]+".example")
		db, _ := openStore(t, where)
		recs := record.NewService(db, record.Options{})
		ctx := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: org.OrgID, UserID: org.UserID})
		if _, err := recs.UpdateObject(ctx, "Account", &metadata.Object{SharingModel: metadata.SharingPrivate}); err != nil {
			t.Fatal(err)
		}
		username := "rep@explain-" + where[0][2:] + ".example"
		res, err := recs.Create(ctx, "User", []map[string]any{{"Username": username, "LastName": "Rep", "Email": "rep@explain.example",
			"Alias": "rep", "ProfileId": string(profileID(t, db, recs, ctx, "Standard User")), "TimeZoneSidKey": "America/Los_Angeles",
			"LocaleSidKey": "en_US", "LanguageLocaleKey": "en_US", "EmailEncodingKey": "UTF-8"}}, record.WriteOptions{})
		if err != nil || res[0].Err != nil {
			t.Fatal(err, res)
		}
		rep := res[0].ID
		acct, err := recs.Create(ctx, "Account", []map[string]any{{"Name": "Private Co"}}, record.WriteOptions{})
		if err != nil || acct[0].Err != nil {
			t.Fatal(err, acct)
		}
		base := append([]string{"access", "explain", "--org", string(org.OrgID), "--user", username, "--record", string(acct[0].ID)}, where...)
		out := rapportCmd(t, nil, "", base...)
		if out.code != 0 || !strings.Contains(out.stdout, "read: no   edit: no   delete: no") || !strings.Contains(out.stdout, "org-wide default for Account: Private") {
			t.Fatalf("explain before sharing: exit %d\n%s%s", out.code, out.stdout, out.stderr)
		}
		if err := recs.Share(ctx, string(acct[0].ID), string(rep), security.Edit); err != nil {
			t.Fatal(err)
		}
		out = rapportCmd(t, nil, "", base...)
		if out.code != 0 || !strings.Contains(out.stdout, "read: yes   edit: yes   delete: no") || !strings.Contains(out.stdout, "shared (Manual)") {
			t.Fatalf("explain after sharing: exit %d\n%s%s", out.code, out.stdout, out.stderr)
		}
		wantOneErrorLine(t, rapportCmd(t, nil, "", append([]string{"access", "explain", "--org", string(org.OrgID)}, where...)...), 2, `needs --org, --user and --record`)
	})
}

// profileID finds a profile by name through the store's reader.
func profileID(t *testing.T, store record.Store, recs *record.Service, ctx context.Context, name string) rapport.ID {
	t.Helper()
	org := rapport.CurrentPrincipal(ctx).OrgID
	sch, err := recs.Schema(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	obj := sch.Object("Profile")
	var id rapport.ID
	err = store.Read(ctx, org, func(r record.Reader) error {
		return r.Scan(ctx, obj, []*metadata.Field{obj.Field("Id"), obj.Field("Name")}, func(row []any) error {
			if row[1] == name {
				id = row[0].(rapport.ID)
			}
			return nil
		})
	})
	if err != nil || id == "" {
		t.Fatalf("profile %s: %v", name, err)
	}
	return id
}

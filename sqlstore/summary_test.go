package sqlstore_test

import (
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
)

// An org from a build before layout 6 has campaigns whose member counts
// were never computed; migrating computes them from the members, once.
func TestRollupUpgrade(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			u := newUpgradeOrg(t, name)
			env := u.env
			create := func(object string, recs ...map[string]any) []record.Result {
				t.Helper()
				res, err := env.Records.Create(env.Ctx, object, recs, record.WriteOptions{AllOrNone: true})
				if err != nil {
					t.Fatalf("create %s: %v", object, err)
				}
				return res
			}
			camp := create("Campaign", map[string]any{"Name": "Dreamforce"})[0].ID
			people := create("Contact", map[string]any{"LastName": "One"}, map[string]any{"LastName": "Two"}, map[string]any{"LastName": "Three"})
			for _, p := range people {
				create("CampaignMember", map[string]any{"CampaignId": string(camp), "ContactId": string(p.ID)})
			}
			count := func() any {
				t.Helper()
				recs, err := env.Records.Get(env.Ctx, "Campaign", []string{string(camp)}, []string{"NumberOfContacts"}, false)
				if err != nil {
					t.Fatal(err)
				}
				return recs[0].Values["NumberOfContacts"]
			}
			if got := count(); got != 3.0 {
				t.Fatalf("a new org's campaign counts %v contacts, want 3", got)
			}

			// As a build before layout 6 left it.
			campaign, member := u.sch.Object("Campaign"), u.sch.Object("CampaignMember")
			u.exec(t,
				`UPDATE `+u.ns.Prefix+`"`+campaign.Table+`" SET "`+campaign.Field("NumberOfContacts").Column+`" = NULL`,
				`UPDATE `+u.ns.Prefix+`"`+member.Table+`" SET "`+member.Field("LeadOrContactId").Column+`" = NULL, "`+member.Field("Type").Column+`" = NULL`,
				`UPDATE `+u.ns.Prefix+`_meta SET value = 5 WHERE key = 'layout'`)
			if got := count(); got != nil {
				t.Fatalf("before migrating: %v contacts", got)
			}
			u.migrate(t)
			if got := count(); got != 3.0 {
				t.Fatalf("after migrating, the campaign counts %v contacts, want 3", got)
			}
			members := 0
			sys := rapport.WithPrincipal(u.ctx, rapport.Principal{OrgID: u.org, System: true})
			err := env.Records.Scan(sys, "CampaignMember", []string{"Id", "ContactId", "LeadOrContactId", "Type"}, func(v map[string]any) error {
				if v["LeadOrContactId"] != v["ContactId"] || v["Type"] != "Contact" {
					t.Errorf("after migrating, a member's person: %v", v)
				}
				members++
				return nil
			})
			if err != nil || members != 3 {
				t.Fatalf("members after migrating: %d, %v", members, err)
			}
			// Writes keep the count from then on.
			extra := create("Contact", map[string]any{"LastName": "Four"})[0].ID
			create("CampaignMember", map[string]any{"CampaignId": string(camp), "ContactId": string(extra)})
			if got := count(); got != 4.0 {
				t.Fatalf("after one more member: %v contacts, want 4", got)
			}
		})
	}
}

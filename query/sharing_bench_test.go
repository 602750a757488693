package query_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/security"
)

// sharingWorld is the security benchmark's org: a private object of
// 170,000 records, 1,000 users in a five-level role hierarchy and a dozen
// sharing rules.
type sharingWorld struct {
	*world
	rep, manager rapport.ID // a user at the bottom, one in the middle
	q            *query.Service
}

var sharingWorlds = map[string]*sharingWorld{}

const sharingRecords = 170000

func buildSharingWorld(b *testing.B, name string, mk func(t testing.TB) dialect) *sharingWorld {
	benchMu.Lock()
	defer benchMu.Unlock()
	if sw := sharingWorlds[name]; sw != nil {
		return sw
	}
	w := newWorld(&keepTB{b}, "sharing-"+name, mk)
	r := rand.New(rand.NewPCG(7, 11))
	// Roles: 1 + 4 + 16 + 64 + 256 = 341, five levels.
	levels := [][]rapport.ID{}
	var parents []rapport.ID
	for depth, n := range []int{1, 4, 16, 64, 256} {
		var recs []map[string]any
		for i := 0; i < n; i++ {
			m := map[string]any{"Name": fmt.Sprintf("Role %d.%d", depth, i)}
			if depth > 0 {
				m["ParentRoleId"] = string(parents[i/4])
			}
			recs = append(recs, m)
		}
		ids := w.create(b, "UserRole", recs)
		levels = append(levels, ids)
		parents = ids
	}
	prof := w.adminIDs(b, "SELECT Id FROM Profile WHERE Name = 'Standard User'")[0]
	var users []map[string]any
	for i := 0; i < 1000; i++ {
		depth := []int{1, 2, 3, 3, 4, 4, 4, 4, 4, 4}[i%10]
		if i == 0 {
			depth = 0
		}
		role := levels[depth][r.IntN(len(levels[depth]))]
		users = append(users, map[string]any{"Username": fmt.Sprintf("user%d@%s.sharing.example", i, name), "LastName": fmt.Sprint("User ", i),
			"Email": fmt.Sprintf("user%d@sharing.example", i), "Alias": fmt.Sprint("u", i), "ProfileId": string(prof), "UserRoleId": string(role),
			"TimeZoneSidKey": "America/Los_Angeles", "LocaleSidKey": "en_US", "LanguageLocaleKey": "en_US", "EmailEncodingKey": "UTF-8"})
	}
	userIDs := w.create(b, "User", users)
	sw := &sharingWorld{world: w}
	sw.manager = userIDs[11] // a level-2 user
	sw.rep = userIDs[4]      // a level-4 user
	if _, err := w.records.CreateObject(w.ctx, &metadata.Object{Name: "Ticket__c", Fields: []*metadata.Field{
		{Name: "Status__c", Type: metadata.TypePicklist, Picklist: &metadata.Picklist{Values: []metadata.PicklistValue{{Value: "Open"}, {Value: "Closed"}}}},
		{Name: "Region__c", Type: metadata.TypePicklist, Picklist: &metadata.Picklist{Values: []metadata.PicklistValue{{Value: "AMER"}, {Value: "EMEA"}, {Value: "APAC"}}}},
		{Name: "Amount__c", Type: metadata.TypeCurrency},
	}}); err != nil {
		b.Fatal(err)
	}
	var rules []metadata.SharingRule
	for i := 0; i < 6; i++ {
		rules = append(rules, metadata.SharingRule{Name: fmt.Sprint("Owner", i), From: security.RoleAndSubordinatesGroup(levels[2][i]),
			To: security.RoleAndSubordinatesGroup(levels[2][15-i]), Access: "Read"})
		rules = append(rules, metadata.SharingRule{Name: fmt.Sprint("Region", i), Field: "Region__c", Op: "equals", Value: []string{"AMER", "EMEA", "APAC"}[i%3],
			To: security.RoleGroup(levels[3][i*5]), Access: "Edit"})
	}
	if _, err := w.records.UpdateObject(w.ctx, "Ticket__c", &metadata.Object{SharingModel: metadata.SharingPrivate, SharingRules: rules}); err != nil {
		b.Fatal(err)
	}
	for lo := 0; lo < sharingRecords; lo += 5000 {
		var recs []map[string]any
		for i := lo; i < lo+5000; i++ {
			recs = append(recs, map[string]any{"Name": fmt.Sprintf("Ticket %06d", r.IntN(1000000)), "OwnerId": string(userIDs[r.IntN(len(userIDs))]),
				"Status__c": []string{"Open", "Closed"}[i%2], "Region__c": []string{"AMER", "EMEA", "APAC"}[i%3], "Amount__c": float64(i % 9973)})
		}
		w.create(b, "Ticket__c", recs)
	}
	if err := w.db.Analyze(w.ctx, w.org.OrgID); err != nil {
		b.Fatal(err)
	}
	sw.q = query.NewService(w.db, mustDialect(b, w), w.records, query.Config{Now: w.clockFunc(), Access: record.Access{S: w.records}})
	sharingWorlds[name] = sw
	return sw
}

func (w *world) adminIDs(t testing.TB, src string) []rapport.ID {
	res, err := w.q.Run(w.ctx, src, query.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []rapport.ID
	for _, r := range res.Records {
		out = append(out, r.ID)
	}
	return out
}

// BenchmarkSharing runs a typical list query over the private object as an
// administrator (no row filter), a manager and a rep (row filters through
// the role hierarchy, rules and shares), and times a full recalculation of
// group membership.
func BenchmarkSharing(b *testing.B) {
	for name, mk := range backends(b) {
		b.Run(name, func(b *testing.B) {
			sw := buildSharingWorld(b, name, mk)
			const src = "SELECT Id, Name, Status__c, Amount__c, Owner.Name FROM Ticket__c WHERE Status__c = 'Open' ORDER BY Name LIMIT 50"
			as := map[string]context.Context{
				"admin":   sw.ctx,
				"manager": rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: sw.org.OrgID, UserID: sw.manager}),
				"rep":     rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: sw.org.OrgID, UserID: sw.rep}),
			}
			for _, who := range []string{"admin", "manager", "rep"} {
				ctx := as[who]
				b.Run("list/"+who, func(b *testing.B) {
					rows := 0
					for b.Loop() {
						res, err := sw.q.Run(ctx, src, query.Options{})
						if err != nil {
							b.Fatal(err)
						}
						rows = len(res.Records)
					}
					b.ReportMetric(float64(rows), "rows")
				})
			}
			b.Run("recalculate", func(b *testing.B) {
				for b.Loop() {
					if err := sw.records.RecalculateSharing(sw.ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

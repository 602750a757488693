package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/security"
)

// QueryFor returns a query service over the store for the access test; the
// backends pass one in through RunAccess.
type QueryFor func(recs *record.Service) *query.Service

// RunAccess runs the model-based access test: a random org (a role tree,
// users, nested groups, permission sets, an object with a child, sharing
// rules and manual shares) goes through random changes, and after each
// change what every checked user sees and may edit through SOQL and the
// record layer is compared with a simple reference model. The seed comes
// from RAPPORT_ACCESS_SEED (default 1); each subtest logs it.
func RunAccess(t *testing.T, store Store, queries QueryFor) {
	seed := uint64(1)
	if s := os.Getenv("RAPPORT_ACCESS_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("RAPPORT_ACCESS_SEED: %v", err)
		}
		seed = n
	}
	for i := uint64(0); i < 2; i++ {
		s := seed + i
		t.Run(fmt.Sprintf("seed=%d", s), func(t *testing.T) {
			t.Logf("reproduce with RAPPORT_ACCESS_SEED=%d", s)
			newAccessWorld(t, store, queries, s).run()
		})
	}
}

// The reference model.
type mUser struct {
	id      rapport.ID
	role    rapport.ID
	profile string // Standard User, Read Only, Marketing User
	active  bool
	viewAll bool // has the WidgetViewAll permission set
	secret  bool // has the SecretReader permission set
}

type mGroup struct {
	id      rapport.ID
	members []rapport.ID // users and groups
	bosses  bool
}

type mWidget struct {
	id     rapport.ID
	owner  rapport.ID
	tier   string
	amount float64
	shares map[string]security.Level // manual shares by group
}

type accessWorld struct {
	*Env
	t       *testing.T
	r       *rand.Rand
	q       *query.Service
	profile map[string]rapport.ID
	roles   map[rapport.ID]rapport.ID // role → parent
	users   []*mUser
	byID    map[rapport.ID]*mUser
	groups  []*mGroup
	gByID   map[rapport.ID]*mGroup
	owd     string
	rules   []metadata.SharingRule
	widgets []*mWidget
	parts   map[rapport.ID]*mWidget
	checks  int
}

var tiers = []string{"Gold", "Silver", "Bronze"}

func newAccessWorld(t *testing.T, store Store, queries QueryFor, seed uint64) *accessWorld {
	e := NewEnv(t, store)
	w := &accessWorld{Env: e, t: t, r: rand.New(rand.NewPCG(seed, seed*7919)), q: queries(e.Records),
		profile: map[string]rapport.ID{}, roles: map[rapport.ID]rapport.ID{}, byID: map[rapport.ID]*mUser{},
		gByID: map[rapport.ID]*mGroup{}, parts: map[rapport.ID]*mWidget{}}
	w.setup()
	return w
}

func (w *accessWorld) must(rs []record.Result, err error) []rapport.ID {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
	ids := make([]rapport.ID, len(rs))
	for i, r := range rs {
		if r.Err != nil {
			w.t.Fatalf("admin write: %v", r.Err)
		}
		ids[i] = r.ID
	}
	return ids
}

func (w *accessWorld) adminQuery(src string) *query.Result {
	w.t.Helper()
	res, err := w.q.Run(w.Ctx, src, query.Options{})
	if err != nil {
		w.t.Fatalf("%s: %v", src, err)
	}
	return res
}

func (w *accessWorld) setup() {
	res := w.adminQuery("SELECT Id, Name FROM Profile")
	for _, r := range res.Records {
		name, _ := r.Get("Name")
		w.profile[name.(string)] = r.ID
	}
	// A role tree up to six levels deep.
	var roleIDs []rapport.ID
	depth := map[rapport.ID]int{}
	for i := 0; i < 12; i++ {
		m := map[string]any{"Name": fmt.Sprintf("Role %d", i)}
		var parent rapport.ID
		if i > 0 && w.r.IntN(5) > 0 {
			parent = roleIDs[w.r.IntN(len(roleIDs))]
			if depth[parent] >= 5 {
				parent = ""
			}
		}
		if parent != "" {
			m["ParentRoleId"] = string(parent)
		}
		id := w.must(w.Records.Create(w.Ctx, "UserRole", []map[string]any{m}, record.WriteOptions{}))[0]
		roleIDs = append(roleIDs, id)
		w.roles[id] = parent
		if parent != "" {
			depth[id] = depth[parent] + 1
		}
	}
	// Fifty users.
	profiles := []string{"Standard User", "Standard User", "Standard User", "Read Only", "Marketing User"}
	var recs []map[string]any
	for i := 0; i < 50; i++ {
		u := &mUser{profile: profiles[w.r.IntN(len(profiles))], active: true}
		if w.r.IntN(10) > 0 {
			u.role = roleIDs[w.r.IntN(len(roleIDs))]
		}
		m := map[string]any{"Username": fmt.Sprintf("u%d.%s@access.example", i, w.Org.OrgID), "LastName": fmt.Sprintf("User %d", i),
			"Email": fmt.Sprintf("u%d@access.example", i), "Alias": fmt.Sprintf("u%d", i), "ProfileId": string(w.profile[u.profile]),
			"TimeZoneSidKey": "America/Los_Angeles", "LocaleSidKey": "en_US", "LanguageLocaleKey": "en_US", "EmailEncodingKey": "UTF-8", "IsActive": true}
		if u.role != "" {
			m["UserRoleId"] = string(u.role)
		}
		w.users = append(w.users, u)
		recs = append(recs, m)
	}
	for i, id := range w.must(w.Records.Create(w.Ctx, "User", recs, record.WriteOptions{AllOrNone: true})) {
		w.users[i].id = id
		w.byID[id] = w.users[i]
	}
	// The object under test, with a field only a permission set shows, and a
	// detail object controlled by it.
	if _, err := w.Records.CreateObject(w.Ctx, &metadata.Object{Name: "Widget__c", Fields: []*metadata.Field{
		{Name: "Amount__c", Type: metadata.TypeNumber, Precision: 10},
		{Name: "Tier__c", Type: metadata.TypePicklist, Picklist: &metadata.Picklist{Values: []metadata.PicklistValue{{Value: "Gold"}, {Value: "Silver"}, {Value: "Bronze"}}}},
		{Name: "Secret__c", Type: metadata.TypeText, Length: 40},
	}}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.Records.CreateObject(w.Ctx, &metadata.Object{Name: "Part__c", Fields: []*metadata.Field{
		{Name: "Widget__c", Type: metadata.TypeMasterDetail, ReferenceTo: []string{"Widget__c"}, ChildRelationshipName: "Parts"},
	}}); err != nil {
		w.t.Fatal(err)
	}
	var grants []string
	for _, r := range w.adminQuery("SELECT Id FROM FieldPermissions WHERE Field = 'Widget__c.Secret__c'").Records {
		grants = append(grants, string(r.ID))
	}
	if _, err := w.Records.Delete(w.Ctx, grants, record.WriteOptions{AllOrNone: true}); err != nil {
		w.t.Fatal(err)
	}
	sets := w.must(w.Records.Create(w.Ctx, "PermissionSet", []map[string]any{
		{"Name": "WidgetViewAll", "Label": "Widget View All"}, {"Name": "SecretReader", "Label": "Secret Reader"},
	}, record.WriteOptions{AllOrNone: true}))
	w.must(w.Records.Create(w.Ctx, "ObjectPermissions", []map[string]any{
		{"ParentId": string(sets[0]), "SobjectType": "Widget__c", "PermissionsRead": true, "PermissionsViewAllRecords": true},
		{"ParentId": string(sets[1]), "SobjectType": "Widget__c", "PermissionsRead": true},
	}, record.WriteOptions{AllOrNone: true}))
	w.must(w.Records.Create(w.Ctx, "FieldPermissions", []map[string]any{
		{"ParentId": string(sets[1]), "SobjectType": "Widget__c", "Field": "Widget__c.Secret__c", "PermissionsRead": true},
	}, record.WriteOptions{AllOrNone: true}))
	recs = nil
	for _, u := range w.users {
		if w.r.IntN(12) == 0 {
			u.viewAll = true
			recs = append(recs, map[string]any{"AssigneeId": string(u.id), "PermissionSetId": string(sets[0])})
		}
		if w.r.IntN(4) == 0 {
			u.secret = true
			recs = append(recs, map[string]any{"AssigneeId": string(u.id), "PermissionSetId": string(sets[1])})
		}
	}
	w.must(w.Records.Create(w.Ctx, "PermissionSetAssignment", recs, record.WriteOptions{AllOrNone: true}))
	// Public groups, nested.
	for i := 0; i < 4; i++ {
		g := &mGroup{bosses: w.r.IntN(2) == 0}
		g.id = w.must(w.Records.Create(w.Ctx, "Group", []map[string]any{{"Name": fmt.Sprintf("Group %d", i), "Type": "Regular", "DoesIncludeBosses": g.bosses}}, record.WriteOptions{}))[0]
		w.groups = append(w.groups, g)
		w.gByID[g.id] = g
		for j := 0; j < 3; j++ {
			w.addMember(g, w.users[w.r.IntN(len(w.users))].id)
		}
		if i > 0 && w.r.IntN(2) == 0 {
			w.addMember(g, w.groups[w.r.IntN(i)].id)
		}
	}
	w.setOWD([]string{metadata.SharingPrivate, metadata.SharingRead, metadata.SharingReadWrite}[w.r.IntN(3)])
	w.setRules(w.randomRules())
	// Records.
	recs = nil
	for i := 0; i < 40; i++ {
		wd := &mWidget{owner: w.randomActiveUser().id, tier: tiers[w.r.IntN(3)], amount: float64(i), shares: map[string]security.Level{}}
		w.widgets = append(w.widgets, wd)
		recs = append(recs, map[string]any{"Name": fmt.Sprintf("W%d", i), "OwnerId": string(wd.owner), "Tier__c": wd.tier, "Amount__c": wd.amount, "Secret__c": "s"})
	}
	for i, id := range w.must(w.Records.Create(w.Ctx, "Widget__c", recs, record.WriteOptions{AllOrNone: true})) {
		w.widgets[i].id = id
	}
	recs = nil
	var parents []*mWidget
	for i := 0; i < 20; i++ {
		wd := w.widgets[w.r.IntN(len(w.widgets))]
		parents = append(parents, wd)
		recs = append(recs, map[string]any{"Name": fmt.Sprintf("P%d", i), "Widget__c": string(wd.id)})
	}
	for i, id := range w.must(w.Records.Create(w.Ctx, "Part__c", recs, record.WriteOptions{AllOrNone: true})) {
		w.parts[id] = parents[i]
	}
	for i := 0; i < 10; i++ {
		w.manualShare()
	}
}

func (w *accessWorld) randomActiveUser() *mUser {
	for {
		if u := w.users[w.r.IntN(len(w.users))]; u.active {
			return u
		}
	}
}

// randomGroup names a group as sharing does: a public group, a role or a
// role with its subordinates.
func (w *accessWorld) randomGroup() string {
	switch w.r.IntN(3) {
	case 0:
		return string(w.groups[w.r.IntN(len(w.groups))].id)
	case 1:
		return security.RoleGroup(w.randomRole())
	}
	return security.RoleAndSubordinatesGroup(w.randomRole())
}

func (w *accessWorld) randomRole() rapport.ID {
	var ids []rapport.ID
	for id := range w.roles {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids[w.r.IntN(len(ids))]
}

func (w *accessWorld) addMember(g *mGroup, member rapport.ID) {
	for _, m := range g.members {
		if m == member {
			return
		}
	}
	w.must(w.Records.Create(w.Ctx, "GroupMember", []map[string]any{{"GroupId": string(g.id), "UserOrGroupId": string(member)}}, record.WriteOptions{}))
	g.members = append(g.members, member)
}

func (w *accessWorld) removeMember(g *mGroup, member rapport.ID) {
	var id rapport.ID
	err := w.Records.Scan(rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: w.Org.OrgID, System: true}), "GroupMember",
		[]string{"Id", "GroupId", "UserOrGroupId"}, func(v map[string]any) error {
			if v["GroupId"] == g.id && v["UserOrGroupId"] == member {
				id = v["Id"].(rapport.ID)
			}
			return nil
		})
	if err != nil || id == "" {
		w.t.Fatalf("find member %s of %s: %v", member, g.id, err)
	}
	w.must(w.Records.Delete(w.Ctx, []string{string(id)}, record.WriteOptions{}))
	kept := g.members[:0]
	for _, m := range g.members {
		if m != member {
			kept = append(kept, m)
		}
	}
	g.members = kept
}

func (w *accessWorld) setOWD(model string) {
	w.owd = model
	if _, err := w.Records.UpdateObject(w.Ctx, "Widget__c", &metadata.Object{SharingModel: model, SharingRules: w.rules}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *accessWorld) randomRules() []metadata.SharingRule {
	var rules []metadata.SharingRule
	for i := 0; i < 1+w.r.IntN(3); i++ {
		r := metadata.SharingRule{Name: fmt.Sprintf("Rule%d", i), To: w.randomGroup(), Access: []string{"Read", "Edit"}[w.r.IntN(2)]}
		if w.r.IntN(2) == 0 {
			r.From = w.randomGroup()
		} else {
			r.Field, r.Op, r.Value = "Tier__c", "equals", tiers[w.r.IntN(3)]
		}
		rules = append(rules, r)
	}
	return rules
}

func (w *accessWorld) setRules(rules []metadata.SharingRule) {
	w.rules = rules
	if _, err := w.Records.UpdateObject(w.Ctx, "Widget__c", &metadata.Object{SharingModel: w.owd, SharingRules: rules}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *accessWorld) manualShare() {
	wd := w.widgets[w.r.IntN(len(w.widgets))]
	var g string
	if w.r.IntN(2) == 0 {
		g = string(w.users[w.r.IntN(len(w.users))].id)
	} else {
		g = w.randomGroup()
	}
	lvl := security.Level(1 + w.r.IntN(2))
	if err := w.Records.Share(w.Ctx, string(wd.id), g, lvl); err != nil {
		w.t.Fatalf("share %s with %s: %v", wd.id, g, err)
	}
	wd.shares[g] = lvl
}

// Model: the role hierarchy.
func (w *accessWorld) roleAbove(upper, lower rapport.ID) bool {
	if upper == "" || lower == "" {
		return false
	}
	seen := map[rapport.ID]bool{}
	for r := w.roles[lower]; r != "" && !seen[r]; r = w.roles[r] {
		seen[r] = true
		if r == upper {
			return true
		}
	}
	return false
}

// above reports whether u's role is above v's.
func (w *accessWorld) above(u, v *mUser) bool { return w.roleAbove(u.role, v.role) }

func (w *accessWorld) inRoleTree(role, top rapport.ID) bool {
	return role != "" && (role == top || w.roleAbove(top, role))
}

// isMemberProper reports whether u is one of the members proper of group
// g, active or not.
func (w *accessWorld) isMemberProper(u *mUser, g string, seen map[string]bool) bool {
	if seen[g] {
		return false
	}
	seen[g] = true
	switch {
	case len(g) > 5 && g[:5] == "role:":
		return u.role == rapport.ID(g[5:])
	case len(g) > 8 && g[:8] == "rolesub:":
		return w.inRoleTree(u.role, rapport.ID(g[8:]))
	}
	if grp := w.gByID[rapport.ID(g)]; grp != nil {
		for _, m := range grp.members {
			if m == u.id || w.isMemberProper(u, string(m), seen) {
				return true
			}
		}
		return false
	}
	return rapport.ID(g) == u.id
}

// reaches reports whether something shared with group g reaches u: its
// members, and the superiors of its members (always for roles and users,
// for public groups that include bosses).
func (w *accessWorld) reaches(u *mUser, g string) bool {
	if !u.active {
		return false
	}
	if w.isMemberProper(u, g, map[string]bool{}) {
		return true
	}
	switch {
	case len(g) > 5 && g[:5] == "role:":
		return w.roleAbove(u.role, rapport.ID(g[5:]))
	case len(g) > 8 && g[:8] == "rolesub:":
		return w.roleAbove(u.role, rapport.ID(g[8:]))
	}
	if grp := w.gByID[rapport.ID(g)]; grp != nil {
		if !grp.bosses {
			return false
		}
		for _, v := range w.users {
			if v.active && w.isMemberProper(v, g, map[string]bool{}) && w.above(u, v) {
				return true
			}
		}
		return false
	}
	if v := w.byID[rapport.ID(g)]; v != nil {
		return w.above(u, v)
	}
	return false
}

func (w *accessWorld) canRead(u *mUser) bool { return u.active }

func (w *accessWorld) canEditObject(u *mUser) bool { return u.active && u.profile != "Read Only" }

// access is the level of access u has to wd, in the model.
func (w *accessWorld) access(u *mUser, wd *mWidget) security.Level {
	if !w.canRead(u) {
		return security.None
	}
	owner := w.byID[wd.owner]
	if u.id == wd.owner || (owner != nil && w.above(u, owner)) {
		return security.All
	}
	lvl := security.None
	switch w.owd {
	case metadata.SharingReadWrite:
		lvl = security.Edit
	case metadata.SharingRead:
		lvl = security.Read
	}
	if u.viewAll && lvl < security.Read {
		lvl = security.Read
	}
	for g, l := range wd.shares {
		if l > lvl && w.reaches(u, g) {
			lvl = l
		}
	}
	for _, r := range w.rules {
		l, _ := security.ParseLevel(r.Access)
		if l <= lvl || !w.reaches(u, r.To) {
			continue
		}
		matches := false
		if r.From != "" {
			matches = owner != nil && w.isMemberProper(owner, r.From, map[string]bool{})
		} else {
			matches = wd.tier == r.Value
		}
		if matches {
			lvl = l
		}
	}
	return lvl
}

func (w *accessWorld) userCtx(u *mUser) context.Context {
	return rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: w.Org.OrgID, UserID: u.id})
}

// step makes one random change, as the administrator.
func (w *accessWorld) step() string {
	switch w.r.IntN(8) {
	case 0:
		wd := w.widgets[w.r.IntN(len(w.widgets))]
		u := w.randomActiveUser()
		w.must(w.Records.Update(w.Ctx, "Widget__c", []map[string]any{{"Id": string(wd.id), "OwnerId": string(u.id)}}, record.WriteOptions{}))
		wd.owner = u.id
		wd.shares = map[string]security.Level{} // manual shares go with the old owner
		return "owner change"
	case 1:
		u := w.users[w.r.IntN(len(w.users))]
		var role any
		u.role = ""
		if w.r.IntN(5) > 0 {
			u.role = w.randomRole()
			role = string(u.role)
		}
		w.must(w.Records.Update(w.Ctx, "User", []map[string]any{{"Id": string(u.id), "UserRoleId": role}}, record.WriteOptions{}))
		return "role change"
	case 2:
		g := w.groups[w.r.IntN(len(w.groups))]
		if len(g.members) > 0 && w.r.IntN(2) == 0 {
			w.removeMember(g, g.members[w.r.IntN(len(g.members))])
			return "group member removed"
		}
		w.addMember(g, w.users[w.r.IntN(len(w.users))].id)
		return "group member added"
	case 3:
		u := w.users[w.r.IntN(len(w.users))]
		u.active = !u.active
		w.must(w.Records.Update(w.Ctx, "User", []map[string]any{{"Id": string(u.id), "IsActive": u.active}}, record.WriteOptions{}))
		return "user (de)activated"
	case 4:
		w.setOWD([]string{metadata.SharingPrivate, metadata.SharingRead, metadata.SharingReadWrite}[w.r.IntN(3)])
		return "OWD " + w.owd
	case 5:
		w.setRules(w.randomRules())
		return "new sharing rules"
	case 6:
		w.manualShare()
		return "manual share"
	default:
		wd := w.widgets[w.r.IntN(len(w.widgets))]
		wd.tier = tiers[w.r.IntN(3)]
		w.must(w.Records.Update(w.Ctx, "Widget__c", []map[string]any{{"Id": string(wd.id), "Tier__c": wd.tier}}, record.WriteOptions{}))
		return "tier change"
	}
}

// check compares what u sees and may edit with the model.
func (w *accessWorld) check(u *mUser, what string) {
	t := w.t
	ctx := w.userCtx(u)
	res, err := w.q.Run(ctx, "SELECT Id FROM Widget__c", query.Options{})
	var got []rapport.ID
	if err == nil {
		for _, r := range res.Records {
			got = append(got, r.ID)
		}
	} else if u.active {
		t.Fatalf("after %s: user %s query: %v", what, u.id, err)
	}
	var want []rapport.ID
	visible := map[rapport.ID]bool{}
	for _, wd := range w.widgets {
		if w.access(u, wd) >= security.Read {
			want = append(want, wd.id)
			visible[wd.id] = true
		}
	}
	w.checks++
	if fmt.Sprint(sortIDs(got)) != fmt.Sprint(sortIDs(want)) {
		t.Fatalf("after %s: user %s (%s, role %s, active %v) sees %d widgets, model says %d\n got %v\nwant %v",
			what, u.id, u.profile, u.role, u.active, len(got), len(want), sortIDs(got), sortIDs(want))
	}
	// Field-level security: Secret__c exists only for its readers.
	_, err = w.q.Run(ctx, "SELECT Id, Secret__c FROM Widget__c LIMIT 1", query.Options{})
	if wantOK := u.active && u.secret; (err == nil) != wantOK && u.active {
		t.Fatalf("after %s: user %s Secret__c readable = %v, model says %v (%v)", what, u.id, err == nil, wantOK, err)
	}
	// Detail records follow their master.
	res, err = w.q.Run(ctx, "SELECT Id FROM Part__c", query.Options{})
	if err == nil {
		n := 0
		for _, r := range res.Records {
			if !visible[w.parts[r.ID].id] {
				sql, args, _ := w.q.Compile(ctx, "SELECT Id FROM Part__c", query.Options{})
				t.Fatalf("after %s: user %s sees part %s of a widget they cannot see\n%s\n%v", what, u.id, r.ID, sql, args)
			}
			n++
		}
		wantParts := 0
		for _, wd := range w.parts {
			if visible[wd.id] {
				wantParts++
			}
		}
		w.checks++
		if n != wantParts {
			t.Fatalf("after %s: user %s sees %d parts, model says %d", what, u.id, n, wantParts)
		}
	}
	// Record operations: a read and an update of random widgets.
	for i := 0; i < 3; i++ {
		wd := w.widgets[w.r.IntN(len(w.widgets))]
		lvl := w.access(u, wd)
		recs, err := w.Records.Get(ctx, "Widget__c", []string{string(wd.id)}, []string{"Name"}, false)
		seen := err == nil && recs[0] != nil
		w.checks++
		if seen != (lvl >= security.Read) && u.active {
			t.Fatalf("after %s: user %s Get(%s) visible = %v, model level %s (%v)", what, u.id, wd.id, seen, lvl, err)
		}
		rs, err := w.Records.Update(ctx, "Widget__c", []map[string]any{{"Id": string(wd.id), "Amount__c": wd.amount}}, record.WriteOptions{})
		edited := err == nil && rs[0].Err == nil
		want := lvl >= security.Edit && w.canEditObject(u)
		w.checks++
		if edited != want {
			var why error = err
			if err == nil {
				why = rs[0].Err
			}
			t.Fatalf("after %s: user %s (%s) update %s = %v, model says %v (level %s): %v", what, u.id, u.profile, wd.id, edited, want, lvl, why)
		}
	}
}

func sortIDs(ids []rapport.ID) []rapport.ID {
	out := append([]rapport.ID(nil), ids...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func (w *accessWorld) run() {
	for _, u := range w.users {
		w.check(u, "set-up")
	}
	for step := 0; step < 30; step++ {
		what := w.step()
		for i := 0; i < 10; i++ {
			w.check(w.users[w.r.IntN(len(w.users))], fmt.Sprintf("step %d (%s)", step, what))
		}
	}
	for _, u := range w.users {
		w.check(u, "the end")
	}
	w.t.Logf("%d checks agreed with the model", w.checks)
}

package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/query"
)

// Public groups: named sets of users and other groups, which sharing rules
// share records with. Their members are GroupMember records; the record
// service recomputes the flattened membership on every change.

type groupRow struct {
	ID            rapport.ID
	Name          string
	DeveloperName string
	IncludeBosses bool
	Members       int
}

type groupsData struct {
	Groups []groupRow
	Form   map[string]string
	Error  string
}

// publicGroups lists the org's public groups by name.
func (a *App) publicGroups(r *http.Request) ([]groupRow, error) {
	var out []groupRow
	idx := map[rapport.ID]int{}
	err := a.setupEach(r.Context(), "SELECT Id, Name, DeveloperName, DoesIncludeBosses FROM Group", "Type = 'Regular'", func(rec *query.Record) error {
		idx[rec.ID] = len(out)
		out = append(out, groupRow{ID: rec.ID, Name: setupStr(rec, "Name"), DeveloperName: setupStr(rec, "DeveloperName"), IncludeBosses: setupBool(rec, "DoesIncludeBosses")})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = a.setupEach(r.Context(), "SELECT Id, GroupId FROM GroupMember", "", func(rec *query.Record) error {
		if i, ok := idx[rapport.ID(setupStr(rec, "GroupId"))]; ok {
			out[i].Members++
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, err
}

func (a *App) groupsPage(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderGroups(w, r, s, http.StatusOK, groupsData{})
}

func (a *App) renderGroups(w http.ResponseWriter, r *http.Request, s *session, status int, d groupsData) {
	groups, err := a.publicGroups(r)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	d.Groups = groups
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	a.setupPage(w, r, s, status, "setup_groups", "Public Groups", "/setup/groups", d)
}

// groupCreate adds a public group.
func (a *App) groupCreate(w http.ResponseWriter, r *http.Request, s *session) {
	form := map[string]string{"Name": strings.TrimSpace(r.PostFormValue("Name")), "DeveloperName": strings.TrimSpace(r.PostFormValue("DeveloperName"))}
	rec := map[string]any{"Name": form["Name"], "Type": "Regular", "DoesIncludeBosses": r.PostFormValue("DoesIncludeBosses") == "true"}
	if form["DeveloperName"] != "" {
		rec["DeveloperName"] = form["DeveloperName"]
	}
	rs, err := a.records.Create(r.Context(), "Group", []map[string]any{rec}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		a.renderGroups(w, r, s, http.StatusUnprocessableEntity, groupsData{Form: form, Error: message(err)})
		return
	}
	setupDone(w, r, "/setup/groups/"+string(rs[0].ID), "Group "+form["Name"]+" created.")
}

type groupMember struct {
	ID       rapport.ID // the GroupMember record
	MemberID rapport.ID
	Name     string
	Kind     string // User or Group
}

type groupData struct {
	Group   groupRow
	Members []groupMember
	// Choices are the users and groups that can join.
	Choices []setupOption
	Error   string
}

func (a *App) groupPage(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderGroup(w, r, s, http.StatusOK, "")
}

func (a *App) renderGroup(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg string) {
	ctx := r.Context()
	id, ok := setupID(r, "id")
	groups, err := a.publicGroups(r)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	d := groupData{Error: errMsg}
	found := false
	names := map[rapport.ID]string{}
	for _, g := range groups {
		names[g.ID] = g.Name
		if ok && g.ID == id {
			d.Group, found = g, true
		}
	}
	if !found {
		a.renderError(w, r, s, http.StatusNotFound, "That group was not found.")
		return
	}
	users := map[rapport.ID]string{}
	var userIDs []rapport.ID
	err = a.setupEach(ctx, "SELECT Id, Name FROM User", "IsActive = true", func(rec *query.Record) error {
		users[rec.ID] = setupStr(rec, "Name")
		userIDs = append(userIDs, rec.ID)
		return nil
	})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	in := map[rapport.ID]bool{}
	err = a.setupEach(ctx, "SELECT Id, UserOrGroupId, UserOrGroup.Name FROM GroupMember", "GroupId = "+soqlString(string(id)), func(rec *query.Record) error {
		m := groupMember{ID: rec.ID, MemberID: rapport.ID(setupStr(rec, "UserOrGroupId")), Name: setupStr(rec, "UserOrGroup.Name"), Kind: "User"}
		if _, isGroup := names[m.MemberID]; isGroup {
			m.Kind = "Group"
		}
		in[m.MemberID] = true
		d.Members = append(d.Members, m)
		return nil
	})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	sort.SliceStable(d.Members, func(i, j int) bool {
		if d.Members[i].Kind != d.Members[j].Kind {
			return d.Members[i].Kind > d.Members[j].Kind // users first
		}
		return strings.ToLower(d.Members[i].Name) < strings.ToLower(d.Members[j].Name)
	})
	sort.SliceStable(userIDs, func(i, j int) bool { return strings.ToLower(users[userIDs[i]]) < strings.ToLower(users[userIDs[j]]) })
	for _, u := range userIDs {
		if !in[u] {
			d.Choices = append(d.Choices, setupOption{Value: string(u), Label: "User: " + users[u]})
		}
	}
	for _, g := range groups {
		if g.ID != id && !in[g.ID] {
			d.Choices = append(d.Choices, setupOption{Value: string(g.ID), Label: "Group: " + g.Name})
		}
	}
	a.setupPage(w, r, s, status, "setup_group", d.Group.Name, "/setup/groups", d)
}

// groupSave renames a group and sets whether it includes its members'
// bosses.
func (a *App) groupSave(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := a.setupTarget(w, r, s, "id", "group")
	if !ok {
		return
	}
	rs, err := a.records.Update(r.Context(), "Group", []map[string]any{{"Id": string(id), "Name": strings.TrimSpace(r.PostFormValue("Name")),
		"DoesIncludeBosses": r.PostFormValue("DoesIncludeBosses") == "true"}}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		a.renderGroup(w, r, s, http.StatusUnprocessableEntity, message(err))
		return
	}
	setupDone(w, r, "/setup/groups/"+string(id), "Group saved.")
}

// groupMemberAdd adds a user or a group to a group.
func (a *App) groupMemberAdd(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := a.setupTarget(w, r, s, "id", "group")
	if !ok {
		return
	}
	member := r.PostFormValue("UserOrGroupId")
	if member == "" {
		a.renderGroup(w, r, s, http.StatusUnprocessableEntity, "Choose a user or a group to add.")
		return
	}
	rs, err := a.records.Create(r.Context(), "GroupMember", []map[string]any{{"GroupId": string(id), "UserOrGroupId": member}}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		a.renderGroup(w, r, s, http.StatusUnprocessableEntity, message(err))
		return
	}
	setupDone(w, r, "/setup/groups/"+string(id), "Member added.")
}

// groupMemberRemove takes a member out of a group.
func (a *App) groupMemberRemove(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := setupID(r, "id")
	mid, ok2 := setupID(r, "mid")
	if !ok || !ok2 {
		a.renderError(w, r, s, http.StatusNotFound, "That member was not found.")
		return
	}
	res, err := a.query.Run(r.Context(), "SELECT Id FROM GroupMember WHERE Id = "+soqlString(string(mid))+" AND GroupId = "+soqlString(string(id)), query.Options{})
	if err == nil && len(res.Records) == 0 {
		a.renderError(w, r, s, http.StatusNotFound, "That member was not found.")
		return
	}
	if err == nil {
		err = setupErr(a.records.HardDelete(r.Context(), []string{string(mid)}, recordOptions()))
	}
	if err != nil {
		a.renderGroup(w, r, s, http.StatusUnprocessableEntity, message(err))
		return
	}
	setupDone(w, r, "/setup/groups/"+string(id), "Member removed.")
}

// groupDelete deletes a group no sharing rule shares with.
func (a *App) groupDelete(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := a.setupTarget(w, r, s, "id", "group")
	if !ok {
		return
	}
	sch, err := a.setupSchema(r.Context(), s)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	for _, o := range sch.Objects() {
		for _, rule := range o.SharingRules {
			if rule.To == string(id) || rule.From == string(id) {
				a.renderGroup(w, r, s, http.StatusUnprocessableEntity, "A sharing rule of "+o.PluralLabel+" uses this group: delete the rule first.")
				return
			}
		}
	}
	rs, err := a.records.HardDelete(r.Context(), []string{string(id)}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		a.renderGroup(w, r, s, http.StatusUnprocessableEntity, message(err))
		return
	}
	setupDone(w, r, "/setup/groups", "Group deleted.")
}

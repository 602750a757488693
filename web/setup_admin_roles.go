package web

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/query"
)

// A roleNode is a role in the hierarchy, in tree order.
type roleNode struct {
	ID     rapport.ID
	Name   string
	Parent rapport.ID
	Depth  int
	Users  int
}

// roleTree returns the role hierarchy depth first, siblings by name.
func (a *App) roleTree(ctx context.Context) ([]roleNode, error) {
	children := map[rapport.ID][]roleNode{}
	all := map[rapport.ID]bool{}
	err := a.setupEach(ctx, "SELECT Id, Name, ParentRoleId FROM UserRole", "", func(rec *query.Record) error {
		n := roleNode{ID: rec.ID, Name: setupStr(rec, "Name"), Parent: rapport.ID(setupStr(rec, "ParentRoleId"))}
		children[n.Parent] = append(children[n.Parent], n)
		all[n.ID] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []roleNode
	seen := map[rapport.ID]bool{}
	var walk func(parent rapport.ID, depth int)
	walk = func(parent rapport.ID, depth int) {
		kids := children[parent]
		sort.Slice(kids, func(i, j int) bool { return strings.ToLower(kids[i].Name) < strings.ToLower(kids[j].Name) })
		for _, k := range kids {
			if seen[k.ID] {
				continue
			}
			seen[k.ID] = true
			k.Depth = depth
			out = append(out, k)
			walk(k.ID, depth+1)
		}
	}
	walk("", 0)
	// Roles whose parent is gone are shown at the top.
	for parent := range children {
		if parent != "" && !all[parent] {
			walk(parent, 0)
		}
	}
	return out, nil
}

type rolesData struct {
	Roles []roleNode
	Name  string
	Error string
}

func (a *App) rolesPage(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderRoles(w, r, s, http.StatusOK, rolesData{})
}

func (a *App) renderRoles(w http.ResponseWriter, r *http.Request, s *session, status int, d rolesData) {
	ctx := r.Context()
	roles, err := a.roleTree(ctx)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	counts := map[rapport.ID]int{}
	err = a.setupEach(ctx, "SELECT Id, UserRoleId FROM User", "UserRoleId != null", func(rec *query.Record) error {
		counts[rapport.ID(setupStr(rec, "UserRoleId"))]++
		return nil
	})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	for i := range roles {
		roles[i].Users = counts[roles[i].ID]
	}
	d.Roles = roles
	a.setupPage(w, r, s, status, "setup_roles", "Roles", "/setup/roles", d)
}

// roleCreate adds a role, at the top or under a parent.
func (a *App) roleCreate(w http.ResponseWriter, r *http.Request, s *session) {
	name := strings.TrimSpace(r.PostFormValue("Name"))
	rec := map[string]any{"Name": name}
	parent := r.PostFormValue("ParentRoleId")
	if parent != "" {
		rec["ParentRoleId"] = parent
	}
	rs, err := a.records.Create(r.Context(), "UserRole", []map[string]any{rec}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		if parent != "" {
			a.failed(w, r, s, err)
			return
		}
		a.renderRoles(w, r, s, http.StatusUnprocessableEntity, rolesData{Name: name, Error: message(err)})
		return
	}
	target := "/setup/roles"
	if parent != "" {
		target = "/setup/roles/" + parent
	}
	setupDone(w, r, target, "Role "+name+" created.")
}

type roleData struct {
	Role     roleNode
	Parent   string
	Children []roleNode
	Users    []userRow
	// Parents are the roles it may report to: not itself, nor a role
	// below it.
	Parents []setupOption
	Error   string
}

// below returns the roles under id in the tree, at any depth.
func below(roles []roleNode, id rapport.ID) map[rapport.ID]bool {
	out := map[rapport.ID]bool{}
	for changed := true; changed; {
		changed = false
		for _, rl := range roles {
			if (rl.Parent == id || out[rl.Parent]) && !out[rl.ID] {
				out[rl.ID], changed = true, true
			}
		}
	}
	return out
}

func (a *App) rolePage(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderRole(w, r, s, http.StatusOK, "")
}

func (a *App) renderRole(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg string) {
	ctx := r.Context()
	id, ok := a.setupTarget(w, r, s, "id", "role")
	if !ok {
		return
	}
	roles, err := a.roleTree(ctx)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	d := roleData{Error: errMsg}
	found := false
	names := map[rapport.ID]string{}
	for _, rl := range roles {
		names[rl.ID] = rl.Name
		if rl.ID == id {
			d.Role, found = rl, true
		}
		if rl.Parent == id {
			d.Children = append(d.Children, rl)
		}
	}
	if !found {
		a.renderError(w, r, s, http.StatusNotFound, "That role was not found.")
		return
	}
	d.Parent = names[d.Role.Parent]
	under := below(roles, id)
	for _, rl := range roles {
		if rl.ID != id && !under[rl.ID] {
			d.Parents = append(d.Parents, setupOption{Value: string(rl.ID), Label: strings.Repeat("  ", rl.Depth) + rl.Name, Selected: rl.ID == d.Role.Parent})
		}
	}
	err = a.setupEach(ctx, "SELECT Id, Name, Username, Profile.Name, IsActive FROM User", "UserRoleId = "+soqlString(string(id)), func(rec *query.Record) error {
		d.Users = append(d.Users, userRow{ID: rec.ID, Name: setupStr(rec, "Name"), Username: setupStr(rec, "Username"), Profile: setupStr(rec, "Profile.Name"), Active: setupBool(rec, "IsActive")})
		return nil
	})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.setupPage(w, r, s, status, "setup_roles_role", d.Role.Name, "/setup/roles", d)
}

func (a *App) roleRename(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := a.setupTarget(w, r, s, "id", "role")
	if !ok {
		return
	}
	rec := map[string]any{"Id": string(id), "Name": strings.TrimSpace(r.PostFormValue("Name"))}
	if r.PostForm.Has("ParentRoleId") {
		parent := rapport.ID(r.PostFormValue("ParentRoleId"))
		roles, err := a.roleTree(r.Context())
		if err != nil {
			a.failed(w, r, s, err)
			return
		}
		if parent == id || below(roles, id)[parent] {
			a.renderRole(w, r, s, http.StatusUnprocessableEntity, "A role cannot report to itself or to a role below it.")
			return
		}
		if parent == "" {
			rec["ParentRoleId"] = nil
		} else {
			rec["ParentRoleId"] = string(parent)
		}
	}
	rs, err := a.records.Update(r.Context(), "UserRole", []map[string]any{rec}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		if rapport.ErrorCode(err) == rapport.NotFound {
			a.failed(w, r, s, err)
			return
		}
		a.renderRole(w, r, s, http.StatusUnprocessableEntity, message(err))
		return
	}
	setupDone(w, r, "/setup/roles/"+string(id), "Role saved.")
}

// roleDelete deletes a role no user and no other role is in.
func (a *App) roleDelete(w http.ResponseWriter, r *http.Request, s *session) {
	id, ok := a.setupTarget(w, r, s, "id", "role")
	if !ok {
		return
	}
	res, err := a.query.Run(r.Context(), "SELECT Id FROM User WHERE UserRoleId = "+soqlString(string(id))+" LIMIT 1", query.Options{})
	if err == nil && len(res.Records) == 0 {
		res, err = a.query.Run(r.Context(), "SELECT Id FROM UserRole WHERE ParentRoleId = "+soqlString(string(id))+" LIMIT 1", query.Options{})
		if err == nil && len(res.Records) > 0 {
			a.renderRole(w, r, s, http.StatusUnprocessableEntity, "This role has roles under it: move or delete them first.")
			return
		}
	} else if err == nil {
		a.renderRole(w, r, s, http.StatusUnprocessableEntity, "Users are in this role: give them another role first.")
		return
	}
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	rs, err := a.records.HardDelete(r.Context(), []string{string(id)}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		a.renderRole(w, r, s, http.StatusUnprocessableEntity, message(err))
		return
	}
	setupDone(w, r, "/setup/roles", "Role deleted.")
}

package security

import (
	"sort"

	"github.com/rapportcrm/rapport"
)

// Group ids of role groups: a role's own group and the group of the role
// with its subordinates. They are not records; they live in _group_member
// and _share only.
func RoleGroup(role rapport.ID) string { return "role:" + string(role) }

// RoleAndSubordinatesGroup is the group of a role and the roles below it.
func RoleAndSubordinatesGroup(role rapport.ID) string { return "rolesub:" + string(role) }

// SourceGroup names the group of the members proper of a group, without
// the superiors who share its access: owner-based sharing rules take the
// records owned by these.
func SourceGroup(group string) string { return "src:" + group }

// A Member says that User belongs to Group.
type Member struct {
	Group string
	User  rapport.ID
}

// Members computes the flattened membership of every group:
//
//   - each user U is a group holding U and the users whose role is above
//     U's (managers see their subordinates' records, even an inactive
//     subordinate's);
//   - role:R holds the users in R and above it;
//   - rolesub:R holds the users in R or below it, and above it;
//   - a public group holds its users, the members of its member groups
//     (nested, without end), and, if it includes bosses, their superiors;
//   - src:G holds the members proper of group G, without superiors.
//
// Inactive users get no access, but stay in the source groups (src:G) that
// owner-based sharing rules read, and their superiors keep their records.
func (d *Data) Members() []Member {
	set := map[Member]bool{}
	add := func(g string, u rapport.ID) { set[Member{g, u}] = true }
	active := map[rapport.ID][]rapport.ID{} // role → active users
	all := map[rapport.ID][]rapport.ID{}    // role → all users
	for _, u := range d.Users {
		if u.Role != "" {
			all[u.Role] = append(all[u.Role], u.ID)
			if u.Active {
				active[u.Role] = append(active[u.Role], u.ID)
			}
		}
	}
	above := func(role rapport.ID) []rapport.ID {
		var out []rapport.ID
		for _, r := range d.superiors(role) {
			out = append(out, active[r]...)
		}
		return out
	}
	for _, u := range d.Users {
		// A user's own group: the user, and the active users above them,
		// who keep seeing an inactive user's records.
		if u.Active {
			add(string(u.ID), u.ID)
		}
		for _, boss := range above(u.Role) {
			add(string(u.ID), boss)
		}
	}
	for role := range d.Roles {
		for _, u := range active[role] {
			add(RoleGroup(role), u)
		}
		for _, u := range all[role] {
			add(SourceGroup(RoleGroup(role)), u)
		}
		for _, boss := range above(role) {
			add(RoleGroup(role), boss)
			add(RoleAndSubordinatesGroup(role), boss)
		}
		for other := range d.Roles {
			if d.underRole(other, role) {
				for _, u := range active[other] {
					add(RoleAndSubordinatesGroup(role), u)
				}
				for _, u := range all[other] {
					add(SourceGroup(RoleAndSubordinatesGroup(role)), u)
				}
			}
		}
	}
	for _, g := range d.Groups {
		for _, u := range d.groupUsers(g.ID, map[rapport.ID]bool{}) {
			add(SourceGroup(string(g.ID)), u)
			usr := d.Users[u]
			if usr == nil || !usr.Active {
				continue
			}
			add(string(g.ID), u)
			if g.IncludeBosses {
				for _, boss := range above(usr.Role) {
					add(string(g.ID), boss)
				}
			}
		}
	}
	out := make([]Member, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Group != out[j].Group {
			return out[i].Group < out[j].Group
		}
		return out[i].User < out[j].User
	})
	return out
}

// groupUsers returns the users of a public group, through nested groups;
// seen stops cycles.
func (d *Data) groupUsers(id rapport.ID, seen map[rapport.ID]bool) []rapport.ID {
	if seen[id] {
		return nil
	}
	seen[id] = true
	g := d.Groups[id]
	if g == nil {
		return nil
	}
	var out []rapport.ID
	for _, m := range g.Members {
		if u := d.Users[m]; u != nil {
			out = append(out, u.ID)
			continue
		}
		out = append(out, d.groupUsers(m, seen)...)
	}
	return out
}

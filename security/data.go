package security

import (
	"strings"

	"github.com/rapportcrm/rapport"
)

// Data is a snapshot of an org's security records.
type Data struct {
	Version     int64
	Users       map[rapport.ID]*User
	Roles       map[rapport.ID]*Role
	Groups      map[rapport.ID]*Group
	Sets        map[rapport.ID]*PermissionSet
	Assignments []Assignment
}

// A User as access sees one.
type User struct {
	ID      rapport.ID
	Profile rapport.ID
	Role    rapport.ID // "" for none
	Active  bool
	Frozen  bool // may not log in or act, but keeps their place in the hierarchy
}

// A Role is a node of the role hierarchy.
type Role struct {
	ID     rapport.ID
	Parent rapport.ID // "" at the top
}

// A Group is a public group (or a queue).
type Group struct {
	ID            rapport.ID
	Type          string
	IncludeBosses bool
	Members       []rapport.ID // users and groups
}

// A PermissionSet grants system, object and field permissions.
type PermissionSet struct {
	ID      rapport.ID
	Profile rapport.ID // set when the set is a profile's own
	System  map[string]bool
	Objects map[string]ObjectPerms           // lower-case object name
	Fields  map[string]map[string]FieldPerms // lower-case object → lower-case field
}

// An Assignment gives a permission set to a user.
type Assignment struct {
	User rapport.ID
	Set  rapport.ID
}

// ObjectPerms are the permissions on one object.
type ObjectPerms struct {
	Read, Create, Edit, Delete, ViewAll, ModifyAll bool
}

func (p ObjectPerms) or(q ObjectPerms) ObjectPerms {
	return ObjectPerms{p.Read || q.Read, p.Create || q.Create, p.Edit || q.Edit, p.Delete || q.Delete, p.ViewAll || q.ViewAll, p.ModifyAll || q.ModifyAll}
}

// FieldPerms are the permissions on one field.
type FieldPerms struct{ Read, Edit bool }

// NewData returns an empty snapshot.
func NewData() *Data {
	return &Data{Users: map[rapport.ID]*User{}, Roles: map[rapport.ID]*Role{}, Groups: map[rapport.ID]*Group{}, Sets: map[rapport.ID]*PermissionSet{}}
}

// Set returns the permission set id, creating it empty.
func (d *Data) Set(id rapport.ID) *PermissionSet {
	s := d.Sets[id]
	if s == nil {
		s = &PermissionSet{ID: id, System: map[string]bool{}, Objects: map[string]ObjectPerms{}, Fields: map[string]map[string]FieldPerms{}}
		d.Sets[id] = s
	}
	return s
}

// GrantField records a field grant; field is "Object.Field".
func (s *PermissionSet) GrantField(object, field string, p FieldPerms) {
	o := strings.ToLower(object)
	if s.Fields[o] == nil {
		s.Fields[o] = map[string]FieldPerms{}
	}
	f := strings.ToLower(field)
	cur := s.Fields[o][f]
	s.Fields[o][f] = FieldPerms{cur.Read || p.Read || p.Edit, cur.Edit || p.Edit}
}

// superiors returns the roles above role, nearest first.
func (d *Data) superiors(role rapport.ID) []rapport.ID {
	var out []rapport.ID
	seen := map[rapport.ID]bool{role: true}
	for r := d.Roles[role]; r != nil && r.Parent != ""; r = d.Roles[r.Parent] {
		if seen[r.Parent] {
			break // a cycle: stop
		}
		seen[r.Parent] = true
		out = append(out, r.Parent)
	}
	return out
}

// underRole reports whether role is sub or below it.
func (d *Data) underRole(role, sub rapport.ID) bool {
	if role == "" || sub == "" {
		return false
	}
	if role == sub {
		return true
	}
	for _, up := range d.superiors(role) {
		if up == sub {
			return true
		}
	}
	return false
}

// A Share opens a record to a group.
type Share struct {
	Record rapport.ID
	Group  string
	Level  Level
	Cause  string // Manual, …
}

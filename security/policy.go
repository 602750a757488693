package security

import (
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// Level is a level of access to a record.
type Level int

// The record access levels, as share rows store them.
const (
	None Level = iota
	Read
	Edit
	All // delete, transfer and share: the owner's access
)

func (l Level) String() string {
	return [...]string{"None", "Read", "Edit", "All"}[l]
}

// ParseLevel reads Read, Edit or All.
func ParseLevel(s string) (Level, bool) {
	switch strings.ToLower(s) {
	case "read":
		return Read, true
	case "edit":
		return Edit, true
	case "all":
		return All, true
	}
	return None, false
}

// System permission field names.
const (
	ModifyAllData        = "PermissionsModifyAllData"
	ViewAllData          = "PermissionsViewAllData"
	CustomizeApplication = "PermissionsCustomizeApplication"
	ManageUsers          = "PermissionsManageUsers"
	ManageSharing        = "PermissionsManageSharing"
	APIEnabled           = "PermissionsApiEnabled"
	TransferAnyEntity    = "PermissionsTransferAnyEntity"
	ViewSetup            = "PermissionsViewSetup"
	BulkAPIHardDelete    = "PermissionsBulkApiHardDelete"
)

// A Policy is what one user may do: the union of their permission sets,
// and the groups they belong to.
type Policy struct {
	User    rapport.ID
	Active  bool
	system  map[string]bool
	objects map[string]ObjectPerms
	fields  map[string]map[string]FieldPerms
	// groups is every group the user belongs to.
	groups map[string]bool
	// reach is how many users' records the user sees through the role
	// hierarchy (themselves included); users is how many users the org has.
	reach, users int
}

// Policy computes the policy of user from the snapshot; members is
// d.Members() grouped by user (see MembersByUser).
func (d *Data) Policy(user rapport.ID, members map[rapport.ID][]string) *Policy {
	p := &Policy{User: user, system: map[string]bool{}, objects: map[string]ObjectPerms{}, fields: map[string]map[string]FieldPerms{}, groups: map[string]bool{}}
	u := d.Users[user]
	if u == nil {
		return p
	}
	p.Active = u.Active && !u.Frozen
	var sets []*PermissionSet
	for _, s := range d.Sets {
		if s.Profile != "" && s.Profile == u.Profile {
			sets = append(sets, s)
		}
	}
	for _, a := range d.Assignments {
		if a.User == user {
			if s := d.Sets[a.Set]; s != nil {
				sets = append(sets, s)
			}
		}
	}
	for _, s := range sets {
		for k, v := range s.System {
			p.system[k] = p.system[k] || v
		}
		for k, v := range s.Objects {
			p.objects[k] = p.objects[k].or(v)
		}
		for o, fs := range s.Fields {
			if p.fields[o] == nil {
				p.fields[o] = map[string]FieldPerms{}
			}
			for f, v := range fs {
				cur := p.fields[o][f]
				p.fields[o][f] = FieldPerms{cur.Read || v.Read, cur.Edit || v.Edit}
			}
		}
	}
	for _, g := range members[user] {
		p.groups[g] = true
		if d.Users[rapport.ID(g)] != nil {
			p.reach++
		}
	}
	p.users = len(d.Users)
	return p
}

// Narrow reports whether the user sees the records of few other users
// through the hierarchy (at most 2% of the org's users, or 20): row filters
// then drive a query from the user's own records and shares rather than
// test every row.
func (p *Policy) Narrow() bool {
	return p.reach <= max(20, p.users/50)
}

// MembersByUser groups a membership list by user.
func MembersByUser(ms []Member) map[rapport.ID][]string {
	out := map[rapport.ID][]string{}
	for _, m := range ms {
		out[m.User] = append(out[m.User], m.Group)
	}
	return out
}

// Has reports whether the user holds a system permission. Modify All Data
// implies View All Data.
func (p *Policy) Has(perm string) bool {
	if !p.Active {
		return false
	}
	if p.system[perm] {
		return true
	}
	return perm == ViewAllData && p.system[ModifyAllData]
}

// Object returns the user's permissions on an object, with View All Data
// and Modify All Data applied.
func (p *Policy) Object(name string) ObjectPerms {
	if !p.Active {
		return ObjectPerms{}
	}
	op := p.objects[strings.ToLower(name)]
	if p.system[ModifyAllData] {
		return ObjectPerms{true, true, true, true, true, true}
	}
	if p.system[ViewAllData] {
		op.Read, op.ViewAll = true, true
	}
	if op.ModifyAll {
		op.Read, op.Edit, op.Delete, op.ViewAll = true, true, true, true
	}
	if op.ViewAll {
		op.Read = true
	}
	return op
}

// InGroup reports whether the user belongs to a group.
func (p *Policy) InGroup(g string) bool { return p.groups[g] }

// Field returns the user's permissions on a field of obj. The Id, system
// fields, the name field and required fields are readable with the object;
// other fields need a grant (Modify All Data and View All Data grant every
// field).
func (p *Policy) Field(obj *metadata.Object, f *metadata.Field) FieldPerms {
	op := p.Object(obj.Name)
	if !op.Read {
		return FieldPerms{}
	}
	if p.system[ModifyAllData] {
		return FieldPerms{true, true}
	}
	always := f.System || f.NameField || f.Required || f.Name == metadata.FieldOwnerID
	g := p.fields[strings.ToLower(obj.Name)][strings.ToLower(f.Name)]
	read := always || g.Read || g.Edit || p.system[ViewAllData]
	edit := op.Edit && (always || g.Edit)
	return FieldPerms{Read: read, Edit: edit}
}

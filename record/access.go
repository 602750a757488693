package record

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/security"
)

// securityObjects are the objects whose records make up the org's security
// data; writing them changes what users may do.
var securityObjects = map[string]bool{
	"User": true, "UserRole": true, "Group": true, "GroupMember": true, "Profile": true,
	"PermissionSet": true, "ObjectPermissions": true, "FieldPermissions": true, "PermissionSetAssignment": true,
}

// membershipObjects are the security objects group membership follows.
var membershipObjects = map[string]bool{"User": true, "UserRole": true, "Group": true, "GroupMember": true}

// orgSecurity is an org's security data as loaded, with the policies
// computed from it.
type orgSecurity struct {
	data     *security.Data
	members  map[rapport.ID][]string
	checked  time.Time
	mu       sync.Mutex
	policies map[rapport.ID]*security.Policy
}

type securityCache struct {
	mu   sync.Mutex
	orgs map[rapport.ID]*orgSecurity
}

// Policy returns the policy of the principal in ctx, or nil when the
// principal is the system (which may do anything).
func (s *Service) Policy(ctx context.Context) (*security.Policy, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if p.System {
		return nil, nil
	}
	if pol, ok := ctx.Value(policyKey{}).(*security.Policy); ok && pol.User == p.UserID {
		return pol, nil
	}
	st, err := s.orgSecurity(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	pol := st.policies[p.UserID]
	if pol == nil {
		pol = st.data.Policy(p.UserID, st.members)
		st.policies[p.UserID] = pol
	}
	return pol, nil
}

// orgSecurity returns the org's loaded security data, reloading it when its
// version has moved (checked at most once a second).
func (s *Service) orgSecurity(ctx context.Context, org rapport.ID) (*orgSecurity, error) {
	now := time.Now()
	s.sec.mu.Lock()
	st := s.sec.orgs[org]
	s.sec.mu.Unlock()
	if st != nil && now.Sub(st.checked) < schemaCheck {
		return st, nil
	}
	if st != nil {
		v, err := s.store.SecurityVersion(ctx, org)
		if err != nil {
			return nil, err
		}
		if v == st.data.Version {
			s.sec.mu.Lock()
			st.checked = now
			s.sec.mu.Unlock()
			return st, nil
		}
	}
	sch, err := s.Schema(ctx, org)
	if err != nil {
		return nil, err
	}
	var data *security.Data
	err = s.store.Read(ctx, org, func(r Reader) error {
		data, err = LoadSecurity(ctx, r, sch)
		return err
	})
	if err != nil {
		return nil, err
	}
	st = &orgSecurity{data: data, members: security.MembersByUser(data.Members()), checked: now, policies: map[rapport.ID]*security.Policy{}}
	s.sec.mu.Lock()
	if s.sec.orgs == nil {
		s.sec.orgs = map[rapport.ID]*orgSecurity{}
	}
	s.sec.orgs[org] = st
	s.sec.mu.Unlock()
	return st, nil
}

// forgetSecurity drops an org's cached security data.
func (s *Service) forgetSecurity(org rapport.ID) {
	s.sec.mu.Lock()
	delete(s.sec.orgs, org)
	s.sec.mu.Unlock()
}

// LoadSecurity reads an org's security records.
func LoadSecurity(ctx context.Context, r Reader, sch *metadata.Schema) (*security.Data, error) {
	d := security.NewData()
	v, err := r.SecurityVersion(ctx)
	if err != nil {
		return nil, err
	}
	d.Version = v
	scan := func(object string, names []string, fn func(vals map[string]any)) error {
		obj := sch.Object(object)
		if obj == nil {
			return nil
		}
		var fields []*metadata.Field
		for _, n := range names {
			if f := obj.Field(n); f != nil {
				fields = append(fields, f)
			}
		}
		return r.Scan(ctx, obj, fields, func(row []any) error {
			vals := make(map[string]any, len(fields))
			for i, f := range fields {
				vals[f.Name] = row[i]
			}
			fn(vals)
			return nil
		})
	}
	id := func(v any) rapport.ID { x, _ := v.(rapport.ID); return x }
	str := func(v any) string { x, _ := v.(string); return x }
	on := func(v any) bool { x, _ := v.(bool); return x }
	steps := []func() error{
		func() error {
			return scan("User", []string{"Id", "ProfileId", "UserRoleId", "IsActive", "IsFrozen"}, func(v map[string]any) {
				d.Users[id(v["Id"])] = &security.User{ID: id(v["Id"]), Profile: id(v["ProfileId"]), Role: id(v["UserRoleId"]), Active: on(v["IsActive"]), Frozen: on(v["IsFrozen"])}
			})
		},
		func() error {
			return scan("UserRole", []string{"Id", "ParentRoleId"}, func(v map[string]any) {
				d.Roles[id(v["Id"])] = &security.Role{ID: id(v["Id"]), Parent: id(v["ParentRoleId"])}
			})
		},
		func() error {
			return scan("Group", []string{"Id", "Type", "DoesIncludeBosses"}, func(v map[string]any) {
				d.Groups[id(v["Id"])] = &security.Group{ID: id(v["Id"]), Type: str(v["Type"]), IncludeBosses: on(v["DoesIncludeBosses"])}
			})
		},
		func() error {
			return scan("GroupMember", []string{"GroupId", "UserOrGroupId"}, func(v map[string]any) {
				if g := d.Groups[id(v["GroupId"])]; g != nil {
					g.Members = append(g.Members, id(v["UserOrGroupId"]))
				}
			})
		},
		func() error {
			names := []string{"Id", "ProfileId", "IsOwnedByProfile"}
			for _, p := range metadata.SystemPermissions {
				names = append(names, p.Field)
			}
			return scan("PermissionSet", names, func(v map[string]any) {
				set := d.Set(id(v["Id"]))
				if on(v["IsOwnedByProfile"]) {
					set.Profile = id(v["ProfileId"])
				}
				for _, p := range metadata.SystemPermissions {
					set.System[p.Field] = on(v[p.Field])
				}
			})
		},
		func() error {
			return scan("ObjectPermissions", []string{"ParentId", "SobjectType", "PermissionsRead", "PermissionsCreate", "PermissionsEdit",
				"PermissionsDelete", "PermissionsViewAllRecords", "PermissionsModifyAllRecords"}, func(v map[string]any) {
				set := d.Set(id(v["ParentId"]))
				set.Objects[strings.ToLower(str(v["SobjectType"]))] = security.ObjectPerms{
					Read: on(v["PermissionsRead"]), Create: on(v["PermissionsCreate"]), Edit: on(v["PermissionsEdit"]),
					Delete: on(v["PermissionsDelete"]), ViewAll: on(v["PermissionsViewAllRecords"]), ModifyAll: on(v["PermissionsModifyAllRecords"]),
				}
			})
		},
		func() error {
			return scan("FieldPermissions", []string{"ParentId", "SobjectType", "Field", "PermissionsRead", "PermissionsEdit"}, func(v map[string]any) {
				obj, field, ok := strings.Cut(str(v["Field"]), ".")
				if !ok {
					obj, field = str(v["SobjectType"]), str(v["Field"])
				}
				d.Set(id(v["ParentId"])).GrantField(obj, field, security.FieldPerms{Read: on(v["PermissionsRead"]), Edit: on(v["PermissionsEdit"])})
			})
		},
		func() error {
			return scan("PermissionSetAssignment", []string{"AssigneeId", "PermissionSetId"}, func(v map[string]any) {
				d.Assignments = append(d.Assignments, security.Assignment{User: id(v["AssigneeId"]), Set: id(v["PermissionSetId"])})
			})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// afterSecurityWrite keeps the org's security tables current after a write
// to obj in tx: the version moves, and membership is rebuilt when users,
// roles or groups changed.
func (s *Service) afterSecurityWrite(ctx context.Context, tx Tx, sch *metadata.Schema, obj *metadata.Object) error {
	if !securityObjects[obj.Name] {
		return nil
	}
	if obj.Name == "Profile" && !rapport.CurrentPrincipal(ctx).System {
		// Rapport's own set-up (org creation, upgrades) makes profile
		// sets itself, with their grants.
		if err := s.profileSets(ctx, tx, sch); err != nil {
			return err
		}
	}
	if _, err := tx.BumpSecurity(ctx); err != nil {
		return err
	}
	if !membershipObjects[obj.Name] {
		return nil
	}
	return RebuildMembership(ctx, tx, sch)
}

// RebuildMembership recomputes the flattened group membership of an org
// from its users, roles and groups: the full sharing recalculation.
func RebuildMembership(ctx context.Context, tx Tx, sch *metadata.Schema) error {
	data, err := LoadSecurity(ctx, tx, sch)
	if err != nil {
		return err
	}
	return tx.ReplaceMembers(ctx, data.Members())
}

// denied is the error for a missing object permission.
func denied(op string, obj *metadata.Object) error {
	return rapport.Errorf(rapport.InsufficientAccess, "insufficient access rights on object: you may not %s %s records", op, obj.Label)
}

// checkObject checks an object permission. Without read permission the
// object does not exist for the user.
func checkObject(pol *security.Policy, obj *metadata.Object, op string) error {
	if pol == nil {
		return nil
	}
	perms := pol.Object(obj.Name)
	if !perms.Read {
		return unknownObject(obj.Name)
	}
	if securityObjects[obj.Name] && op != "read" {
		// Users, roles, groups and permissions are changed by those who
		// manage users, whatever their object permissions say.
		if !pol.Has(security.ManageUsers) && !pol.Has(security.ModifyAllData) {
			return rapport.Errorf(rapport.InsufficientAccess, "insufficient access rights: changing %s records needs the Manage Users permission", obj.Label)
		}
		return nil
	}
	ok := map[string]bool{"read": perms.Read, "create": perms.Create, "edit": perms.Edit, "delete": perms.Delete}[op]
	if !ok {
		return denied(op, obj)
	}
	return nil
}

// accessible returns those of ids of obj the policy allows at level.
func (s *Service) accessible(ctx context.Context, r Reader, sch *metadata.Schema, pol *security.Policy, obj *metadata.Object, ids []rapport.ID, level security.Level) (map[rapport.ID]bool, error) {
	out := make(map[rapport.ID]bool, len(ids))
	if pol == nil {
		for _, id := range ids {
			out[id] = true
		}
		return out, nil
	}
	got, err := r.Filter(ctx, obj, ids, func(alias string, w security.SQL) string {
		return security.RowFilter(sch, pol, obj, alias, level, w)
	})
	if err != nil {
		return nil, err
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// Editable returns which of the records ids of object the current user may
// edit by sharing: the check a save makes, for a page to offer edits only
// where a save would succeed. Object and field permissions are the
// caller's to check.
func (s *Service) Editable(ctx context.Context, object string, ids []rapport.ID) (map[rapport.ID]bool, error) {
	ctx, err := s.withPolicy(ctx)
	if err != nil {
		return nil, err
	}
	p, sch, obj, err := s.object(ctx, object)
	if err != nil {
		return nil, err
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return nil, err
	}
	var out map[rapport.ID]bool
	err = s.store.Read(ctx, p.OrgID, func(r Reader) error {
		out, err = s.accessible(ctx, r, sch, pol, obj, ids, security.Edit)
		return err
	})
	return out, err
}

func noAccess(id rapport.ID) error {
	return rapport.Errorf(rapport.InsufficientAccess, "insufficient access rights on object id: %s", id)
}

// Share shares a record with a user or group (manual sharing) at Read or
// Edit; None removes the share. The caller needs full access to the record.
func (s *Service) Share(ctx context.Context, recordID, with string, level security.Level) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	sch, err := s.Schema(ctx, p.OrgID)
	if err != nil {
		return err
	}
	id, err := rapport.ParseID(recordID)
	if err != nil {
		return rapport.Errorf(rapport.MalformedID, "invalid ID: %s", describe(recordID))
	}
	obj := sch.ByPrefix(id.Prefix())
	if obj == nil {
		return rapport.Errorf(rapport.MalformedID, "invalid ID: %s", id)
	}
	group := with
	if gid, err := rapport.ParseID(with); err == nil {
		group = string(gid)
		if gid.Prefix() != "005" && gid.Prefix() != "00G" {
			return rapport.Errorf(rapport.InvalidArgument, "records are shared with users, groups and roles, not %s", gid)
		}
	} else if !strings.HasPrefix(with, "role:") && !strings.HasPrefix(with, "rolesub:") {
		return rapport.Errorf(rapport.InvalidArgument, "share with a user, a group or a role, not %q", with)
	}
	if level == security.All {
		return rapport.Errorf(rapport.InvalidArgument, "a record is shared for Read or Edit")
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, p.OrgID, func(tx Tx) error {
		ok, err := s.accessible(ctx, tx, sch, pol, obj, []rapport.ID{id}, security.All)
		if err != nil {
			return err
		}
		if !ok[id] {
			return noAccess(id)
		}
		return tx.SetShare(ctx, id, group, level, "Manual")
	})
}

// Shares lists a record's shares.
func (s *Service) Shares(ctx context.Context, recordID rapport.ID) ([]security.Share, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var out []security.Share
	err = s.store.Read(ctx, p.OrgID, func(r Reader) error {
		out, err = r.Shares(ctx, recordID)
		return err
	})
	return out, err
}

// Access adapts the service's policies to the query layer's Access: object
// and field permissions, and the row filter at Read.
type Access struct{ S *Service }

// CanRead implements query.Access.
func (a Access) CanRead(ctx context.Context, obj *metadata.Object) error {
	pol, err := a.S.Policy(ctx)
	if err != nil {
		return err
	}
	if pol != nil && !pol.Object(obj.Name).Read {
		return unknownObject(obj.Name)
	}
	return nil
}

// FieldReadable implements query.Access.
func (a Access) FieldReadable(ctx context.Context, obj *metadata.Object, f *metadata.Field) bool {
	pol, err := a.S.Policy(ctx)
	if err != nil {
		return false
	}
	return pol == nil || pol.Field(obj, f).Read
}

// Rows implements query.Access.
func (a Access) Rows(ctx context.Context, obj *metadata.Object, alias string, w security.SQL) (string, error) {
	pol, err := a.S.Policy(ctx)
	if err != nil || pol == nil {
		return "", err
	}
	p, _ := rapport.PrincipalFrom(ctx)
	sch, err := a.S.Schema(ctx, p.OrgID)
	if err != nil {
		return "", err
	}
	return security.RowFilter(sch, pol, obj, alias, security.Read, w), nil
}

var _ = fmt.Sprint

// RecalculateSharing rebuilds the org's group membership from its users,
// roles and groups in one transaction: the full recalculation, for when
// the tables are in doubt or after a large change made outside the record
// layer. It needs Manage Sharing (or Modify All Data).
func (s *Service) RecalculateSharing(ctx context.Context) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	if pol != nil && !pol.Has(security.ManageSharing) && !pol.Has(security.ModifyAllData) {
		return rapport.Errorf(rapport.InsufficientAccess, "insufficient access rights: recalculating sharing needs the Manage Sharing permission")
	}
	sch, err := s.Schema(ctx, p.OrgID)
	if err != nil {
		return err
	}
	err = s.store.Write(ctx, p.OrgID, func(tx Tx) error {
		if _, err := tx.BumpSecurity(ctx); err != nil {
			return err
		}
		return RebuildMembership(ctx, tx, sch)
	})
	s.forgetSecurity(p.OrgID)
	return err
}

// profileSets gives every profile without one its own permission set, in
// the transaction that created the profile: a new profile grants nothing
// until its set does.
func (s *Service) profileSets(ctx context.Context, tx Tx, sch *metadata.Schema) error {
	prof, sets := sch.Object("Profile"), sch.Object("PermissionSet")
	if prof == nil || sets == nil {
		return nil
	}
	owned := map[rapport.ID]bool{}
	err := tx.Scan(ctx, sets, []*metadata.Field{sets.Field("ProfileId"), sets.Field("IsOwnedByProfile")}, func(row []any) error {
		if id, ok := row[0].(rapport.ID); ok && row[1] == true {
			owned[id] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	var items []*item
	err = tx.Scan(ctx, prof, []*metadata.Field{prof.Field("Id"), prof.Field("Name")}, func(row []any) error {
		id := row[0].(rapport.ID)
		if owned[id] {
			return nil
		}
		name, _ := row[1].(string)
		dev := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				return r
			}
			return '_'
		}, name)
		items = append(items, &item{create: true, input: map[string]any{"Name": "X" + dev + "_" + string(id[:15]) + "_Profile", "Label": name,
			"IsOwnedByProfile": true, "ProfileId": string(id)}})
		return nil
	})
	if err != nil || len(items) == 0 {
		return err
	}
	p := rapport.CurrentPrincipal(ctx)
	sys := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: p.OrgID, UserID: p.UserID, System: true})
	if err := s.write(sys, tx, rapport.CurrentPrincipal(sys), sch, sets, items, WriteOptions{AllOrNone: true}); err != nil {
		return err
	}
	for _, it := range items {
		if it.err != nil {
			return it.err
		}
	}
	return nil
}

// policyKey carries the principal's policy through a call, once computed.
type policyKey struct{}

// withPolicy computes the principal's policy before a transaction opens and
// carries it in the context: asking for it inside a transaction could need
// a second connection from a pool the transaction's peers have exhausted.
func (s *Service) withPolicy(ctx context.Context) (context.Context, error) {
	pol, err := s.Policy(ctx)
	if err != nil || pol == nil {
		return ctx, err
	}
	return context.WithValue(ctx, policyKey{}, pol), nil
}

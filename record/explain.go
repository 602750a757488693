package record

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/security"
)

// An Explanation says what a user may do with a record, and why.
type Explanation struct {
	User, Record       rapport.ID
	Object             string
	Read, Edit, Delete bool
	ObjectPerms        security.ObjectPerms
	SharingModel       string
	Reasons            []string
}

// Explain tells why user can or cannot read, edit and delete a record. The
// verdicts are the row filters' own (the same SQL that queries and writes
// use); the reasons are read from the security data. The caller needs
// Manage Users, Manage Sharing or View All Data, or to ask about
// themselves.
func (s *Service) Explain(ctx context.Context, user rapport.ID, recordID string) (*Explanation, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if caller, err := s.Policy(ctx); err != nil {
		return nil, err
	} else if caller != nil && caller.User != user && !caller.Has(security.ManageUsers) && !caller.Has(security.ManageSharing) && !caller.Has(security.ViewAllData) {
		return nil, rapport.Errorf(rapport.InsufficientAccess, "explaining another user's access needs Manage Users, Manage Sharing or View All Data")
	}
	sch, err := s.Schema(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	id, err := rapport.ParseID(recordID)
	if err != nil {
		return nil, rapport.Errorf(rapport.MalformedID, "invalid ID: %s", describe(recordID))
	}
	obj := sch.ByPrefix(id.Prefix())
	if obj == nil {
		return nil, rapport.Errorf(rapport.MalformedID, "invalid ID: %s", id)
	}
	st, err := s.orgSecurity(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	pol := st.data.Policy(user, st.members)
	x := &Explanation{User: user, Record: id, Object: obj.Name, ObjectPerms: pol.Object(obj.Name), SharingModel: obj.Sharing()}
	add := func(format string, args ...any) { x.Reasons = append(x.Reasons, fmt.Sprintf(format, args...)) }
	err = s.store.Read(ctx, p.OrgID, func(r Reader) error {
		verdict := func(level security.Level) (bool, error) {
			ok, err := s.accessible(ctx, r, sch, pol, obj, []rapport.ID{id}, level)
			return ok[id], err
		}
		var err error
		if x.Read, err = verdict(security.Read); err != nil {
			return err
		}
		if x.Edit, err = verdict(security.Edit); err != nil {
			return err
		}
		if x.Delete, err = verdict(security.All); err != nil {
			return err
		}
		x.Edit = x.Edit && x.ObjectPerms.Edit
		x.Delete = x.Delete && x.ObjectPerms.Delete
		x.Read = x.Read && x.ObjectPerms.Read
		return s.reasons(ctx, r, sch, st.data, pol, obj, id, add, 0)
	})
	return x, err
}

func (s *Service) reasons(ctx context.Context, r Reader, sch *metadata.Schema, d *security.Data, pol *security.Policy, obj *metadata.Object, id rapport.ID, add func(string, ...any), depth int) error {
	u := d.Users[pol.User]
	switch {
	case u == nil:
		add("%s is not a user of this org", pol.User)
		return nil
	case !u.Active:
		add("the user is inactive: no access at all")
		return nil
	}
	op := pol.Object(obj.Name)
	if !op.Read {
		add("no Read permission on %s from the user's profile or permission sets", obj.Name)
		return nil
	}
	perms := []string{}
	for name, ok := range map[string]bool{"Read": op.Read, "Create": op.Create, "Edit": op.Edit, "Delete": op.Delete, "View All": op.ViewAll, "Modify All": op.ModifyAll} {
		if ok {
			perms = append(perms, name)
		}
	}
	add("object permissions on %s: %s", obj.Name, strings.Join(sortStrings(perms), ", "))
	switch {
	case pol.Has(security.ModifyAllData):
		add("Modify All Data: every record")
		return nil
	case op.ModifyAll:
		add("Modify All on %s: every record", obj.Name)
		return nil
	case pol.Has(security.ViewAllData) || op.ViewAll:
		add("View All on %s: reads every record", obj.Name)
	}
	model := obj.Sharing()
	add("org-wide default for %s: %s", obj.Name, model)
	if model == metadata.SharingControlledByParent {
		if ms := security.MasterFields(obj); len(ms) > 0 && depth < 4 {
			rows, err := r.Rows(ctx, obj, append([]*metadata.Field{obj.Field(metadata.FieldID)}, ms...), []rapport.ID{id})
			if err != nil {
				return err
			}
			followed := false
			for i := range ms {
				if len(rows) != 1 || rows[0][i+1] == nil {
					continue
				}
				parent := rows[0][i+1].(rapport.ID)
				if pobj := sch.ByPrefix(parent.Prefix()); pobj != nil {
					add("access follows %s %s:", pobj.Name, parent)
					if err := s.reasons(ctx, r, sch, d, pol, pobj, parent, func(f string, a ...any) { add("  "+f, a...) }, depth+1); err != nil {
						return err
					}
					followed = true
				}
			}
			if followed {
				return nil
			}
		}
	}
	owner := obj.Field(metadata.FieldOwnerID)
	if owner != nil {
		fields := []*metadata.Field{obj.Field(metadata.FieldID), owner}
		for _, rule := range obj.SharingRules {
			if f := obj.Field(rule.Field); f != nil {
				fields = append(fields, f)
			}
		}
		rows, err := r.Rows(ctx, obj, fields, []rapport.ID{id})
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			add("no such record")
			return nil
		}
		ownerID, _ := rows[0][1].(rapport.ID)
		switch {
		case ownerID == pol.User:
			add("the user owns the record: full access")
		case pol.InGroup(string(ownerID)):
			add("the user is above the owner %s in the role hierarchy (or in the owning queue): full access", ownerID)
		default:
			add("the owner is %s, neither the user nor below them in the role hierarchy", ownerID)
		}
		values := map[string]any{}
		for i, f := range fields {
			values[f.Name] = rows[0][i]
		}
		for _, rule := range obj.SharingRules {
			if !pol.InGroup(rule.To) {
				continue
			}
			if rule.From != "" {
				add("sharing rule %s gives %s to %s for records owned by %s (applies if the owner is one of them)", rule.Name, rule.Access, rule.To, rule.From)
			} else {
				add("sharing rule %s gives %s to %s when %s %s %q (the record has %v)", rule.Name, rule.Access, rule.To, rule.Field, rule.Op, rule.Value, values[obj.Field(rule.Field).Name])
			}
		}
	}
	shares, err := r.Shares(ctx, id)
	if err != nil {
		return err
	}
	for _, sh := range shares {
		if pol.InGroup(sh.Group) {
			add("shared (%s) with %s, which reaches the user: %s", sh.Cause, sh.Group, sh.Level)
		}
	}
	return nil
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

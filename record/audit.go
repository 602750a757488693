package record

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// auditSections names the set-up area of each security object, as the
// audit trail shows it.
var auditSections = map[string]string{
	"User": "Manage Users", "Profile": "Manage Users", "UserRole": "Roles", "Group": "Groups", "GroupMember": "Groups",
	"PermissionSet": "Permission Sets", "ObjectPermissions": "Permission Sets", "FieldPermissions": "Permission Sets",
	"PermissionSetAssignment": "Permission Set Assignments",
}

// secretFields are never written into the audit trail.
var secretFields = map[string]bool{"Password": true}

// audit adds one entry to the setup audit trail, in tx, as the principal.
func (s *Service) audit(ctx context.Context, tx Tx, sch *metadata.Schema, section, action, display string) error {
	obj := sch.Object("SetupAuditTrail")
	if obj == nil {
		return nil
	}
	p := rapport.CurrentPrincipal(ctx)
	if r := []rune(display); len(r) > 1000 {
		display = string(r[:999]) + "…"
	}
	sys := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: p.OrgID, UserID: p.UserID, System: true})
	it := &item{input: map[string]any{"Action": action, "Section": section, "Display": display}, create: true}
	if err := s.write(sys, tx, rapport.CurrentPrincipal(sys), sch, obj, []*item{it}, WriteOptions{AllOrNone: true}); err != nil {
		return err
	}
	return it.err
}

// Audit adds an entry to the setup audit trail as the current user, for
// set-up work done outside their own record writes (a user created with a
// login). Rapport's own work (a system principal without a user) is not
// audited.
func (s *Service) Audit(ctx context.Context, section, action, display string) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if p.UserID == "" {
		return nil
	}
	sch, err := s.Schema(ctx, p.OrgID)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, p.OrgID, func(tx Tx) error { return s.audit(ctx, tx, sch, section, action, display) })
}

// auditWrite records the set-up changes of a batch of security records.
// Work done by Rapport itself (org creation) is not audited.
func (s *Service) auditWrite(ctx context.Context, tx Tx, p rapport.Principal, sch *metadata.Schema, obj *metadata.Object, items []*item) error {
	section, ok := auditSections[obj.Name]
	if !ok || p.System {
		return nil
	}
	for _, it := range items {
		if it.err != nil {
			continue
		}
		name := auditName(obj, it.state, it.id)
		if it.create {
			if err := s.audit(ctx, tx, sch, section, "created"+obj.Name, fmt.Sprintf("Created %s %s", obj.Label, name)); err != nil {
				return err
			}
			continue
		}
		var changes []string
		for _, f := range obj.LiveFields() {
			if f.System || secretFields[f.Name] || Equal(it.state[f], it.old[f]) {
				continue
			}
			changes = append(changes, fmt.Sprintf("%s from %q to %q", f.Name, FormatValue(it.old[f]), FormatValue(it.state[f])))
		}
		if len(changes) == 0 {
			continue
		}
		if err := s.audit(ctx, tx, sch, section, "changed"+obj.Name, fmt.Sprintf("Changed %s %s: %s", obj.Label, name, strings.Join(changes, "; "))); err != nil {
			return err
		}
	}
	return nil
}

// auditName names a record for the trail.
func auditName(obj *metadata.Object, state map[*metadata.Field]any, id rapport.ID) string {
	for _, n := range []string{"Username", "Name", "Label", "Field", "SobjectType"} {
		if f := obj.Field(n); f != nil {
			if v, ok := state[f].(string); ok && v != "" {
				return v + " (" + string(id) + ")"
			}
		}
	}
	return string(id)
}

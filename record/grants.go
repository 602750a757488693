package record

import (
	"context"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/security"
)

// FieldGrants returns FieldPermissions records granting read (and edit,
// where the field is writable and edit is set) on fields of obj to a
// permission set. Fields every reader sees anyway get no row.
func FieldGrants(set rapport.ID, obj *metadata.Object, fields []*metadata.Field, edit bool) []map[string]any {
	var out []map[string]any
	for _, f := range fields {
		if f.System || f.NameField || f.Required || f.Name == metadata.FieldOwnerID || f.Type == metadata.TypeID {
			continue
		}
		out = append(out, map[string]any{"ParentId": string(set), "SobjectType": obj.Name, "Field": obj.Name + "." + f.Name,
			"PermissionsRead": true, "PermissionsEdit": edit && (f.Writable(true) || f.Writable(false))})
	}
	return out
}

// grantNew gives the profiles access to a new custom object (as they have
// to Account) or to new fields (to those who may read the object), as
// Salesforce's "visible to all profiles" default does. It runs in the
// schema change's transaction.
func (s *Service) grantNew(ctx context.Context, tx Tx, sch *metadata.Schema, obj *metadata.Object, fields []*metadata.Field, newObject bool) error {
	data, err := LoadSecurity(ctx, tx, sch)
	if err != nil {
		return err
	}
	var objPerms, fieldPerms []map[string]any
	key := strings.ToLower(obj.Name)
	for _, set := range data.Sets {
		if set.Profile == "" || set.System[security.ModifyAllData] {
			continue
		}
		op := set.Objects[key]
		if newObject {
			op = set.Objects["account"]
			if !op.Read {
				continue
			}
			objPerms = append(objPerms, map[string]any{"ParentId": string(set.ID), "SobjectType": obj.Name,
				"PermissionsRead": true, "PermissionsCreate": op.Create, "PermissionsEdit": op.Edit, "PermissionsDelete": op.Delete})
		}
		if !op.Read {
			continue
		}
		fieldPerms = append(fieldPerms, FieldGrants(set.ID, obj, fields, op.Edit)...)
	}
	p := rapport.CurrentPrincipal(ctx)
	sys := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: p.OrgID, UserID: p.UserID, System: true})
	for _, batch := range []struct {
		object string
		recs   []map[string]any
	}{{"ObjectPermissions", objPerms}, {"FieldPermissions", fieldPerms}} {
		if len(batch.recs) == 0 {
			continue
		}
		target := sch.Object(batch.object)
		if target == nil {
			continue
		}
		items := make([]*item, len(batch.recs))
		for i, r := range batch.recs {
			items[i] = &item{input: r, create: true}
		}
		if err := s.write(sys, tx, rapport.CurrentPrincipal(sys), sch, target, items, WriteOptions{AllOrNone: true}); err != nil {
			return err
		}
		for _, it := range items {
			if it.err != nil {
				return it.err
			}
		}
	}
	return nil
}

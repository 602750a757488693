package record

import (
	"context"
	"fmt"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// SyncStandard brings an org's standard metadata up to the catalog std:
// standard objects the org lacks are created, and standard fields its
// objects lack are added, in one transaction. Orgs made by an older build
// get what a newer build ships; nothing is removed or changed. Only the
// system may do it.
func (s *Service) SyncStandard(ctx context.Context, std []*metadata.Object) (added []string, err error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !p.System {
		return nil, rapport.Errorf(rapport.InsufficientAccess, "only Rapport itself installs standard metadata")
	}
	sch, err := s.Schema(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	err = s.store.Write(ctx, p.OrgID, func(tx Tx) error {
		for _, want := range std {
			have := sch.AnyObject(want.Name)
			if have == nil {
				o := want.Clone()
				if err := assignNames(ctx, tx, o); err != nil {
					return err
				}
				if err := tx.CreateObject(ctx, o); err != nil {
					return fmt.Errorf("install %s: %w", o.Name, err)
				}
				added = append(added, o.Name)
				continue
			}
			o := have.Clone()
			for _, f := range want.Fields {
				if o.AnyField(f.Name) != nil {
					continue
				}
				nf := f.Clone()
				if err := assignColumn(ctx, tx, nf); err != nil {
					return err
				}
				o.Fields = append(o.Fields, nf)
				if err := tx.AddField(ctx, o, nf); err != nil {
					return fmt.Errorf("install %s.%s: %w", o.Name, nf.Name, err)
				}
				added = append(added, o.Name+"."+nf.Name)
			}
		}
		if len(added) == 0 {
			return nil
		}
		_, err := tx.BumpSchema(ctx)
		return err
	})
	s.Forget(p.OrgID)
	s.forgetSecurity(p.OrgID)
	return added, err
}

// Scan calls fn with the named fields of every live record of object, for
// Rapport's own upkeep (it ignores sharing, so only the system may).
func (s *Service) Scan(ctx context.Context, object string, fields []string, fn func(map[string]any) error) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.System {
		return rapport.Errorf(rapport.InsufficientAccess, "only Rapport itself scans whole objects")
	}
	sch, err := s.Schema(ctx, p.OrgID)
	if err != nil {
		return err
	}
	obj := sch.Object(object)
	if obj == nil {
		return unknownObject(object)
	}
	fs := make([]*metadata.Field, len(fields))
	for i, n := range fields {
		if fs[i] = obj.Field(n); fs[i] == nil {
			return UnknownField(obj, n)
		}
	}
	return s.store.Read(ctx, p.OrgID, func(r Reader) error {
		return r.Scan(ctx, obj, fs, func(row []any) error {
			m := make(map[string]any, len(fs))
			for i, f := range fs {
				m[f.Name] = row[i]
			}
			return fn(m)
		})
	})
}

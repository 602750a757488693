package record

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/security"
)

// maxCascade bounds how many records one delete may cascade to.
const maxCascade = 100000

// Delete moves records to the recycle bin. Records that reference them are
// deleted with them (cascade), cleared (set null; restored by undelete) or
// make the delete fail (restrict), as their lookups say. IDs may be of any
// objects.
func (s *Service) Delete(ctx context.Context, ids []string, opt WriteOptions) ([]Result, error) {
	return s.remove(ctx, ids, opt, false)
}

// HardDelete removes records for good, bypassing the recycle bin. Deleted
// records may be hard-deleted too (emptying them from the bin).
func (s *Service) HardDelete(ctx context.Context, ids []string, opt WriteOptions) ([]Result, error) {
	return s.remove(ctx, ids, opt, true)
}

type target struct {
	it   *item
	obj  *metadata.Object
	name string
}

// resolve parses IDs of any object and loads whether each exists and is
// deleted.
func (s *Service) resolve(ctx context.Context, tx Tx, sch *metadata.Schema, ids []string) ([]*target, error) {
	out := make([]*target, len(ids))
	byObj := map[*metadata.Object][]rapport.ID{}
	for i, raw := range ids {
		t := &target{it: &item{}}
		out[i] = t
		id, err := rapport.ParseID(raw)
		if err != nil {
			t.it.fail(rapport.FieldErrorf(rapport.MalformedID, []string{metadata.FieldID}, "invalid ID: %s", describe(raw)))
			continue
		}
		t.it.id = id
		t.obj = sch.ByPrefix(id.Prefix())
		if t.obj == nil {
			t.it.fail(rapport.FieldErrorf(rapport.MalformedID, []string{metadata.FieldID}, "invalid ID: %s", id))
			continue
		}
		byObj[t.obj] = append(byObj[t.obj], id)
	}
	state := map[rapport.ID]map[string]any{}
	for obj, list := range byObj {
		fields := []*metadata.Field{obj.Field(metadata.FieldID), obj.Field(metadata.FieldIsDeleted)}
		if nf := nameField(obj); nf != nil {
			fields = append(fields, nf)
		}
		rows, err := tx.Rows(ctx, obj, fields, list)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			m := map[string]any{"deleted": r[1]}
			if len(r) > 2 {
				m["name"] = r[2]
			}
			state[r[0].(rapport.ID)] = m
		}
	}
	for _, t := range out {
		if t.it.err != nil {
			continue
		}
		st := state[t.it.id]
		if st == nil {
			t.it.fail(rapport.FieldErrorf(rapport.NotFound, []string{metadata.FieldID}, "The requested resource does not exist: %s", t.it.id))
			continue
		}
		t.it.old = map[*metadata.Field]any{t.obj.Field(metadata.FieldIsDeleted): st["deleted"]}
		t.name = FormatValue(st["name"])
	}
	return out, nil
}

func nameField(obj *metadata.Object) *metadata.Field {
	if obj.NameField == "" {
		return nil
	}
	f := obj.Field(obj.NameField)
	if f == nil || !f.Stored() {
		return nil
	}
	return f
}

func isDeleted(t *target) bool { return t.it.old[t.obj.Field(metadata.FieldIsDeleted)] == true }

func (s *Service) remove(ctx context.Context, ids []string, opt WriteOptions, hard bool) ([]Result, error) {
	return s.overTargets(ctx, ids, opt, func(tx Tx, p rapport.Principal, sch *metadata.Schema, t *target, now time.Time) error {
		switch {
		case !t.obj.Deletable && !p.System:
			return rapport.Errorf(rapport.DeleteFailed, "entity type cannot be deleted: %s", t.obj.Name)
		case isDeleted(t) && !hard:
			return rapport.Errorf(rapport.EntityIsDeleted, "entity is deleted")
		case hard:
			return s.hardDelete(ctx, tx, sch, t.obj, []rapport.ID{t.it.id}, 0)
		}
		return s.softDelete(ctx, tx, p, sch, t, now)
	})
}

// overTargets runs op on each record of ids, of any objects, in one
// transaction: it resolves the IDs, checks that the principal may remove
// them (Delete permission and full access), runs op for each in a
// savepoint (a domain error fails that record only), and keeps the
// security tables and the batch's Then hook current.
func (s *Service) overTargets(ctx context.Context, ids []string, opt WriteOptions, op func(tx Tx, p rapport.Principal, sch *metadata.Schema, t *target, now time.Time) error) ([]Result, error) {
	ctx, err := s.withPolicy(ctx)
	if err != nil {
		return nil, err
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	sch, err := s.Schema(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	if err := checkBatch(len(ids)); err != nil {
		return nil, err
	}
	var targets []*target
	err = s.store.Write(ctx, p.OrgID, func(tx Tx) error {
		store := tx // for opt.Then, as in write
		rt := withRollups(tx, sch, s.rollups(p.OrgID, sch))
		if rt != nil {
			tx = rt
		}
		targets, err = s.resolve(ctx, tx, sch, ids)
		if err != nil {
			return err
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		if err := s.checkTargets(ctx, tx, sch, targets); err != nil {
			return err
		}
		for _, t := range targets {
			if t.it.err != nil {
				continue
			}
			if err := tx.Savepoint(ctx, func() error { return op(tx, p, sch, t, now) }); err != nil {
				if !isDomain(err) {
					return err
				}
				t.it.fail(err)
			}
		}
		items := make([]*item, len(targets))
		for i, t := range targets {
			items[i] = t.it
		}
		if failed(items) && opt.AllOrNone {
			rollBackAll(items)
			return errRollback
		}
		if err := s.afterRemove(ctx, tx, sch, targets); err != nil {
			return err
		}
		if rt != nil {
			if err := rt.flush(ctx); err != nil {
				return err
			}
		}
		return opt.then(ctx, store, removed(targets))
	})
	s.forgetSecurity(p.OrgID)
	return removed(targets), finish(err)
}

// softDelete moves one record, and what cascades from it, to the bin.
func (s *Service) softDelete(ctx context.Context, tx Tx, p rapport.Principal, sch *metadata.Schema, t *target, now time.Time) error {
	root := t.it.id
	var bin []BinEntry
	var cleared []ClearedRef
	type level struct {
		obj *metadata.Object
		ids []rapport.ID
	}
	queue := []level{{t.obj, []rapport.ID{root}}}
	bin = append(bin, BinEntry{ID: root, Object: t.obj.KeyPrefix, Name: t.name, Root: root, DeletedAt: now, DeletedBy: p.UserID})
	total := 0
	for len(queue) > 0 {
		lv := queue[0]
		queue = queue[1:]
		for _, rel := range sch.ChildRelationships(lv.obj) {
			f := rel.Field
			if f.System && f.Name != metadata.FieldOwnerID {
				continue
			}
			kids, err := tx.Referencing(ctx, rel.Child, f, lv.ids, false)
			if err != nil {
				return err
			}
			if len(kids) == 0 {
				continue
			}
			switch constraint(f) {
			case metadata.Restrict:
				return rapport.Errorf(rapport.DeleteFailed, "Your attempt to delete %s could not be completed because it is associated with the following %s: %d record(s) referencing it through %s.%s",
					t.name, rel.Child.PluralLabel, len(kids), rel.Child.Name, f.Name)
			case metadata.SetNull:
				for _, k := range kids {
					if err := tx.Update(ctx, rel.Child, k.ID, []*metadata.Field{f}, []any{nil}); err != nil {
						return err
					}
					cleared = append(cleared, ClearedRef{Root: root, Object: rel.Child.KeyPrefix, ID: k.ID, Field: f.Column, Parent: mustID(k.Value)})
				}
			case metadata.Cascade:
				ids := make([]rapport.ID, len(kids))
				for i, k := range kids {
					ids[i] = k.ID
					bin = append(bin, BinEntry{ID: k.ID, Object: rel.Child.KeyPrefix, Root: root, DeletedAt: now, DeletedBy: p.UserID})
				}
				total += len(ids)
				if total > maxCascade {
					return rapport.Errorf(rapport.DeleteFailed, "deleting %s would delete more than %d related records", t.name, maxCascade)
				}
				if err := tx.SetDeleted(ctx, rel.Child, ids, true, now, p.UserID); err != nil {
					return err
				}
				queue = append(queue, level{rel.Child, ids})
			}
		}
	}
	if err := tx.SetDeleted(ctx, t.obj, []rapport.ID{root}, true, now, p.UserID); err != nil {
		return err
	}
	if len(cleared) > 0 {
		if err := tx.AddClearedRefs(ctx, cleared); err != nil {
			return err
		}
	}
	return tx.AddToBin(ctx, bin)
}

// constraint returns the delete behaviour of a reference field: master-detail
// always cascades.
func constraint(f *metadata.Field) metadata.DeleteConstraint {
	if f.Type == metadata.TypeMasterDetail {
		return metadata.Cascade
	}
	if f.DeleteConstraint == "" {
		return metadata.SetNull
	}
	return f.DeleteConstraint
}

// hardDelete removes records and what cascades from them, and clears
// lookups to them.
func (s *Service) hardDelete(ctx context.Context, tx Tx, sch *metadata.Schema, obj *metadata.Object, ids []rapport.ID, depth int) error {
	if depth > 50 {
		return rapport.Errorf(rapport.DeleteFailed, "relationships nest too deeply to delete")
	}
	for _, rel := range sch.ChildRelationships(obj) {
		f := rel.Field
		if f.System && f.Name != metadata.FieldOwnerID {
			continue
		}
		kids, err := tx.Referencing(ctx, rel.Child, f, ids, true)
		if err != nil {
			return err
		}
		if len(kids) == 0 {
			continue
		}
		switch constraint(f) {
		case metadata.Restrict:
			return rapport.Errorf(rapport.DeleteFailed, "Your attempt to delete %s could not be completed because it is associated with %d %s", ids[0], len(kids), rel.Child.PluralLabel)
		case metadata.SetNull:
			for _, k := range kids {
				if err := tx.Update(ctx, rel.Child, k.ID, []*metadata.Field{f}, []any{nil}); err != nil {
					return err
				}
			}
		case metadata.Cascade:
			kidIDs := make([]rapport.ID, len(kids))
			for i, k := range kids {
				kidIDs[i] = k.ID
			}
			if err := s.hardDelete(ctx, tx, sch, rel.Child, kidIDs, depth+1); err != nil {
				return err
			}
		}
	}
	if err := tx.Delete(ctx, obj, ids); err != nil {
		return err
	}
	return tx.RemoveFromBin(ctx, ids)
}

// Undelete restores records from the recycle bin, with the records their
// deletion cascaded to and the lookups it cleared.
func (s *Service) Undelete(ctx context.Context, ids []string, opt WriteOptions) ([]Result, error) {
	return s.overTargets(ctx, ids, opt, func(tx Tx, p rapport.Principal, sch *metadata.Schema, t *target, now time.Time) error {
		if !isDeleted(t) {
			return rapport.Errorf(rapport.UndeleteFailed, "entity is not in the recycle bin")
		}
		return s.undelete(ctx, tx, p, sch, t, now)
	})
}

func (s *Service) undelete(ctx context.Context, tx Tx, p rapport.Principal, sch *metadata.Schema, t *target, now time.Time) error {
	entries, err := tx.Bin(ctx, []rapport.ID{t.it.id})
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		// Deleted with a parent: undelete the parent instead.
		return rapport.Errorf(rapport.UndeleteFailed, "this record was deleted with its parent; undelete the parent to restore it")
	}
	byObj := map[string][]rapport.ID{}
	var all []rapport.ID
	for _, e := range entries {
		byObj[e.Object] = append(byObj[e.Object], e.ID)
		all = append(all, e.ID)
	}
	for prefix, list := range byObj {
		obj := sch.ByPrefix(prefix)
		if obj == nil {
			return rapport.Errorf(rapport.UndeleteFailed, "the object of %s no longer exists", list[0])
		}
		if err := s.checkParentsLive(ctx, tx, sch, obj, list, all); err != nil {
			return err
		}
		if err := tx.SetDeleted(ctx, obj, list, false, now, p.UserID); err != nil {
			return err
		}
	}
	refs, err := tx.TakeClearedRefs(ctx, []rapport.ID{t.it.id})
	if err != nil {
		return err
	}
	for _, r := range refs {
		obj := sch.ByPrefix(r.Object)
		if obj == nil {
			continue
		}
		var f *metadata.Field
		for _, cand := range obj.LiveFields() {
			if cand.Column == r.Field {
				f = cand
			}
		}
		if f == nil {
			continue
		}
		rows, err := tx.Rows(ctx, obj, []*metadata.Field{obj.Field(metadata.FieldID), f}, []rapport.ID{r.ID})
		if err != nil {
			return err
		}
		if len(rows) == 1 && rows[0][1] == nil {
			if err := tx.Update(ctx, obj, r.ID, []*metadata.Field{f}, []any{r.Parent}); err != nil {
				return err
			}
		}
	}
	return tx.RemoveFromBin(ctx, all)
}

// checkParentsLive refuses to restore records whose master-detail or
// cascading parent is still deleted (and not being restored too).
func (s *Service) checkParentsLive(ctx context.Context, tx Tx, sch *metadata.Schema, obj *metadata.Object, ids, restoring []rapport.ID) error {
	var refs []*metadata.Field
	for _, f := range obj.LiveFields() {
		if f.Type.IsReference() && !f.System && constraint(f) == metadata.Cascade {
			refs = append(refs, f)
		}
	}
	if len(refs) == 0 {
		return nil
	}
	back := map[rapport.ID]bool{}
	for _, id := range restoring {
		back[id] = true
	}
	fields := append([]*metadata.Field{obj.Field(metadata.FieldID)}, refs...)
	rows, err := tx.Rows(ctx, obj, fields, ids)
	if err != nil {
		return err
	}
	for _, r := range rows {
		for i, f := range refs {
			parent, ok := r[i+1].(rapport.ID)
			if !ok || back[parent] {
				continue
			}
			pobj := sch.ByPrefix(parent.Prefix())
			if pobj == nil {
				continue
			}
			prow, err := tx.Rows(ctx, pobj, []*metadata.Field{pobj.Field(metadata.FieldID), pobj.Field(metadata.FieldIsDeleted)}, []rapport.ID{parent})
			if err != nil {
				return err
			}
			if len(prow) == 0 || prow[0][1] == true {
				return rapport.FieldErrorf(rapport.UndeleteFailed, []string{f.Name}, "%s: the parent record %s is deleted; undelete it first", f.Label, parent)
			}
		}
	}
	return nil
}

// Record is a record read through the service.
type Record struct {
	Object  *metadata.Object
	ID      rapport.ID
	Deleted bool
	// Values holds the requested fields by canonical API name.
	Values map[string]any
}

// Get reads records of one object by ID; fields names the fields to return
// (all when empty). The result is in the order of ids, with nil for IDs not
// found. Deleted records are returned only with includeDeleted.
func (s *Service) Get(ctx context.Context, object string, ids []string, fields []string, includeDeleted bool) ([]*Record, error) {
	p, sch, obj, err := s.object(ctx, object)
	if err != nil {
		return nil, err
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return nil, err
	}
	readable := func(f *metadata.Field) bool { return pol == nil || pol.Field(obj, f).Read }
	var fs []*metadata.Field
	if len(fields) == 0 {
		for _, f := range storedFields(obj) {
			if readable(f) {
				fs = append(fs, f)
			}
		}
	} else {
		fs = []*metadata.Field{obj.Field(metadata.FieldID), obj.Field(metadata.FieldIsDeleted)}
		for _, name := range fields {
			f := obj.Field(strings.TrimSpace(name))
			if f == nil || !readable(f) {
				return nil, UnknownField(obj, name)
			}
			if f.Stored() && f != fs[0] && f != fs[1] {
				fs = append(fs, f)
			}
		}
	}
	parsed := make([]rapport.ID, len(ids))
	var valid []rapport.ID
	for i, raw := range ids {
		id, err := parseObjectID(obj, raw)
		if err != nil {
			return nil, err
		}
		parsed[i] = id
		valid = append(valid, id)
	}
	var rows [][]any
	err = s.store.Read(ctx, p.OrgID, func(r Reader) error {
		if pol != nil {
			ok, err := s.accessible(ctx, r, sch, pol, obj, valid, security.Read)
			if err != nil {
				return err
			}
			visible := valid[:0:0]
			for _, id := range valid {
				if ok[id] {
					visible = append(visible, id)
				}
			}
			valid = visible
		}
		rows, err = r.Rows(ctx, obj, fs, valid)
		return err
	})
	if err != nil {
		return nil, err
	}
	byID := map[rapport.ID]*Record{}
	idIdx, delIdx := -1, -1
	for i, f := range fs {
		switch f.Name {
		case metadata.FieldID:
			idIdx = i
		case metadata.FieldIsDeleted:
			delIdx = i
		}
	}
	for _, r := range rows {
		rec := &Record{Object: obj, ID: r[idIdx].(rapport.ID), Deleted: r[delIdx] == true, Values: make(map[string]any, len(fs))}
		for i, f := range fs {
			rec.Values[f.Name] = r[i]
		}
		byID[rec.ID] = rec
	}
	out := make([]*Record, len(parsed))
	for i, id := range parsed {
		if rec := byID[id]; rec != nil && (includeDeleted || !rec.Deleted) {
			out[i] = rec
		}
	}
	return out, nil
}

// History returns the field history of one record, oldest first, with field
// API names resolved from metadata.
func (s *Service) History(ctx context.Context, object, id string) ([]HistoryRow, error) {
	p, _, obj, err := s.object(ctx, object)
	if err != nil {
		return nil, err
	}
	rid, err := parseObjectID(obj, id)
	if err != nil {
		return nil, err
	}
	var rows []HistoryRow
	err = s.store.Read(ctx, p.OrgID, func(r Reader) error {
		rows, err = r.History(ctx, obj, rid)
		return err
	})
	for i := range rows {
		for _, f := range obj.Fields {
			if f.Column == rows[i].Field {
				rows[i].Field = f.Name
			}
		}
	}
	return rows, err
}

// RecycleBin lists the org's recycle bin, newest first: the records deleted
// directly (not those cascaded from them).
func (s *Service) RecycleBin(ctx context.Context) ([]BinEntry, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var out []BinEntry
	err = s.store.Read(ctx, p.OrgID, func(r Reader) error {
		entries, err := r.Bin(ctx, nil)
		for _, e := range entries {
			if e.ID == e.Root {
				out = append(out, e)
			}
		}
		return err
	})
	return out, err
}

// String renders a result for logs and tests.
func (r Result) String() string {
	if r.Err != nil {
		return fmt.Sprintf("%s: %v", r.ID, r.Err)
	}
	return string(r.ID)
}

// checkTargets fails the delete or undelete targets the principal may not
// remove: it needs the Delete permission and full access to the record.
func (s *Service) checkTargets(ctx context.Context, tx Tx, sch *metadata.Schema, targets []*target) error {
	pol, err := s.Policy(ctx)
	if err != nil || pol == nil {
		return err
	}
	byObj := map[*metadata.Object][]*target{}
	for _, t := range targets {
		if t.it.err != nil {
			continue
		}
		if err := checkObject(pol, t.obj, "delete"); err != nil {
			t.it.fail(err)
			continue
		}
		byObj[t.obj] = append(byObj[t.obj], t)
	}
	for obj, ts := range byObj {
		ids := make([]rapport.ID, len(ts))
		for i, t := range ts {
			ids[i] = t.it.id
		}
		ok, err := s.accessible(ctx, tx, sch, pol, obj, ids, security.All)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if !ok[t.it.id] {
				t.it.fail(noAccess(t.it.id))
			}
		}
	}
	return nil
}

// afterRemove keeps the security tables current when security records were
// removed or restored.
func (s *Service) afterRemove(ctx context.Context, tx Tx, sch *metadata.Schema, targets []*target) error {
	done := map[*metadata.Object]bool{}
	p := rapport.CurrentPrincipal(ctx)
	for _, t := range targets {
		if t.it.err != nil || !securityObjects[t.obj.Name] {
			continue
		}
		if section, ok := auditSections[t.obj.Name]; ok && !p.System {
			if err := s.audit(ctx, tx, sch, section, "removed"+t.obj.Name, fmt.Sprintf("Removed %s %s %s", t.obj.Label, t.name, t.it.id)); err != nil {
				return err
			}
		}
		if !done[t.obj] {
			done[t.obj] = true
			if err := s.afterSecurityWrite(ctx, tx, sch, t.obj); err != nil {
				return err
			}
		}
	}
	return nil
}

package record

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/security"
)

// MaxBatch is the most records one call may carry, as in Salesforce's
// collections.
const MaxBatch = 10000

// Service is the record layer of all orgs of one store.
type Service struct {
	store Store
	ids   *rapport.IDGenerator
	now   func() time.Time
	log   *slog.Logger

	mu      sync.Mutex
	schemas map[rapport.ID]*cachedSchema

	sec securityCache
}

// cachedSchema is an org's metadata with when its version was last checked.
type cachedSchema struct {
	sch     *metadata.Schema
	checked time.Time
	// rollups indexes the schema's roll-ups by detail object, once asked.
	rollups map[string][]Rollup
}

// schemaCheck is how often a cached schema's version is compared with the
// store's, so that changes made by another process (a CLI beside the
// server, or other servers on PostgreSQL) are seen within that time.
const schemaCheck = time.Second

// Options configures a Service. Zero values take defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	IDs    *rapport.IDGenerator
}

// NewService returns a record service over store.
func NewService(store Store, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.IDs == nil {
		opts.IDs = rapport.NewIDGenerator(opts.Now)
	}
	return &Service{store: store, ids: opts.IDs, now: opts.Now, log: opts.Logger, schemas: map[rapport.ID]*cachedSchema{}}
}

// IDs returns the service's ID generator.
func (s *Service) IDs() *rapport.IDGenerator { return s.ids }

// Schema returns the org's metadata. It is cached, and the cache is
// checked against the store's schema version at most once a second.
func (s *Service) Schema(ctx context.Context, org rapport.ID) (*metadata.Schema, error) {
	now := time.Now()
	s.mu.Lock()
	c := s.schemas[org]
	s.mu.Unlock()
	if c != nil && now.Sub(c.checked) < schemaCheck {
		return c.sch, nil
	}
	if c != nil {
		v, err := s.store.SchemaVersion(ctx, org)
		if err != nil {
			return nil, err
		}
		if v == c.sch.Version {
			s.mu.Lock()
			c.checked = now
			s.mu.Unlock()
			return c.sch, nil
		}
	}
	sch, err := s.store.LoadSchema(ctx, org)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if cur := s.schemas[org]; cur == nil || cur.sch.Version <= sch.Version {
		s.schemas[org] = &cachedSchema{sch: sch, checked: now}
	}
	s.mu.Unlock()
	return sch, nil
}

// Forget drops the cached metadata of org (after a change made elsewhere).
func (s *Service) Forget(org rapport.ID) {
	s.mu.Lock()
	delete(s.schemas, org)
	s.mu.Unlock()
}

func principal(ctx context.Context) (rapport.Principal, error) {
	p, ok := rapport.PrincipalFrom(ctx)
	if !ok || p.OrgID == "" {
		return p, errors.New("record: no principal in context")
	}
	return p, nil
}

// object resolves an object API name for the principal's org.
func (s *Service) object(ctx context.Context, name string) (rapport.Principal, *metadata.Schema, *metadata.Object, error) {
	p, err := principal(ctx)
	if err != nil {
		return p, nil, nil, err
	}
	sch, err := s.Schema(ctx, p.OrgID)
	if err != nil {
		return p, nil, nil, err
	}
	obj := sch.Object(name)
	if obj == nil {
		return p, nil, nil, unknownObject(name)
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return p, nil, nil, err
	}
	if err := checkObject(pol, obj, "read"); err != nil {
		return p, nil, nil, err
	}
	return p, sch, obj, nil
}

func unknownObject(name string) error {
	return rapport.Errorf(rapport.InvalidType, "sObject type '%s' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", name)
}

// UnknownField is the error for a field name the object does not have.
func UnknownField(obj *metadata.Object, name string) error {
	return rapport.FieldErrorf(rapport.InvalidField, []string{name}, "No such column '%s' on sobject of type %s", name, obj.Name)
}

// WriteOptions change how a batch is written.
type WriteOptions struct {
	// AllOrNone writes every record or none: one failure fails the batch.
	AllOrNone bool
	// Then, if set, runs last in the batch's transaction with the results
	// so far; its error rolls the whole batch back. Bulk jobs record a
	// chunk's results with it, atomically with the chunk's records.
	Then func(ctx context.Context, tx Tx, results []Result) error
}

// A Result is the outcome of writing one record of a batch.
type Result struct {
	ID      rapport.ID
	Created bool
	Err     error // nil, or an *rapport.Error
}

// errRollback rolls a transaction back after results were recorded.
var errRollback = errors.New("record: rolled back")

// item is one record on its way through a write.
type item struct {
	input  map[string]any
	id     rapport.ID
	old    map[*metadata.Field]any // update: the stored state
	state  map[*metadata.Field]any // the state to store
	touch  map[*metadata.Field]bool
	create bool
	err    error
}

func (it *item) fail(err error) {
	if it.err == nil {
		it.err = err
	}
}

// Create inserts records of one object.
func (s *Service) Create(ctx context.Context, object string, recs []map[string]any, opt WriteOptions) ([]Result, error) {
	ctx, err := s.withPolicy(ctx)
	if err != nil {
		return nil, err
	}
	p, sch, obj, err := s.object(ctx, object)
	if err != nil {
		return nil, err
	}
	if err := checkBatch(len(recs)); err != nil {
		return nil, err
	}
	items := make([]*item, len(recs))
	for i, r := range recs {
		items[i] = &item{input: r, create: true}
	}
	err = s.store.Write(ctx, p.OrgID, func(tx Tx) error {
		return s.write(ctx, tx, p, sch, obj, items, opt)
	})
	s.wrote(p.OrgID, obj)
	return results(items), finish(err)
}

// Update changes records of one object; each map carries the record's Id.
func (s *Service) Update(ctx context.Context, object string, recs []map[string]any, opt WriteOptions) ([]Result, error) {
	ctx, err := s.withPolicy(ctx)
	if err != nil {
		return nil, err
	}
	p, sch, obj, err := s.object(ctx, object)
	if err != nil {
		return nil, err
	}
	if err := checkBatch(len(recs)); err != nil {
		return nil, err
	}
	items := make([]*item, len(recs))
	for i, r := range recs {
		it := &item{input: map[string]any{}}
		for k, v := range r {
			if strings.EqualFold(k, metadata.FieldID) {
				if id, err := parseObjectID(obj, v); err != nil {
					it.fail(err)
				} else {
					it.id = id
				}
				continue
			}
			it.input[k] = v
		}
		if it.id == "" {
			it.fail(rapport.FieldErrorf(rapport.MalformedID, []string{metadata.FieldID}, "Id not specified in an update call"))
		}
		items[i] = it
	}
	err = s.store.Write(ctx, p.OrgID, func(tx Tx) error {
		return s.write(ctx, tx, p, sch, obj, items, opt)
	})
	s.wrote(p.OrgID, obj)
	return results(items), finish(err)
}

// Upsert creates or updates records of one object, matching them by the
// external ID field extField (or Id).
func (s *Service) Upsert(ctx context.Context, object, extField string, recs []map[string]any, opt WriteOptions) ([]Result, error) {
	ctx, err := s.withPolicy(ctx)
	if err != nil {
		return nil, err
	}
	p, sch, obj, err := s.object(ctx, object)
	if err != nil {
		return nil, err
	}
	if err := checkBatch(len(recs)); err != nil {
		return nil, err
	}
	key := obj.Field(extField)
	if key == nil || !(key.ExternalID || key.Type == metadata.TypeID || (key.Unique && key.Type.IsText())) {
		return nil, rapport.FieldErrorf(rapport.NotFound, []string{extField}, "Provided external ID field does not exist or is not accessible: %s", extField)
	}
	items := make([]*item, len(recs))
	keys := make([]any, len(recs))
	for i, r := range recs {
		it := &item{input: map[string]any{}}
		var raw any
		for k, v := range r {
			if strings.EqualFold(k, key.Name) {
				raw = v
			}
			if strings.EqualFold(k, metadata.FieldID) {
				continue
			}
			it.input[k] = v
		}
		items[i] = it
		v, err := Coerce(key, raw)
		switch {
		case err != nil:
			it.fail(err)
		case v == nil:
			it.fail(rapport.FieldErrorf(rapport.RequiredFieldMissing, []string{key.Name}, "Required fields are missing: [%s]", key.Name))
		default:
			keys[i] = v
		}
	}
	fold := key.Type.IsText() && !key.CaseSensitive
	err = s.store.Write(ctx, p.OrgID, func(tx Tx) error {
		seen := map[any]int{}
		var values []any
		for i, it := range items {
			if it.err != nil {
				continue
			}
			k := matchKey(keys[i], fold)
			if j, dup := seen[k]; dup {
				it.fail(rapport.FieldErrorf(rapport.DuplicateValue, []string{key.Name}, "Duplicate external id specified: %s", FormatValue(keys[i])))
				items[j].fail(rapport.FieldErrorf(rapport.DuplicateValue, []string{key.Name}, "Duplicate external id specified: %s", FormatValue(keys[i])))
				continue
			}
			seen[k] = i
			values = append(values, keys[i])
		}
		found := map[any][]rapport.ID{}
		if key.Type == metadata.TypeID {
			rows, err := tx.Rows(ctx, obj, []*metadata.Field{obj.Field(metadata.FieldID)}, toIDs(values))
			if err != nil {
				return err
			}
			for _, r := range rows {
				found[r[0]] = append(found[r[0]], r[0].(rapport.ID))
			}
		} else if len(values) > 0 {
			ms, err := tx.Find(ctx, obj, key, values, fold)
			if err != nil {
				return err
			}
			for _, m := range ms {
				k := matchKey(m.Value, fold)
				found[k] = append(found[k], m.ID)
			}
		}
		for i, it := range items {
			if it.err != nil {
				continue
			}
			switch ids := found[matchKey(keys[i], fold)]; len(ids) {
			case 0:
				if key.Type == metadata.TypeID {
					it.fail(rapport.FieldErrorf(rapport.NotFound, []string{metadata.FieldID}, "Provided external ID field does not exist or is not accessible: %s", FormatValue(keys[i])))
				}
				it.create = true
			case 1:
				it.id = ids[0]
			default:
				strs := make([]string, len(ids))
				for j, id := range ids {
					strs[j] = string(id)
				}
				it.fail(rapport.FieldErrorf(rapport.MultipleChoices, []string{key.Name}, "more than one record found for external id field: %s", strings.Join(strs, ", ")))
			}
		}
		return s.write(ctx, tx, p, sch, obj, items, opt)
	})
	s.wrote(p.OrgID, obj)
	return results(items), finish(err)
}

func toIDs(values []any) []rapport.ID {
	out := make([]rapport.ID, 0, len(values))
	for _, v := range values {
		out = append(out, v.(rapport.ID))
	}
	return out
}

func matchKey(v any, fold bool) any {
	if s, ok := v.(string); ok && fold {
		return strings.ToLower(s)
	}
	return v
}

func checkBatch(n int) error {
	if n > MaxBatch {
		return rapport.Errorf(rapport.InvalidArgument, "too many records in one call: %d (at most %d)", n, MaxBatch)
	}
	return nil
}

func finish(err error) error {
	if errors.Is(err, errRollback) {
		return nil
	}
	return err
}

func results(items []*item) []Result {
	out := make([]Result, len(items))
	for i, it := range items {
		out[i] = Result{ID: it.id, Created: it.create, Err: it.err}
		if it.err != nil && it.create {
			out[i].ID = ""
		}
	}
	return out
}

func parseObjectID(obj *metadata.Object, v any) (rapport.ID, error) {
	s, _ := v.(string)
	if id, ok := v.(rapport.ID); ok {
		s = string(id)
	}
	id, err := rapport.ParseID(s)
	if err != nil || id.Prefix() != obj.KeyPrefix {
		return "", rapport.FieldErrorf(rapport.MalformedID, []string{metadata.FieldID}, "%s ID: id value of incorrect type: %s", obj.Label, describe(v))
	}
	return id, nil
}

// write runs the common pipeline of create and update for a batch of items
// of one object within tx.
func (s *Service) write(ctx context.Context, tx Tx, p rapport.Principal, sch *metadata.Schema, obj *metadata.Object, items []*item, opt WriteOptions) error {
	now := s.now().UTC().Truncate(time.Millisecond)
	pol, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	// The store's own transaction goes to opt.Then, which may use what the
	// store offers besides record.Tx (a bulk job's chunk results).
	store := tx
	rt := withRollups(tx, sch, s.rollups(p.OrgID, sch), obj.Name)
	if rt != nil {
		tx = rt
	}
	if err := s.loadOld(ctx, tx, obj, items); err != nil {
		return err
	}
	if err := s.checkRows(ctx, tx, sch, pol, obj, items, security.Edit, func(it *item) bool { return !it.create }); err != nil {
		return err
	}
	for _, it := range items {
		if it.err != nil {
			continue
		}
		if it.create && !obj.Createable && !p.System {
			it.fail(rapport.Errorf(rapport.InsufficientAccess, "entity type cannot be inserted: %s", obj.Name))
			continue
		}
		if !it.create && !obj.Updateable && !p.System {
			it.fail(rapport.Errorf(rapport.InsufficientAccess, "entity type cannot be updated: %s", obj.Name))
			continue
		}
		op := "edit"
		if it.create {
			op = "create"
		}
		if err := checkObject(pol, obj, op); err != nil {
			it.fail(err)
			continue
		}
		s.prepare(p, pol, sch, obj, it, now)
	}
	// Changing a record's owner needs full access to it.
	owner := obj.Field(metadata.FieldOwnerID)
	ownerChanged := func(it *item) bool {
		return owner != nil && !it.create && it.state != nil && !Equal(it.state[owner], it.old[owner])
	}
	if pol == nil || !pol.Has(security.TransferAnyEntity) {
		if err := s.checkRows(ctx, tx, sch, pol, obj, items, security.All, ownerChanged); err != nil {
			return err
		}
	}
	if err := s.checkReferences(ctx, tx, sch, pol, obj, items); err != nil {
		return err
	}
	if err := deriveActivityAccount(ctx, tx, sch, obj, items); err != nil {
		return err
	}
	if err := checkUnique(ctx, tx, obj, items); err != nil {
		return err
	}
	if failed(items) && opt.AllOrNone {
		rollBackAll(items)
		return errRollback
	}
	if err := s.autoNumber(ctx, tx, obj, items, now); err != nil {
		return err
	}
	if err := s.store1(ctx, tx, obj, items, opt); err != nil {
		return err
	}
	if failed(items) && opt.AllOrNone {
		rollBackAll(items)
		return errRollback
	}
	// A new owner does not inherit the old owner's manual shares.
	var moved []rapport.ID
	for _, it := range items {
		if it.err == nil && ownerChanged(it) {
			moved = append(moved, it.id)
		}
	}
	if len(moved) > 0 {
		if err := tx.ClearShares(ctx, moved, "Manual"); err != nil {
			return err
		}
	}
	if anySucceeded(items) {
		if err := s.afterSecurityWrite(ctx, tx, sch, obj); err != nil {
			return err
		}
		if err := s.auditWrite(ctx, tx, p, sch, obj, items); err != nil {
			return err
		}
	}
	if err := s.history(ctx, tx, p, obj, items, now); err != nil {
		return err
	}
	if rt != nil {
		if err := rt.flush(ctx); err != nil {
			return err
		}
	}
	return opt.then(ctx, store, results(items))
}

func anySucceeded(items []*item) bool {
	for _, it := range items {
		if it.err == nil {
			return true
		}
	}
	return false
}

// checkRows fails the items picked by which whose records the policy does
// not allow at level.
func (s *Service) checkRows(ctx context.Context, tx Tx, sch *metadata.Schema, pol *security.Policy, obj *metadata.Object, items []*item, level security.Level, which func(*item) bool) error {
	if pol == nil {
		return nil
	}
	var ids []rapport.ID
	for _, it := range items {
		if it.err == nil && which(it) {
			ids = append(ids, it.id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ok, err := s.accessible(ctx, tx, sch, pol, obj, ids, level)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.err == nil && which(it) && !ok[it.id] {
			it.fail(noAccess(it.id))
		}
	}
	return nil
}

func failed(items []*item) bool {
	for _, it := range items {
		if it.err != nil {
			return true
		}
	}
	return false
}

func rollBackAll(items []*item) {
	for _, it := range items {
		if it.err == nil {
			it.err = rapport.Errorf(rapport.AllOrNoneOperationRolledBack, "Record rolled back because not all records were valid and the request was using AllOrNone header")
		}
	}
}

// storedFields returns the fields with columns, in definition order.
func storedFields(obj *metadata.Object) []*metadata.Field {
	var out []*metadata.Field
	for _, f := range obj.LiveFields() {
		if f.Stored() {
			out = append(out, f)
		}
	}
	return out
}

// loadOld reads the stored state of the items being updated.
func (s *Service) loadOld(ctx context.Context, tx Tx, obj *metadata.Object, items []*item) error {
	var ids []rapport.ID
	for _, it := range items {
		if !it.create && it.err == nil {
			ids = append(ids, it.id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	fields := storedFields(obj)
	rows, err := tx.Rows(ctx, obj, fields, ids)
	if err != nil {
		return err
	}
	byID := make(map[rapport.ID]map[*metadata.Field]any, len(rows))
	for _, r := range rows {
		st := make(map[*metadata.Field]any, len(fields))
		for i, f := range fields {
			st[f] = r[i]
		}
		byID[r[0].(rapport.ID)] = st
	}
	isDeleted := obj.Field(metadata.FieldIsDeleted)
	for _, it := range items {
		if it.create || it.err != nil {
			continue
		}
		old := byID[it.id]
		switch {
		case old == nil:
			it.fail(rapport.FieldErrorf(rapport.NotFound, []string{metadata.FieldID}, "The requested resource does not exist: %s", it.id))
		case old[isDeleted] == true:
			it.fail(rapport.Errorf(rapport.EntityIsDeleted, "entity is deleted"))
		default:
			it.old = old
		}
	}
	return nil
}

// prepare computes an item's new state: input coerced, defaults applied,
// derived fields set, required fields checked.
func (s *Service) prepare(p rapport.Principal, pol *security.Policy, sch *metadata.Schema, obj *metadata.Object, it *item, now time.Time) {
	it.state = make(map[*metadata.Field]any, len(obj.Fields))
	it.touch = make(map[*metadata.Field]bool, len(it.input))
	for f, v := range it.old {
		it.state[f] = v
	}
	var readOnly []string
	keys := make([]string, 0, len(it.input))
	for k := range it.input {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "attributes" {
			continue
		}
		f := obj.Field(k)
		if f == nil {
			it.fail(UnknownField(obj, k))
			return
		}
		if f.Type == metadata.TypeID && it.create && p.System {
			continue // taken as the new record's ID below
		}
		if pol != nil {
			// Field-level security: an unreadable field does not exist for
			// the user; a read-only one cannot be written. Those who manage
			// users edit every field of users, roles, groups and grants.
			fp := pol.Field(obj, f)
			if !fp.Read {
				it.fail(UnknownField(obj, k))
				return
			}
			manages := securityObjects[obj.Name] && (pol.Has(security.ManageUsers) || pol.Has(security.ModifyAllData))
			if !fp.Edit && !manages && f.Writable(it.create) {
				readOnly = append(readOnly, f.Name)
				continue
			}
		}
		if !f.Writable(it.create) && !(p.System && f.Type != metadata.TypeID) {
			readOnly = append(readOnly, f.Name)
			continue
		}
		v, err := Coerce(f, it.input[k])
		if err != nil {
			it.fail(err)
			return
		}
		if f.Type == metadata.TypeCheckbox && v == nil {
			v = false
		}
		it.state[f] = v
		it.touch[f] = true
	}
	if len(readOnly) > 0 {
		it.fail(rapport.FieldErrorf(rapport.InvalidFieldForInsertUpdate, readOnly,
			"Unable to create/update fields: %s. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", strings.Join(readOnly, ", ")))
		return
	}
	if it.create {
		it.id = s.ids.New(obj.KeyPrefix)
		if raw, ok := fieldInput(it.input, metadata.FieldID); ok && p.System {
			// Set-up (org creation, imports that keep IDs) may choose the ID.
			id, err := parseObjectID(obj, raw)
			if err != nil {
				it.fail(err)
				return
			}
			it.id = id
		}
		for _, f := range obj.LiveFields() {
			if it.touch[f] || !f.Stored() {
				continue
			}
			if v, ok := defaultValue(f); ok {
				it.state[f] = v
			}
		}
		if owner := obj.Field(metadata.FieldOwnerID); owner != nil && it.state[owner] == nil {
			it.state[owner] = p.UserID
		}
		it.state[obj.Field(metadata.FieldID)] = it.id
		it.state[obj.Field(metadata.FieldCreatedDate)] = now
		it.state[obj.Field(metadata.FieldCreatedByID)] = p.UserID
		it.state[obj.Field(metadata.FieldIsDeleted)] = false
	}
	if p.System && it.touch[obj.Field(metadata.FieldCreatedDate)] {
		// Set-up may supply audit fields; keep them.
	} else {
		it.state[obj.Field(metadata.FieldLastModifiedDate)] = now
		it.state[obj.Field(metadata.FieldLastModifiedByID)] = p.UserID
	}
	it.state[obj.Field(metadata.FieldSystemModstamp)] = now
	if it.create && it.state[obj.Field(metadata.FieldLastModifiedDate)] == nil {
		it.state[obj.Field(metadata.FieldLastModifiedDate)] = now
		it.state[obj.Field(metadata.FieldLastModifiedByID)] = p.UserID
	}
	if err := derive(sch, obj, it, now); err != nil {
		it.fail(err)
		return
	}
	var missing []string
	for _, f := range obj.LiveFields() {
		if !f.Required || !f.Stored() || f.Type == metadata.TypeAutoNumber || f.ReadOnly {
			continue
		}
		if !it.create && !it.touch[f] {
			continue
		}
		if it.state[f] == nil {
			missing = append(missing, f.Name)
		}
	}
	if len(missing) > 0 {
		it.fail(rapport.FieldErrorf(rapport.RequiredFieldMissing, missing, "Required fields are missing: [%s]", strings.Join(missing, ", ")))
	}
}

// fieldInput finds an input value by field name, case-insensitively.
func fieldInput(in map[string]any, name string) (any, bool) {
	for k, v := range in {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// defaultValue returns the value a new record takes for an untouched field.
func defaultValue(f *metadata.Field) (any, bool) {
	if f.DefaultValue != "" {
		if v, err := Coerce(f, f.DefaultValue); err == nil {
			return v, true
		}
	}
	if f.Type == metadata.TypePicklist || f.Type == metadata.TypeMultiPicklist {
		if v, ok := f.Picklist.DefaultValue(); ok {
			return v, true
		}
	}
	if f.Type == metadata.TypeCheckbox {
		return false, true
	}
	return nil, false
}

// checkReferences checks that every lookup set by the batch points at a live
// record of an allowed object.
func (s *Service) checkReferences(ctx context.Context, tx Tx, sch *metadata.Schema, pol *security.Policy, obj *metadata.Object, items []*item) error {
	type ref struct {
		it *item
		f  *metadata.Field
		id rapport.ID
	}
	byObject := map[*metadata.Object][]ref{}
	for _, it := range items {
		if it.err != nil {
			continue
		}
		for f, v := range it.state {
			if !f.Type.IsReference() || v == nil || (f.System && f.Name != metadata.FieldOwnerID) {
				continue
			}
			if !it.create && Equal(v, it.old[f]) {
				continue
			}
			id := v.(rapport.ID)
			target := sch.ByPrefix(id.Prefix())
			if target == nil || !allowed(f, target) {
				it.fail(rapport.FieldErrorf(rapport.MalformedID, []string{f.Name}, "%s: id value of incorrect type: %s", f.Label, id))
				continue
			}
			byObject[target] = append(byObject[target], ref{it, f, id})
		}
	}
	for target, refs := range byObject {
		ids := make([]rapport.ID, 0, len(refs))
		seen := map[rapport.ID]bool{}
		for _, r := range refs {
			if !seen[r.id] {
				seen[r.id] = true
				ids = append(ids, r.id)
			}
		}
		rows, err := tx.Rows(ctx, target, []*metadata.Field{target.Field(metadata.FieldID), target.Field(metadata.FieldIsDeleted)}, ids)
		if err != nil {
			return err
		}
		live := map[rapport.ID]bool{}
		deleted := map[rapport.ID]bool{}
		for _, r := range rows {
			if r[1] == true {
				deleted[r[0].(rapport.ID)] = true
			} else {
				live[r[0].(rapport.ID)] = true
			}
		}
		visible := live
		if pol != nil && target.Name != "User" && target.Name != "Group" {
			var liveIDs []rapport.ID
			for id := range live {
				liveIDs = append(liveIDs, id)
			}
			if visible, err = s.accessible(ctx, tx, sch, pol, target, liveIDs, security.Read); err != nil {
				return err
			}
		}
		for _, r := range refs {
			switch {
			case live[r.id] && !visible[r.id]:
				r.it.fail(rapport.FieldErrorf(rapport.InsufficientAccessCrossRef, []string{r.f.Name}, "%s: insufficient access rights on cross-reference id: %s", r.f.Label, r.id))
			case live[r.id]:
			case deleted[r.id]:
				r.it.fail(rapport.FieldErrorf(rapport.EntityIsDeleted, []string{r.f.Name}, "%s: entity is deleted", r.f.Label))
			default:
				r.it.fail(rapport.FieldErrorf(rapport.InvalidCrossReferenceKey, []string{r.f.Name}, "%s: invalid cross reference id", r.f.Label))
			}
		}
	}
	return nil
}

func allowed(f *metadata.Field, target *metadata.Object) bool {
	for _, t := range f.ReferenceTo {
		if strings.EqualFold(t, target.Name) {
			return true
		}
	}
	return false
}

// checkUnique checks unique fields within the batch and against stored
// records. The database's unique indexes remain the guarantee; this check
// gives the error its record ID.
func checkUnique(ctx context.Context, tx Tx, obj *metadata.Object, items []*item) error {
	for _, f := range obj.LiveFields() {
		if !f.Unique || !f.Stored() {
			continue
		}
		fold := f.Type.IsText() && !f.CaseSensitive
		seen := map[any]*item{}
		var values []any
		for _, it := range items {
			if it.err != nil {
				continue
			}
			v := it.state[f]
			if v == nil || (!it.create && Equal(v, it.old[f])) {
				continue
			}
			k := matchKey(v, fold)
			if other := seen[k]; other != nil {
				it.fail(duplicate(f, other.id))
				continue
			}
			seen[k] = it
			values = append(values, v)
		}
		if len(values) == 0 {
			continue
		}
		ms, err := tx.Find(ctx, obj, f, values, fold)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if it := seen[matchKey(m.Value, fold)]; it != nil && it.id != m.ID {
				it.fail(duplicate(f, m.ID))
			}
		}
	}
	return nil
}

func duplicate(f *metadata.Field, id rapport.ID) error {
	return rapport.FieldErrorf(rapport.DuplicateValue, []string{f.Name}, "duplicate value found: %s duplicates value on record with id: %s", f.Name, id)
}

// autoNumber fills the auto-number fields of new records.
func (s *Service) autoNumber(ctx context.Context, tx Tx, obj *metadata.Object, items []*item, now time.Time) error {
	for _, f := range obj.LiveFields() {
		if f.Type != metadata.TypeAutoNumber || !f.Stored() {
			continue
		}
		var todo []*item
		for _, it := range items {
			if it.err == nil && it.create {
				todo = append(todo, it)
			}
		}
		if len(todo) == 0 {
			continue
		}
		start := f.StartingNumber
		if start == 0 {
			start = 1
		}
		first, err := tx.Next(ctx, counterName(obj, f), start, int64(len(todo)))
		if err != nil {
			return err
		}
		for i, it := range todo {
			it.state[f] = FormatAutoNumber(f.DisplayFormat, first+int64(i), now)
		}
	}
	return nil
}

func counterName(obj *metadata.Object, f *metadata.Field) string {
	return "autonumber:" + obj.Table + "." + f.Column
}

// FormatAutoNumber renders n in an auto-number display format such as
// "CON-{00000}" or "INV-{YYYY}{MM}-{0000}".
func FormatAutoNumber(format string, n int64, now time.Time) string {
	if format == "" {
		format = "{0}"
	}
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '{' {
			b.WriteByte(format[i])
			continue
		}
		end := strings.IndexByte(format[i:], '}')
		if end < 0 {
			b.WriteString(format[i:])
			break
		}
		tok := format[i+1 : i+end]
		switch {
		case tok == "YYYY":
			b.WriteString(now.Format("2006"))
		case tok == "YY":
			b.WriteString(now.Format("06"))
		case tok == "MM":
			b.WriteString(now.Format("01"))
		case tok == "DD":
			b.WriteString(now.Format("02"))
		case tok != "" && strings.Trim(tok, "0") == "":
			fmt.Fprintf(&b, "%0*d", len(tok), n)
		default:
			b.WriteString(format[i : i+end+1])
		}
		i += end
	}
	return b.String()
}

// store1 writes the prepared items: inserts in one statement batch, updates
// row by row. A database error that fails the batch is retried record by
// record, so that one bad record does not sink the others.
func (s *Service) store1(ctx context.Context, tx Tx, obj *metadata.Object, items []*item, opt WriteOptions) error {
	fields := storedFields(obj)
	var inserts []*item
	for _, it := range items {
		if it.err == nil && it.create {
			inserts = append(inserts, it)
		}
	}
	if len(inserts) > 0 {
		rows := make([][]any, len(inserts))
		for i, it := range inserts {
			rows[i] = rowOf(fields, it.state)
		}
		err := tx.Savepoint(ctx, func() error { return tx.Insert(ctx, obj, fields, rows) })
		if err != nil {
			if !isDomain(err) {
				return err
			}
			for i, it := range inserts {
				row := rows[i]
				if err := tx.Savepoint(ctx, func() error { return tx.Insert(ctx, obj, fields, [][]any{row}) }); err != nil {
					if !isDomain(err) {
						return err
					}
					it.fail(err)
				}
			}
		}
	}
	for _, it := range items {
		if it.err != nil || it.create {
			continue
		}
		var changed []*metadata.Field
		var values []any
		for _, f := range fields {
			if v := it.state[f]; !Equal(v, it.old[f]) {
				changed = append(changed, f)
				values = append(values, v)
			}
		}
		if err := tx.Savepoint(ctx, func() error { return tx.Update(ctx, obj, it.id, changed, values) }); err != nil {
			if !isDomain(err) {
				return err
			}
			it.fail(err)
		}
	}
	return nil
}

func rowOf(fields []*metadata.Field, state map[*metadata.Field]any) []any {
	row := make([]any, len(fields))
	for i, f := range fields {
		row[i] = state[f]
	}
	return row
}

func isDomain(err error) bool {
	var e *rapport.Error
	return errors.As(err, &e)
}

// history appends field history rows for tracked fields.
func (s *Service) history(ctx context.Context, tx Tx, p rapport.Principal, obj *metadata.Object, items []*item, now time.Time) error {
	if !obj.TrackHistory {
		return nil
	}
	var rows []HistoryRow
	for _, it := range items {
		if it.err != nil {
			continue
		}
		if it.create {
			rows = append(rows, HistoryRow{ID: s.ids.New(historyPrefix), Object: obj.KeyPrefix, RecordID: it.id, Field: "created", CreatedAt: now, CreatedBy: p.UserID})
			continue
		}
		for _, f := range obj.LiveFields() {
			if !f.TrackHistory || Equal(it.state[f], it.old[f]) {
				continue
			}
			rows = append(rows, HistoryRow{
				ID: s.ids.New(historyPrefix), Object: obj.KeyPrefix, RecordID: it.id, Field: f.Column,
				OldValue: FormatValue(it.old[f]), NewValue: FormatValue(it.state[f]), CreatedAt: now, CreatedBy: p.UserID,
			})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.AddHistory(ctx, rows)
}

// historyPrefix is the key prefix of field history rows (Salesforce uses
// 017 for its history objects).
const historyPrefix = "017"

// wrote drops cached security data after a write to a security object.
func (s *Service) wrote(org rapport.ID, obj *metadata.Object) {
	if securityObjects[obj.Name] {
		s.forgetSecurity(org)
	}
}

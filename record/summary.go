package record

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// Roll-up summary fields. A summary field on a master object holds the
// COUNT, SUM, MIN or MAX of a field of its detail records, as Salesforce's
// do. It is stored, so that SOQL reads, filters and sorts it like any
// other field, and kept current in the transaction that changes a detail:
// every write, delete, undelete and hard delete of a detail marks its
// masters, old and new, and the marked masters are recomputed from their
// details before the transaction commits. A summary of summaries (a
// grandparent summing its children's totals) is recomputed in turn.

// A Rollup is one roll-up summary field, resolved against a schema.
type Rollup struct {
	Master *metadata.Object
	Field  *metadata.Field // the summary field on Master
	Child  *metadata.Object
	FK     *metadata.Field // the child's reference to Master
	Value  *metadata.Field // the child field aggregated; nil for COUNT
	Op     string          // count, sum, min or max
	// Where keeps the details a standard roll-up counts.
	Where []RollupCond
	// Filters keep the details a summary field counts (its filter
	// criteria), with their values coerced to the fields' types.
	Filters []RollupFilter
	// Incremental roll-ups (the standard ones, COUNT and SUM) are kept by
	// adding each write's difference instead of recomputing: a campaign
	// with 170,000 members gains a batch of them without a recount.
	Incremental bool
}

// A RollupFilter compares a detail's field with a value: Op is equals,
// notEqual, lessThan, greaterThan, lessOrEqual or greaterOrEqual; a nil
// Value is a blank field (equals and notEqual only).
type RollupFilter struct {
	Field *metadata.Field
	Op    string
	Value any
}

// filterOps are the operations of a summary's filter.
var filterOps = map[string]bool{"equals": true, "notEqual": true, "lessThan": true, "greaterThan": true, "lessOrEqual": true, "greaterOrEqual": true}

// A RollupCond tests one field of a detail: Set (not empty), Unset or True.
type RollupCond struct {
	Field *metadata.Field
	Test  string
}

// Tests of a RollupCond.
const (
	CondSet   = "set"
	CondUnset = "unset"
	CondTrue  = "true"
)

func (c RollupCond) holds(v any) bool {
	switch c.Test {
	case CondSet:
		return v != nil && v != ""
	case CondUnset:
		return v == nil || v == ""
	case CondTrue:
		return v == true
	}
	return false
}

// standardRollups are the roll-ups of standard objects Rapport maintains,
// as Salesforce does: a campaign's members and opportunities.
var standardRollups = []struct {
	master, field, child, fk, value, op string
	where                               [][2]string
}{
	{"Campaign", "NumberOfContacts", "CampaignMember", "CampaignId", "", SummaryCount, [][2]string{{"ContactId", CondSet}}},
	{"Campaign", "NumberOfLeads", "CampaignMember", "CampaignId", "", SummaryCount, [][2]string{{"LeadId", CondSet}}},
	{"Campaign", "NumberOfResponses", "CampaignMember", "CampaignId", "", SummaryCount, [][2]string{{"HasResponded", CondTrue}}},
	{"Campaign", "NumberOfOpportunities", "Opportunity", "CampaignId", "", SummaryCount, nil},
	{"Campaign", "NumberOfWonOpportunities", "Opportunity", "CampaignId", "", SummaryCount, [][2]string{{"IsWon", CondTrue}}},
	{"Campaign", "AmountAllOpportunities", "Opportunity", "CampaignId", "Amount", SummarySum, nil},
	{"Campaign", "AmountWonOpportunities", "Opportunity", "CampaignId", "Amount", SummarySum, [][2]string{{"IsWon", CondTrue}}},
}

// StandardRollups are the standard roll-ups of a schema, for a store to
// recompute in full (an org made before Rapport kept them).
func StandardRollups(sch *metadata.Schema) []Rollup { return standardRollupsOf(sch) }

// standardRollupsOf resolves the standard roll-ups against a schema.
func standardRollupsOf(sch *metadata.Schema) []Rollup {
	var out []Rollup
next:
	for _, d := range standardRollups {
		master, child := sch.Object(d.master), sch.Object(d.child)
		if master == nil || child == nil || master.Custom || child.Custom {
			continue
		}
		r := Rollup{Master: master, Field: master.Field(d.field), Child: child, FK: child.Field(d.fk), Op: d.op, Incremental: true}
		if r.Field == nil || r.FK == nil {
			continue
		}
		if d.value != "" {
			if r.Value = child.Field(d.value); r.Value == nil {
				continue
			}
		}
		for _, w := range d.where {
			f := child.Field(w[0])
			if f == nil {
				continue next
			}
			r.Where = append(r.Where, RollupCond{Field: f, Test: w[1]})
		}
		out = append(out, r)
	}
	return out
}

// contribution is what one detail adds to its master's roll-up: 1 for a
// COUNT, its value for a SUM, nothing when it fails a condition or has no
// master.
func (r Rollup) contribution(get func(*metadata.Field) any) (rapport.ID, float64) {
	master, _ := get(r.FK).(rapport.ID)
	if master == "" {
		return "", 0
	}
	for _, c := range r.Where {
		if !c.holds(get(c.Field)) {
			return "", 0
		}
	}
	if r.Op == SummaryCount {
		return master, 1
	}
	n, _ := get(r.Value).(float64)
	return master, n
}

// reads are the fields a roll-up reads of a detail.
func (r Rollup) reads() []*metadata.Field {
	fs := []*metadata.Field{r.FK}
	if r.Value != nil {
		fs = append(fs, r.Value)
	}
	for _, c := range r.Where {
		fs = append(fs, c.Field)
	}
	for _, f := range r.Filters {
		fs = append(fs, f.Field)
	}
	return fs
}

// Summary operations.
const (
	SummaryCount = "count"
	SummarySum   = "sum"
	SummaryMin   = "min"
	SummaryMax   = "max"
)

// rollupOf resolves the summary field f of master.
func rollupOf(sch *metadata.Schema, master *metadata.Object, f *metadata.Field) (Rollup, bool) {
	if f.Type != metadata.TypeSummary || f.Summary == nil || f.Deleted {
		return Rollup{}, false
	}
	sm := f.Summary
	child := sch.Object(sm.ChildObject)
	if child == nil {
		return Rollup{}, false
	}
	r := Rollup{Master: master, Field: f, Child: child, FK: child.Field(sm.ForeignKey), Op: sm.Operation}
	if r.FK == nil {
		return Rollup{}, false
	}
	if r.Op != SummaryCount {
		if r.Value = child.Field(sm.Field); r.Value == nil {
			return Rollup{}, false
		}
	}
	for _, flt := range sm.Filters {
		ff := child.Field(flt.Field)
		if ff == nil {
			return Rollup{}, false
		}
		v, err := Coerce(ff, flt.Value)
		if err != nil {
			return Rollup{}, false
		}
		r.Filters = append(r.Filters, RollupFilter{Field: ff, Op: flt.Operation, Value: v})
	}
	return r, true
}

// rollupIndex maps each detail object's name to the roll-ups over it.
func rollupIndex(sch *metadata.Schema) map[string][]Rollup {
	idx := map[string][]Rollup{}
	for _, o := range sch.Objects() {
		for _, f := range o.LiveFields() {
			if f.Type != metadata.TypeSummary {
				continue
			}
			if r, ok := rollupOf(sch, o, f); ok {
				idx[r.Child.Name] = append(idx[r.Child.Name], r)
			}
		}
	}
	for _, r := range standardRollupsOf(sch) {
		idx[r.Child.Name] = append(idx[r.Child.Name], r)
	}
	return idx
}

// summaryLookups are the standard lookups a summary may roll up over, as
// Salesforce allows (an account's opportunities); otherwise a summary
// needs a master-detail relationship.
var summaryLookups = map[string]string{"Opportunity": "AccountId"}

// RollsUp reports whether a roll-up summary may summarize child's records
// through its relationship fk: a master-detail, or one of summaryLookups.
func RollsUp(child *metadata.Object, fk *metadata.Field) bool {
	return fk.Type == metadata.TypeMasterDetail || (!child.Custom && summaryLookups[child.Name] == fk.Name)
}

// checkSummary checks a summary field's definition and fills in its result
// type, precision and scale.
func checkSummary(sch *metadata.Schema, o *metadata.Object, f *metadata.Field) error {
	bad := func(format string, args ...any) error {
		return rapport.FieldErrorf(rapport.InvalidArgument, []string{f.Name}, "%s: %s", f.Name, fmt.Sprintf(format, args...))
	}
	sm := f.Summary
	if sm == nil {
		return bad("a roll-up summary needs the detail object, its relationship and the operation")
	}
	child := sch.Object(sm.ChildObject)
	if child == nil {
		return bad("the detail object %s does not exist", sm.ChildObject)
	}
	fk := child.Field(sm.ForeignKey)
	if fk == nil || !fk.Type.IsReference() || len(fk.ReferenceTo) != 1 || !strings.EqualFold(fk.ReferenceTo[0], o.Name) {
		return bad("%s.%s is not a relationship from %s to %s", child.Name, sm.ForeignKey, child.Name, o.Name)
	}
	if !RollsUp(child, fk) {
		return bad("%s.%s is a lookup: a roll-up summary needs a master-detail relationship", child.Name, fk.Name)
	}
	sm.ChildObject, sm.ForeignKey = child.Name, fk.Name
	sm.Operation = strings.ToLower(strings.TrimSpace(sm.Operation))
	if len(sm.Filters) > 5 {
		return bad("a roll-up has at most 5 filter criteria")
	}
	for i, flt := range sm.Filters {
		ff := child.Field(strings.TrimSpace(flt.Field))
		if ff == nil || ff.Deleted {
			return bad("filter %d: %s has no field %q", i+1, child.Name, flt.Field)
		}
		switch ff.Type {
		case metadata.TypeLongTextArea, metadata.TypeHTML, metadata.TypeMultiPicklist, metadata.TypeTextArea:
			return bad("filter %d: %s.%s is a %s, which a roll-up cannot filter on", i+1, child.Name, ff.Name, typeName(ff.Type))
		}
		if !filterOps[flt.Operation] {
			return bad("filter %d: the operation must be equals, notEqual, lessThan, greaterThan, lessOrEqual or greaterOrEqual, not %q", i+1, flt.Operation)
		}
		v, err := Coerce(ff, flt.Value)
		if err != nil {
			return bad("filter %d: %q is not a value of %s.%s", i+1, flt.Value, child.Name, ff.Name)
		}
		if v == nil && flt.Operation != "equals" && flt.Operation != "notEqual" {
			return bad("filter %d: a blank value only goes with equals or notEqual", i+1)
		}
		if ff.Type == metadata.TypeCheckbox && flt.Operation != "equals" && flt.Operation != "notEqual" {
			return bad("filter %d: a checkbox is compared with equals or notEqual", i+1)
		}
		sm.Filters[i].Field = ff.Name
	}
	f.Required, f.Unique, f.ExternalID, f.DefaultValue, f.Length = false, false, false, "", 0
	switch sm.Operation {
	case SummaryCount:
		sm.Field = ""
		f.ReturnType, f.Precision, f.Scale = metadata.TypeNumber, 18, 0
		return nil
	case SummarySum, SummaryMin, SummaryMax:
	default:
		return bad("the roll-up type must be count, sum, min or max, not %q", sm.Operation)
	}
	v := child.Field(sm.Field)
	if v == nil {
		return bad("%s has no field %q to %s", child.Name, sm.Field, strings.ToUpper(sm.Operation))
	}
	sm.Field = v.Name
	switch v.Type {
	case metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent:
		f.ReturnType, f.Precision, f.Scale = v.Type, 18, v.Scale
	case metadata.TypeSummary:
		f.ReturnType, f.Precision, f.Scale = v.ReturnType, 18, v.Scale
		if v.ReturnType == metadata.TypeDate || v.ReturnType == metadata.TypeDateTime {
			if sm.Operation == SummarySum {
				return bad("SUM takes a number, currency or percent field; %s.%s holds dates", child.Name, v.Name)
			}
			f.Precision, f.Scale = 0, 0
		}
	case metadata.TypeDate, metadata.TypeDateTime:
		if sm.Operation == SummarySum {
			return bad("SUM takes a number, currency or percent field; %s.%s is a %s", child.Name, v.Name, typeName(v.Type))
		}
		f.ReturnType, f.Precision, f.Scale = v.Type, 0, 0
	default:
		return bad("%s.%s is a %s: a roll-up summarizes number, currency, percent, date and date/time fields", child.Name, v.Name, typeName(v.Type))
	}
	return nil
}

func typeName(t metadata.FieldType) string {
	switch t {
	case metadata.TypeDateTime:
		return "date/time field"
	case metadata.TypeMultiPicklist:
		return "multi-select picklist"
	}
	return strings.ToLower(string(t)) + " field"
}

// summariesUsing names the summary fields ("Account.Total__c") that refer
// to object, or to its field when field is not "".
func summariesUsing(sch *metadata.Schema, object, field string) []string {
	var out []string
	for _, o := range sch.Objects() {
		for _, f := range o.LiveFields() {
			sm := f.Summary
			if f.Type != metadata.TypeSummary || sm == nil || !strings.EqualFold(sm.ChildObject, object) {
				continue
			}
			uses := field == "" || strings.EqualFold(sm.ForeignKey, field) || strings.EqualFold(sm.Field, field)
			for _, flt := range sm.Filters {
				uses = uses || strings.EqualFold(flt.Field, field)
			}
			if uses {
				out = append(out, o.Name+"."+f.Name)
			}
		}
	}
	return out
}

// usedBySummary refuses a change to a field or object that roll-up
// summaries read.
func usedBySummary(sch *metadata.Schema, object, field, change string) error {
	used := summariesUsing(sch, object, field)
	if len(used) == 0 {
		return nil
	}
	what := object
	if field != "" {
		what += "." + field
	}
	return rapport.FieldErrorf(rapport.InvalidArgument, []string{firstNonEmpty(field, object)},
		"%s cannot be %s: the roll-up summary field %s uses it", what, change, strings.Join(used, ", "))
}

// rollupTx is a transaction that notes the masters whose summaries a write
// changes, and recomputes them at flush; incremental roll-ups collect the
// write's differences instead.
type rollupTx struct {
	Tx
	sch   *metadata.Schema
	over  map[string][]Rollup
	dirty map[*metadata.Field]map[rapport.ID]bool
	// journal holds the incremental differences in the order taken, so
	// that a savepoint rolled back drops its own.
	journal []rollupDelta
	by      map[*metadata.Field]Rollup
}

type rollupDelta struct {
	field  *metadata.Field
	master rapport.ID
	n      float64
}

// Savepoint implements Tx: the differences taken by a failed fn are
// dropped with its writes.
func (t *rollupTx) Savepoint(ctx context.Context, fn func() error) error {
	mark := len(t.journal)
	err := t.Tx.Savepoint(ctx, fn)
	if err != nil {
		t.journal = t.journal[:mark]
	}
	return err
}

// rollups returns the org's roll-up index for sch, computed once per
// cached schema: every write asks for it.
func (s *Service) rollups(org rapport.ID, sch *metadata.Schema) map[string][]Rollup {
	s.mu.Lock()
	if c := s.schemas[org]; c != nil && c.sch == sch && c.rollups != nil {
		idx := c.rollups
		s.mu.Unlock()
		return idx
	}
	s.mu.Unlock()
	idx := rollupIndex(sch)
	s.mu.Lock()
	if c := s.schemas[org]; c != nil && c.sch == sch {
		c.rollups = idx
	}
	s.mu.Unlock()
	return idx
}

// withRollups wraps tx when a write to the objects named (every object,
// for a delete's cascades, when objects is nil) can change a roll-up; it
// returns nil when there is nothing to track.
func withRollups(tx Tx, sch *metadata.Schema, over map[string][]Rollup, objects ...string) *rollupTx {
	if len(over) == 0 {
		return nil
	}
	if objects != nil {
		found := false
		for _, o := range objects {
			found = found || len(over[o]) > 0
		}
		if !found {
			return nil
		}
	}
	return &rollupTx{Tx: tx, sch: sch, over: over, dirty: map[*metadata.Field]map[rapport.ID]bool{}, by: map[*metadata.Field]Rollup{}}
}

func (t *rollupTx) mark(r Rollup, v any) {
	id, ok := v.(rapport.ID)
	if !ok || id == "" || r.Incremental {
		return
	}
	set := t.dirty[r.Field]
	if set == nil {
		set = map[rapport.ID]bool{}
		t.dirty[r.Field] = set
	}
	t.by[r.Field] = r
	set[id] = true
}

func (t *rollupTx) add(r Rollup, master rapport.ID, n float64) {
	if master == "" || n == 0 {
		return
	}
	t.by[r.Field] = r
	t.journal = append(t.journal, rollupDelta{r.Field, master, n})
}

// partition splits roll-ups into those recomputed and those kept by
// differences.
func partition(rs []Rollup) (recompute, incremental []Rollup) {
	for _, r := range rs {
		if r.Incremental {
			incremental = append(incremental, r)
		} else {
			recompute = append(recompute, r)
		}
	}
	return recompute, incremental
}

// markRows marks the current masters of ids in the recomputed roll-ups rs.
func (t *rollupTx) markRows(ctx context.Context, obj *metadata.Object, rs []Rollup, ids []rapport.ID) error {
	if len(rs) == 0 || len(ids) == 0 {
		return nil
	}
	fields := []*metadata.Field{obj.Field(metadata.FieldID)}
	for _, r := range rs {
		fields = append(fields, r.FK)
	}
	rows, err := t.Tx.Rows(ctx, obj, fields, ids)
	if err != nil {
		return err
	}
	for _, row := range rows {
		for i, r := range rs {
			t.mark(r, row[i+1])
		}
	}
	return nil
}

// Insert implements Tx.
func (t *rollupTx) Insert(ctx context.Context, obj *metadata.Object, fields []*metadata.Field, rows [][]any) error {
	pos := map[*metadata.Field]int{}
	for i, f := range fields {
		pos[f] = i
	}
	for _, r := range t.over[obj.Name] {
		for _, row := range rows {
			get := func(f *metadata.Field) any {
				if i, ok := pos[f]; ok {
					return row[i]
				}
				return nil
			}
			if r.Incremental {
				master, n := r.contribution(get)
				t.add(r, master, n)
			} else {
				t.mark(r, get(r.FK))
			}
		}
	}
	return t.Tx.Insert(ctx, obj, fields, rows)
}

// Update implements Tx: a detail's old master and, when it moves, its new
// one; for incremental roll-ups, the old contribution out and the new in.
func (t *rollupTx) Update(ctx context.Context, obj *metadata.Object, id rapport.ID, fields []*metadata.Field, values []any) error {
	rs := touching(t.over[obj.Name], fields)
	if len(rs) > 0 {
		recompute, incremental := partition(rs)
		if err := t.markRows(ctx, obj, recompute, []rapport.ID{id}); err != nil {
			return err
		}
		for _, r := range recompute {
			for i, f := range fields {
				if f == r.FK {
					t.mark(r, values[i])
				}
			}
		}
		if len(incremental) > 0 {
			old := append([]*metadata.Field{obj.Field(metadata.FieldIsDeleted)}, readsOf(incremental)...)
			rows, err := t.Tx.Rows(ctx, obj, old, []rapport.ID{id})
			if err != nil {
				return err
			}
			if len(rows) == 1 && rows[0][0] != true {
				before := map[*metadata.Field]any{}
				for i, f := range old {
					before[f] = rows[0][i]
				}
				after := map[*metadata.Field]any{}
				for f, v := range before {
					after[f] = v
				}
				for i, f := range fields {
					after[f] = values[i]
				}
				for _, r := range incremental {
					m0, n0 := r.contribution(func(f *metadata.Field) any { return before[f] })
					m1, n1 := r.contribution(func(f *metadata.Field) any { return after[f] })
					t.add(r, m0, -n0)
					t.add(r, m1, n1)
				}
			}
		}
	}
	return t.Tx.Update(ctx, obj, id, fields, values)
}

// touching keeps the roll-ups that read any of fields.
func touching(rs []Rollup, fields []*metadata.Field) []Rollup {
	var out []Rollup
	for _, r := range rs {
	scan:
		for _, f := range fields {
			for _, g := range r.reads() {
				if f == g {
					out = append(out, r)
					break scan
				}
			}
		}
	}
	return out
}

func readsOf(rs []Rollup) []*metadata.Field {
	var out []*metadata.Field
	seen := map[*metadata.Field]bool{}
	for _, r := range rs {
		for _, f := range r.reads() {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// changed marks the masters of ids whose recomputed summaries read any of
// fields.
func (t *rollupTx) changed(ctx context.Context, obj *metadata.Object, ids []rapport.ID, fields []*metadata.Field) error {
	recompute, _ := partition(touching(t.over[obj.Name], fields))
	return t.markRows(ctx, obj, recompute, ids)
}

// SetDeleted implements Tx.
func (t *rollupTx) SetDeleted(ctx context.Context, obj *metadata.Object, ids []rapport.ID, deleted bool, at time.Time, by rapport.ID) error {
	sign := 1.0
	if deleted {
		sign = -1
	}
	// A row counts while live: deleting takes live rows out, undeleting
	// puts deleted rows back.
	if err := t.markState(ctx, obj, ids, sign, deleted); err != nil {
		return err
	}
	return t.Tx.SetDeleted(ctx, obj, ids, deleted, at, by)
}

// markState takes the contributions of the rows among ids whose deletion
// state changes to deleted.
func (t *rollupTx) markState(ctx context.Context, obj *metadata.Object, ids []rapport.ID, sign float64, deleted bool) error {
	rs := t.over[obj.Name]
	if len(rs) == 0 || len(ids) == 0 {
		return nil
	}
	recompute, incremental := partition(rs)
	if err := t.markRows(ctx, obj, recompute, ids); err != nil {
		return err
	}
	if len(incremental) == 0 {
		return nil
	}
	fields := append([]*metadata.Field{obj.Field(metadata.FieldIsDeleted)}, readsOf(incremental)...)
	rows, err := t.Tx.Rows(ctx, obj, fields, ids)
	if err != nil {
		return err
	}
	for _, row := range rows {
		if (row[0] == true) == deleted {
			continue // already in the state asked for
		}
		vals := map[*metadata.Field]any{}
		for i, f := range fields {
			vals[f] = row[i]
		}
		for _, r := range incremental {
			m, n := r.contribution(func(f *metadata.Field) any { return vals[f] })
			t.add(r, m, sign*n)
		}
	}
	return nil
}

// Delete implements Tx: live rows leave their masters' roll-ups.
func (t *rollupTx) Delete(ctx context.Context, obj *metadata.Object, ids []rapport.ID) error {
	if err := t.markState(ctx, obj, ids, -1, true); err != nil {
		return err
	}
	return t.Tx.Delete(ctx, obj, ids)
}

// maxRollupDepth bounds summaries of summaries.
const maxRollupDepth = 8

// flush recomputes the marked masters' summaries, then those of their own
// masters that summarize the recomputed fields.
func (t *rollupTx) flush(ctx context.Context) error {
	deltas := map[*metadata.Field]map[rapport.ID]float64{}
	for _, d := range t.journal {
		if deltas[d.field] == nil {
			deltas[d.field] = map[rapport.ID]float64{}
		}
		deltas[d.field][d.master] += d.n
	}
	t.journal = nil
	for f, m := range deltas {
		for id, n := range m {
			if n == 0 {
				delete(m, id)
			}
		}
		if len(m) > 0 {
			r := t.by[f]
			if err := t.Tx.AddToSummary(ctx, r, m); err != nil {
				return err
			}
			ids := make([]rapport.ID, 0, len(m))
			for id := range m {
				ids = append(ids, id)
			}
			if err := t.changed(ctx, r.Master, ids, []*metadata.Field{r.Field}); err != nil {
				return err
			}
		}
	}
	for depth := 0; len(t.dirty) > 0; depth++ {
		if depth == maxRollupDepth {
			return rapport.Errorf(rapport.InvalidArgument, "roll-up summaries nest more than %d deep", maxRollupDepth)
		}
		dirty, by := t.dirty, t.by
		t.dirty, t.by = map[*metadata.Field]map[rapport.ID]bool{}, map[*metadata.Field]Rollup{}
		for f, set := range dirty {
			r := by[f]
			ids := make([]rapport.ID, 0, len(set))
			for id := range set {
				ids = append(ids, id)
			}
			if err := t.Tx.Summarize(ctx, r, ids); err != nil {
				return err
			}
			if err := t.changed(ctx, r.Master, ids, []*metadata.Field{r.Field}); err != nil {
				return err
			}
		}
	}
	return nil
}

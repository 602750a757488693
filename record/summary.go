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
	return r, true
}

// rollupsOver returns the roll-ups that summarize records of child.
func rollupsOver(sch *metadata.Schema, child *metadata.Object) []Rollup {
	var out []Rollup
	for _, o := range sch.Objects() {
		for _, f := range o.LiveFields() {
			if f.Type != metadata.TypeSummary || f.Summary == nil || !strings.EqualFold(f.Summary.ChildObject, child.Name) {
				continue
			}
			if r, ok := rollupOf(sch, o, f); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// summaryLookups are the standard lookups a summary may roll up over, as
// Salesforce allows (an account's opportunities); otherwise a summary
// needs a master-detail relationship.
var summaryLookups = map[string]string{"Opportunity": "AccountId"}

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
	if fk.Type != metadata.TypeMasterDetail && summaryLookups[child.Name] != fk.Name {
		return bad("%s.%s is a lookup: a roll-up summary needs a master-detail relationship", child.Name, fk.Name)
	}
	sm.ChildObject, sm.ForeignKey = child.Name, fk.Name
	sm.Operation = strings.ToLower(strings.TrimSpace(sm.Operation))
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
			if field == "" || strings.EqualFold(sm.ForeignKey, field) || strings.EqualFold(sm.Field, field) {
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
// changes, and recomputes them at flush.
type rollupTx struct {
	Tx
	sch   *metadata.Schema
	dirty map[*metadata.Field]map[rapport.ID]bool
	by    map[*metadata.Field]Rollup
}

// withRollups wraps tx when the schema has roll-up summaries over obj's
// records or over any object's (deletes cascade); it returns nil when there
// is nothing to track.
func withRollups(tx Tx, sch *metadata.Schema) *rollupTx {
	for _, o := range sch.Objects() {
		for _, f := range o.LiveFields() {
			if f.Type == metadata.TypeSummary {
				return &rollupTx{Tx: tx, sch: sch, dirty: map[*metadata.Field]map[rapport.ID]bool{}, by: map[*metadata.Field]Rollup{}}
			}
		}
	}
	return nil
}

func (t *rollupTx) mark(r Rollup, v any) {
	id, ok := v.(rapport.ID)
	if !ok || id == "" {
		return
	}
	set := t.dirty[r.Field]
	if set == nil {
		set = map[rapport.ID]bool{}
		t.dirty[r.Field] = set
		t.by[r.Field] = r
	}
	set[id] = true
}

// markRows marks the current masters of ids in the rollups rs.
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
	for _, r := range rollupsOver(t.sch, obj) {
		for i, f := range fields {
			if f == r.FK {
				for _, row := range rows {
					t.mark(r, row[i])
				}
			}
		}
	}
	return t.Tx.Insert(ctx, obj, fields, rows)
}

// Update implements Tx: a detail's old master and, when it moves, its new
// one.
func (t *rollupTx) Update(ctx context.Context, obj *metadata.Object, id rapport.ID, fields []*metadata.Field, values []any) error {
	if err := t.changed(ctx, obj, []rapport.ID{id}, fields); err != nil {
		return err
	}
	for _, r := range rollupsOver(t.sch, obj) {
		for i, f := range fields {
			if f == r.FK {
				t.mark(r, values[i])
			}
		}
	}
	return t.Tx.Update(ctx, obj, id, fields, values)
}

// changed marks the masters of ids whose summaries read any of fields.
func (t *rollupTx) changed(ctx context.Context, obj *metadata.Object, ids []rapport.ID, fields []*metadata.Field) error {
	var rs []Rollup
	for _, r := range rollupsOver(t.sch, obj) {
		for _, f := range fields {
			if f == r.FK || f == r.Value {
				rs = append(rs, r)
				break
			}
		}
	}
	return t.markRows(ctx, obj, rs, ids)
}

// SetDeleted implements Tx.
func (t *rollupTx) SetDeleted(ctx context.Context, obj *metadata.Object, ids []rapport.ID, deleted bool, at time.Time, by rapport.ID) error {
	if err := t.markRows(ctx, obj, rollupsOver(t.sch, obj), ids); err != nil {
		return err
	}
	return t.Tx.SetDeleted(ctx, obj, ids, deleted, at, by)
}

// Delete implements Tx.
func (t *rollupTx) Delete(ctx context.Context, obj *metadata.Object, ids []rapport.ID) error {
	if err := t.markRows(ctx, obj, rollupsOver(t.sch, obj), ids); err != nil {
		return err
	}
	return t.Tx.Delete(ctx, obj, ids)
}

// maxRollupDepth bounds summaries of summaries.
const maxRollupDepth = 8

// flush recomputes the marked masters' summaries, then those of their own
// masters that summarize the recomputed fields.
func (t *rollupTx) flush(ctx context.Context) error {
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

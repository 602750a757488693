package bulkapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// nullValue in a data cell sets the field to null; an empty cell leaves
// it as it is (on update and upsert) or takes the default (on insert).
const nullValue = "#N/A"

// A column is how one header name maps onto the job's object.
type column struct {
	name  string
	field *metadata.Field // the field set: the lookup field for a relationship column
	// A relationship column (Account.ExtId__c) names a parent by one of
	// its fields: key of target.
	target *metadata.Object
	key    *metadata.Field
	// ignored columns are kept in results but not written (delete jobs
	// take only Id).
	ignored bool
}

// invalidBatch is a job-level failure found in the data's header.
func invalidBatch(format string, args ...any) error {
	return rapport.Errorf(codeInvalidJob, "InvalidBatch : "+format, args...)
}

// lookupKey reports whether f may identify a parent in a relationship
// column: Id, an external ID, a unique field, the name field or an email
// field (Salesforce's idLookup fields).
func lookupKey(obj *metadata.Object, f *metadata.Field) bool {
	return f.Type == metadata.TypeID || f.ExternalID || f.Unique || f.NameField ||
		strings.EqualFold(f.Name, obj.NameField) || f.Type == metadata.TypeEmail
}

// plan maps a header onto obj for op.
func plan(sch *metadata.Schema, obj *metadata.Object, op, extField string, header []string) ([]column, error) {
	cols := make([]column, len(header))
	seen := map[string]bool{}
	hasID, hasKey := false, false
	for i, raw := range header {
		name := raw
		if i == 0 {
			name = strings.TrimPrefix(name, "\ufeff")
		}
		if name == "" {
			return nil, invalidBatch("Field name not found : (an empty header)")
		}
		lower := strings.ToLower(name)
		if seen[lower] {
			return nil, invalidBatch("Duplicate field name : %s", name)
		}
		seen[lower] = true
		c := column{name: name}
		if op == OpDelete || op == OpHardDelete {
			if strings.EqualFold(name, metadata.FieldID) {
				c.field = obj.Field(metadata.FieldID)
				hasID = true
			} else {
				c.ignored = true
			}
			cols[i] = c
			continue
		}
		typeName, path, typed := strings.Cut(name, ":")
		if !typed {
			path = name
		}
		relName, keyName, isRel := strings.Cut(path, ".")
		switch {
		case isRel:
			lk := obj.FieldByRelationship(relName)
			if lk == nil || !lk.Type.IsReference() || strings.Contains(keyName, ".") {
				return nil, invalidBatch("Field name not found : %s", name)
			}
			var target *metadata.Object
			switch {
			case typed && len(lk.ReferenceTo) < 2:
				return nil, invalidBatch("Field name not valid : %s : type is not needed for non polymorphic foreign key references", name)
			case typed:
				target = sch.Object(typeName)
				if target == nil || !refersTo(lk, target) {
					return nil, invalidBatch("Field name not valid : %s : %s is not a type %s refers to", name, typeName, lk.Name)
				}
			case len(lk.ReferenceTo) == 1:
				target = sch.Object(lk.ReferenceTo[0])
			}
			if target == nil {
				// A polymorphic lookup named without a type takes Ids only.
				if !strings.EqualFold(keyName, metadata.FieldID) {
					return nil, invalidBatch("Field name not valid : %s : a polymorphic foreign key reference needs a type: ObjectType:%s", name, path)
				}
				c.field = lk
				break
			}
			key := target.Field(keyName)
			if key == nil {
				return nil, invalidBatch("Field name not found : %s", name)
			}
			if !lookupKey(target, key) {
				return nil, invalidBatch("Field name not valid : %s : %s is not an Id, external ID or idLookup field of %s", name, key.Name, target.Name)
			}
			c.field, c.target, c.key = lk, target, key
			if key.Type == metadata.TypeID {
				c.target, c.key = nil, nil // the value is the parent's Id
			}
		case typed:
			return nil, invalidBatch("Field name not found : %s", name)
		default:
			f := obj.Field(name)
			if f == nil {
				return nil, invalidBatch("Field name not found : %s", name)
			}
			c.field = f
			if f.Type == metadata.TypeID {
				hasID = true
			}
			if op == OpUpsert && strings.EqualFold(f.Name, extField) {
				hasKey = true
			}
		}
		cols[i] = c
	}
	switch {
	case (op == OpDelete || op == OpHardDelete || op == OpUpdate) && !hasID:
		return nil, invalidBatch("Field name not found : Id (a %s job needs an Id column)", op)
	case op == OpUpsert && !hasKey:
		return nil, invalidBatch("Field name not found : %s (the external ID field of the upsert)", extField)
	}
	return cols, nil
}

func refersTo(f *metadata.Field, obj *metadata.Object) bool {
	for _, t := range f.ReferenceTo {
		if strings.EqualFold(t, obj.Name) {
			return true
		}
	}
	return false
}

// csvReader returns a reader of the job's data format over r.
func (j *Job) csvReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma = j.comma()
	cr.FieldsPerRecord = -1 // ragged rows fail one by one
	return cr
}

// checkLineEnding compares the header line's ending with the job's
// lineEnding.
func (j *Job) checkLineEnding(head []byte) error {
	i := bytes.IndexByte(head, '\n')
	if i < 0 {
		return nil // a header alone, with no line end
	}
	crlf := i > 0 && head[i-1] == '\r'
	if crlf != (j.LineEnding == "CRLF") {
		return rapport.Errorf(codeClientInputError, "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is %s", j.LineEnding)
	}
	return nil
}

// A row is one data row of a chunk on its way to the record service.
type row struct {
	values []string
	rec    map[string]any
	err    error
}

// convert turns a chunk's rows into records for op, resolving
// relationship columns through the parents' keys. Rows that cannot be
// converted get their error.
func (s *Service) convert(ctx context.Context, j *Job, obj *metadata.Object, cols []column, rows []*row) error {
	type ref struct {
		r *row
		v any
	}
	refs := make(map[int][]ref)
	for _, r := range rows {
		if len(r.values) != len(cols) {
			r.err = rapport.Errorf(rapport.InvalidArgument, "the row has %d values, the header %d", len(r.values), len(cols))
			continue
		}
		rec := make(map[string]any, len(cols))
		for i, c := range cols {
			v := r.values[i]
			if c.ignored || c.field == nil || v == "" {
				continue
			}
			if v == nullValue {
				rec[c.field.Name] = nil
				continue
			}
			if c.key == nil {
				rec[c.field.Name] = v
				continue
			}
			kv, err := record.Coerce(c.key, v)
			if err != nil || kv == nil {
				r.err = rapport.FieldErrorf(rapport.InvalidField, []string{c.field.Name}, "Foreign key external ID: %s not found for field %s in entity %s", v, c.key.Name, c.target.Name)
				break
			}
			refs[i] = append(refs[i], ref{r, kv})
		}
		if r.err == nil {
			r.rec = rec
		}
	}
	for i, list := range refs {
		c := cols[i]
		values := make([]any, 0, len(list))
		seen := map[any]bool{}
		for _, x := range list {
			if k := record.MatchKey(c.key, x.v); !seen[k] {
				seen[k] = true
				values = append(values, x.v)
			}
		}
		found, err := s.records.FindMany(ctx, c.target.Name, c.key.Name, values)
		if err != nil {
			return err
		}
		for _, x := range list {
			if x.r.err != nil {
				continue
			}
			switch ids := found[record.MatchKey(c.key, x.v)]; len(ids) {
			case 1:
				x.r.rec[c.field.Name] = ids[0]
			case 0:
				x.r.err = rapport.FieldErrorf(rapport.InvalidField, []string{c.field.Name}, "Foreign key external ID: %s not found for field %s in entity %s", record.FormatValue(x.v), c.key.Name, c.target.Name)
			default:
				x.r.err = rapport.FieldErrorf(rapport.InvalidField, []string{c.field.Name}, "Foreign key external ID: %s matched more than one record for field %s in entity %s", record.FormatValue(x.v), c.key.Name, c.target.Name)
			}
			if x.r.err != nil {
				x.r.rec = nil
			}
		}
	}
	if j.Operation == OpDelete || j.Operation == OpHardDelete {
		for _, r := range rows {
			if r.err != nil {
				continue
			}
			id, _ := r.rec[metadata.FieldID].(string)
			pid, err := rapport.ParseID(id)
			if err != nil || pid.Prefix() != obj.KeyPrefix {
				r.err = rapport.FieldErrorf(rapport.MalformedID, []string{metadata.FieldID}, "%s ID: id value of incorrect type: %s", obj.Label, id)
				r.rec = nil
			}
		}
	}
	return nil
}

// quoteAll writes CSV records with every value quoted, as Salesforce's
// result files have them.
type quoteAll struct {
	w     io.Writer
	comma byte
	eol   string
	buf   []byte
}

func (q *quoteAll) write(values ...string) error {
	q.buf = q.buf[:0]
	for i, v := range values {
		if i > 0 {
			q.buf = append(q.buf, q.comma)
		}
		q.buf = append(q.buf, '"')
		q.buf = append(q.buf, strings.ReplaceAll(v, `"`, `""`)...)
		q.buf = append(q.buf, '"')
	}
	q.buf = append(q.buf, q.eol...)
	_, err := q.w.Write(q.buf)
	return err
}

// writeNullable writes a record whose values are quoted and null ones left
// empty (query results).
func (q *quoteAll) writeNullable(values []string, null []bool) error {
	q.buf = q.buf[:0]
	for i, v := range values {
		if i > 0 {
			q.buf = append(q.buf, q.comma)
		}
		if null[i] {
			continue
		}
		q.buf = append(q.buf, '"')
		q.buf = append(q.buf, strings.ReplaceAll(v, `"`, `""`)...)
		q.buf = append(q.buf, '"')
	}
	q.buf = append(q.buf, q.eol...)
	_, err := q.w.Write(q.buf)
	return err
}

func describeParseError(err error) string {
	if pe, ok := err.(*csv.ParseError); ok {
		return fmt.Sprintf("line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return err.Error()
}

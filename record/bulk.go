package record

import (
	"context"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// then runs the batch's Then function, if it has one.
func (o WriteOptions) then(ctx context.Context, tx Tx, res []Result) error {
	if o.Then == nil {
		return nil
	}
	return o.Then(ctx, tx, res)
}

// removed returns the results of a delete's targets.
func removed(targets []*target) []Result {
	out := make([]Result, len(targets))
	for i, t := range targets {
		out[i] = Result{ID: t.it.id, Err: t.it.err}
	}
	return out
}

// FindMany returns the IDs of the live records of object whose field (an
// external ID, a unique or name field, an email field or Id) equals each
// of values, for resolving many references at once (bulk relationship
// columns such as Account.ExtId__c). Text compares case-insensitively
// unless the field is case-sensitive. Keys of the map are the canonical
// values, folded to lower case when compared so.
func (s *Service) FindMany(ctx context.Context, object, field string, values []any) (map[any][]rapport.ID, error) {
	p, _, obj, err := s.object(ctx, object)
	if err != nil {
		return nil, err
	}
	key := obj.Field(field)
	if key == nil {
		return nil, UnknownField(obj, field)
	}
	fold := key.Type.IsText() && !key.CaseSensitive
	out := map[any][]rapport.ID{}
	if len(values) == 0 {
		return out, nil
	}
	err = s.store.Read(ctx, p.OrgID, func(r Reader) error {
		if key.Type == metadata.TypeID {
			ids := make([]rapport.ID, 0, len(values))
			for _, v := range values {
				if id, ok := v.(rapport.ID); ok {
					ids = append(ids, id)
				}
			}
			rows, err := r.Rows(ctx, obj, []*metadata.Field{key, obj.Field(metadata.FieldIsDeleted)}, ids)
			for _, row := range rows {
				if row[1] != true {
					id := row[0].(rapport.ID)
					out[id] = append(out[id], id)
				}
			}
			return err
		}
		for lo := 0; lo < len(values); lo += MaxBatch {
			ms, err := r.Find(ctx, obj, key, values[lo:min(lo+MaxBatch, len(values))], fold)
			if err != nil {
				return err
			}
			for _, m := range ms {
				k := matchKey(m.Value, fold)
				out[k] = append(out[k], m.ID)
			}
		}
		return nil
	})
	return out, err
}

// MatchKey returns the key FindMany files a value under.
func MatchKey(f *metadata.Field, v any) any {
	return matchKey(v, f.Type.IsText() && !f.CaseSensitive)
}

package record

import (
	"context"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// FindByExternalID returns the IDs of the live records of object whose
// field (an external ID, a unique text field or Id) equals value, as
// Upsert matches them. A field that cannot identify records is NotFound.
func (s *Service) FindByExternalID(ctx context.Context, object, field string, value any) ([]rapport.ID, error) {
	p, _, obj, err := s.object(ctx, object)
	if err != nil {
		return nil, err
	}
	key := obj.Field(field)
	if key == nil || !(key.ExternalID || key.Type == metadata.TypeID || (key.Unique && key.Type.IsText())) {
		return nil, rapport.FieldErrorf(rapport.NotFound, []string{field}, "Provided external ID field does not exist or is not accessible: %s", field)
	}
	v, err := Coerce(key, value)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, nil
	}
	var ids []rapport.ID
	err = s.store.Read(ctx, p.OrgID, func(r Reader) error {
		if key.Type == metadata.TypeID {
			rows, err := r.Rows(ctx, obj, []*metadata.Field{key, obj.Field(metadata.FieldIsDeleted)}, []rapport.ID{v.(rapport.ID)})
			for _, row := range rows {
				if row[1] != true {
					ids = append(ids, row[0].(rapport.ID))
				}
			}
			return err
		}
		ms, err := r.Find(ctx, obj, key, []any{v}, key.Type.IsText() && !key.CaseSensitive)
		for _, m := range ms {
			ids = append(ids, m.ID)
		}
		return err
	})
	return ids, err
}

package record

import (
	"context"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/security"
)

// Updated returns the IDs of the live records of object whose
// SystemModstamp is in [start, end) and that the principal may read,
// oldest change first: the data behind the REST replication resource
// sobjects/{Obj}/updated.
func (s *Service) Updated(ctx context.Context, object string, start, end time.Time) ([]rapport.ID, error) {
	p, sch, obj, err := s.object(ctx, object)
	if err != nil {
		return nil, err
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return nil, err
	}
	var out []rapport.ID
	err = s.store.Read(ctx, p.OrgID, func(r Reader) error {
		ids, err := r.Modified(ctx, obj, start, end)
		if err != nil || len(ids) == 0 {
			return err
		}
		ok, err := s.accessible(ctx, r, sch, pol, obj, ids, security.Read)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if ok[id] {
				out = append(out, id)
			}
		}
		return nil
	})
	return out, err
}

// Deleted returns the recycle-bin entries of object whose DeletedAt is in
// [start, end) and whose records the principal may read, oldest first, and
// the time of the oldest entry of object still in the bin (zero when there
// is none): the data behind sobjects/{Obj}/deleted. Records purged from
// the bin are no longer reported.
func (s *Service) Deleted(ctx context.Context, object string, start, end time.Time) ([]BinEntry, time.Time, error) {
	p, sch, obj, err := s.object(ctx, object)
	if err != nil {
		return nil, time.Time{}, err
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	var out []BinEntry
	var earliest time.Time
	err = s.store.Read(ctx, p.OrgID, func(r Reader) error {
		all, err := r.Bin(ctx, nil)
		if err != nil {
			return err
		}
		var in []BinEntry
		var ids []rapport.ID
		for _, e := range all {
			if e.Object != obj.KeyPrefix && e.ID.Prefix() != obj.KeyPrefix {
				continue
			}
			if earliest.IsZero() || e.DeletedAt.Before(earliest) {
				earliest = e.DeletedAt
			}
			if e.DeletedAt.Before(start) || !e.DeletedAt.Before(end) {
				continue
			}
			in = append(in, e)
			ids = append(ids, e.ID)
		}
		if len(in) == 0 {
			return nil
		}
		ok, err := s.accessible(ctx, r, sch, pol, obj, ids, security.Read)
		if err != nil {
			return err
		}
		// Bin lists newest first; replication reads oldest first.
		for i := len(in) - 1; i >= 0; i-- {
			if ok[in[i].ID] {
				out = append(out, in[i])
			}
		}
		return nil
	})
	return out, earliest, err
}

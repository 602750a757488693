package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// Modified implements record.Reader: the live records of obj whose
// SystemModstamp is in [from, to), oldest change first.
func (t *tx) Modified(ctx context.Context, obj *metadata.Object, from, to time.Time) ([]rapport.ID, error) {
	col := quote(metadata.ColSystemModstamp)
	q := "SELECT id FROM " + t.table(obj) + " WHERE NOT is_deleted AND " + col + " >= " + t.ph(1) + " AND " + col + " < " + t.ph(2) +
		" ORDER BY " + col + ", id"
	rows, err := t.q.QueryContext(ctx, q,
		t.db.b.Encode(metadata.StoreDateTime, from.UTC()), t.db.b.Encode(metadata.StoreDateTime, to.UTC()))
	if err != nil {
		return nil, fmt.Errorf("modified %s: %w", obj.Name, err)
	}
	defer rows.Close()
	var out []rapport.ID
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, rapport.ID(id))
	}
	return out, rows.Err()
}

package sqlstore

import (
	"context"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/tenant"
)

// SetPasswordHash implements tenant.Directory.
func (db *DB) SetPasswordHash(ctx context.Context, user rapport.ID, hash string) error {
	res, err := db.system.ExecContext(ctx, "UPDATE "+db.b.SystemTable("identities")+" SET password_hash = "+db.b.Placeholder(1)+" WHERE user_id = "+db.b.Placeholder(2),
		hash, string(user))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return rapport.Errorf(rapport.NotFound, "user %s has no login", user)
	}
	return nil
}

// ConnectedApps implements tenant.Directory.
func (db *DB) ConnectedApps(ctx context.Context, org rapport.ID) ([]tenant.ConnectedApp, error) {
	rows, err := db.system.QueryContext(ctx, "SELECT client_id, org_id, name, secret_hash, created_at FROM "+db.b.SystemTable("connected_apps")+
		" WHERE org_id = "+db.b.Placeholder(1)+" ORDER BY created_at, client_id", string(org))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tenant.ConnectedApp
	for rows.Next() {
		var app tenant.ConnectedApp
		var id string
		var at any
		if err := rows.Scan(&app.ClientID, &id, &app.Name, &app.SecretHash, &at); err != nil {
			return nil, err
		}
		app.OrgID = rapport.ID(id)
		if app.CreatedAt, err = db.decTime(at); err != nil {
			return nil, err
		}
		out = append(out, app)
	}
	return out, rows.Err()
}

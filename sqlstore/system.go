package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/tenant"
)

// systemMigrations create and evolve the system database's tables.
var systemMigrations = []func(b Backend) []string{
	func(b Backend) []string {
		text := b.ColumnType(metadata.StoreText, 0, 0)
		ts := b.ColumnType(metadata.StoreDateTime, 0, 0)
		boolean := b.ColumnType(metadata.StoreBool, 0, 0)
		return []string{
			"CREATE TABLE " + b.SystemTable("orgs") + " (id " + text + " PRIMARY KEY, name " + text + " NOT NULL, status " + text + " NOT NULL, error " + text + ", created_at " + ts + " NOT NULL)",
			"CREATE TABLE " + b.SystemTable("identities") + " (username_lower " + text + " PRIMARY KEY, username " + text + " NOT NULL, org_id " + text + " NOT NULL, user_id " + text + " NOT NULL UNIQUE, password_hash " + text + " NOT NULL, active " + boolean + " NOT NULL, created_at " + ts + " NOT NULL)",
			"CREATE INDEX identities_org ON " + b.SystemTable("identities") + " (org_id)",
			"CREATE TABLE " + b.SystemTable("connected_apps") + " (client_id " + text + " PRIMARY KEY, org_id " + text + " NOT NULL, name " + text + " NOT NULL, secret_hash " + text + " NOT NULL, created_at " + ts + " NOT NULL)",
		}
	},
	sessionTables,
	queueTables,
}

func (db *DB) migrateSystem(ctx context.Context) error {
	meta := db.b.SystemTable("system_meta")
	if _, err := db.system.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+meta+" (key "+db.b.ColumnType(metadata.StoreText, 0, 0)+" PRIMARY KEY, value BIGINT NOT NULL)"); err != nil {
		return fmt.Errorf("migrate system database: %w", err)
	}
	for {
		var v int64
		err := db.system.QueryRowContext(ctx, "SELECT value FROM "+meta+" WHERE key = 'layout'").Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			v = -1
		} else if err != nil {
			return fmt.Errorf("migrate system database: %w", err)
		}
		if v > int64(len(systemMigrations)) {
			return fmt.Errorf("the system database's layout version %d is newer than this build's %d", v, len(systemMigrations))
		}
		if v == int64(len(systemMigrations)) {
			return nil
		}
		var stmts []string
		if v < 0 {
			v = 0
			stmts = append(stmts, "INSERT INTO "+meta+" (key, value) VALUES ('layout', 0)")
		}
		stmts = append(stmts, systemMigrations[v](db.b)...)
		stmts = append(stmts, fmt.Sprintf("UPDATE %s SET value = %d WHERE key = 'layout'", meta, v+1))
		if err := db.execTx(ctx, db.system, stmts); err != nil {
			if _, dup := db.b.UniqueViolation(err); dup {
				continue // another process migrated at the same time
			}
			return fmt.Errorf("migrate system database to layout %d: %w", v+1, err)
		}
	}
}

func (db *DB) sysParams(n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = db.b.Placeholder(i + 1)
	}
	return strings.Join(ps, ", ")
}

// CreateNamespace implements tenant.Directory.
func (db *DB) CreateNamespace(ctx context.Context, org rapport.ID) error {
	if err := db.b.CreateNamespace(ctx, org); err != nil {
		return err
	}
	return db.MigrateOrg(ctx, org)
}

// DropNamespace implements tenant.Directory.
func (db *DB) DropNamespace(ctx context.Context, org rapport.ID) error {
	db.forget(org)
	return db.b.DropNamespace(ctx, org)
}

// AddOrg implements tenant.Directory.
func (db *DB) AddOrg(ctx context.Context, o tenant.Org) error {
	_, err := db.system.ExecContext(ctx, "INSERT INTO "+db.b.SystemTable("orgs")+" (id, name, status, error, created_at) VALUES ("+db.sysParams(5)+")",
		string(o.ID), o.Name, o.Status, nullString(o.Error), db.b.Encode(metadata.StoreDateTime, o.CreatedAt))
	return err
}

// SetOrgStatus implements tenant.Directory.
func (db *DB) SetOrgStatus(ctx context.Context, id rapport.ID, status, errText string) error {
	_, err := db.system.ExecContext(ctx, "UPDATE "+db.b.SystemTable("orgs")+" SET status = "+db.b.Placeholder(1)+", error = "+db.b.Placeholder(2)+" WHERE id = "+db.b.Placeholder(3),
		status, nullString(errText), string(id))
	return err
}

// DeleteOrg implements tenant.Directory: the org row, its identities and
// connected apps.
func (db *DB) DeleteOrg(ctx context.Context, id rapport.ID) error {
	for _, t := range []string{"identities", "connected_apps"} {
		if _, err := db.system.ExecContext(ctx, "DELETE FROM "+db.b.SystemTable(t)+" WHERE org_id = "+db.b.Placeholder(1), string(id)); err != nil {
			return err
		}
	}
	_, err := db.system.ExecContext(ctx, "DELETE FROM "+db.b.SystemTable("orgs")+" WHERE id = "+db.b.Placeholder(1), string(id))
	return err
}

func (db *DB) scanOrg(sc interface{ Scan(...any) error }) (tenant.Org, error) {
	var o tenant.Org
	var id string
	var errText sql.NullString
	var at any
	if err := sc.Scan(&id, &o.Name, &o.Status, &errText, &at); err != nil {
		return o, err
	}
	o.ID, o.Error = rapport.ID(id), errText.String
	ts, err := db.b.Decode(metadata.StoreDateTime, at)
	o.CreatedAt, _ = ts.(time.Time)
	return o, err
}

// Org implements tenant.Directory.
func (db *DB) Org(ctx context.Context, id rapport.ID) (tenant.Org, error) {
	row := db.system.QueryRowContext(ctx, "SELECT id, name, status, error, created_at FROM "+db.b.SystemTable("orgs")+" WHERE id = "+db.b.Placeholder(1), string(id))
	o, err := db.scanOrg(row)
	if errors.Is(err, sql.ErrNoRows) {
		return o, rapport.Errorf(rapport.NotFound, "no org %s", id)
	}
	return o, err
}

// Orgs implements tenant.Directory.
func (db *DB) Orgs(ctx context.Context) ([]tenant.Org, error) {
	rows, err := db.system.QueryContext(ctx, "SELECT id, name, status, error, created_at FROM "+db.b.SystemTable("orgs")+" ORDER BY created_at, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tenant.Org
	for rows.Next() {
		o, err := db.scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// AddIdentity implements tenant.Directory.
func (db *DB) AddIdentity(ctx context.Context, id tenant.Identity) error {
	_, err := db.system.ExecContext(ctx, "INSERT INTO "+db.b.SystemTable("identities")+" (username_lower, username, org_id, user_id, password_hash, active, created_at) VALUES ("+db.sysParams(7)+")",
		strings.ToLower(id.Username), id.Username, string(id.OrgID), string(id.UserID), id.PasswordHash,
		db.b.Encode(metadata.StoreBool, id.Active), db.b.Encode(metadata.StoreDateTime, id.CreatedAt))
	if _, dup := db.b.UniqueViolation(err); dup {
		return rapport.FieldErrorf(rapport.DuplicateValue, []string{"Username"}, "the username %s is already taken", id.Username)
	}
	return err
}

// Identity implements tenant.Directory.
func (db *DB) Identity(ctx context.Context, username string) (tenant.Identity, error) {
	var id tenant.Identity
	var org, user string
	var active, at any
	err := db.system.QueryRowContext(ctx, "SELECT username, org_id, user_id, password_hash, active, created_at FROM "+db.b.SystemTable("identities")+" WHERE username_lower = "+db.b.Placeholder(1),
		strings.ToLower(strings.TrimSpace(username))).Scan(&id.Username, &org, &user, &id.PasswordHash, &active, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return id, rapport.Errorf(rapport.NotFound, "no user %s", username)
	}
	if err != nil {
		return id, err
	}
	id.OrgID, id.UserID = rapport.ID(org), rapport.ID(user)
	a, err := db.b.Decode(metadata.StoreBool, active)
	if err != nil {
		return id, err
	}
	id.Active, _ = a.(bool)
	ts, err := db.b.Decode(metadata.StoreDateTime, at)
	id.CreatedAt, _ = ts.(time.Time)
	return id, err
}

// AddConnectedApp implements tenant.Directory.
func (db *DB) AddConnectedApp(ctx context.Context, app tenant.ConnectedApp) error {
	_, err := db.system.ExecContext(ctx, "INSERT INTO "+db.b.SystemTable("connected_apps")+" (client_id, org_id, name, secret_hash, created_at) VALUES ("+db.sysParams(5)+")",
		app.ClientID, string(app.OrgID), app.Name, app.SecretHash, db.b.Encode(metadata.StoreDateTime, app.CreatedAt))
	return err
}

// ConnectedApp implements tenant.Directory.
func (db *DB) ConnectedApp(ctx context.Context, clientID string) (tenant.ConnectedApp, error) {
	var app tenant.ConnectedApp
	var org string
	var at any
	err := db.system.QueryRowContext(ctx, "SELECT client_id, org_id, name, secret_hash, created_at FROM "+db.b.SystemTable("connected_apps")+" WHERE client_id = "+db.b.Placeholder(1),
		clientID).Scan(&app.ClientID, &org, &app.Name, &app.SecretHash, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return app, rapport.Errorf(rapport.NotFound, "no connected app %s", clientID)
	}
	if err != nil {
		return app, err
	}
	app.OrgID = rapport.ID(org)
	ts, err := db.b.Decode(metadata.StoreDateTime, at)
	app.CreatedAt, _ = ts.(time.Time)
	return app, err
}

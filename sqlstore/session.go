package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/tenant"
)

// sessionTables is the system migration that adds sessions and refresh
// tokens, the login history, lockouts, connected apps' run-as users and the
// daily API request counts.
func sessionTables(b Backend) []string {
	text := b.ColumnType(metadata.StoreText, 0, 0)
	ts := b.ColumnType(metadata.StoreDateTime, 0, 0)
	return []string{
		"CREATE TABLE " + b.SystemTable("tokens") + " (hash " + text + " PRIMARY KEY, kind " + text + " NOT NULL, org_id " + text + " NOT NULL, user_id " + text + " NOT NULL, client_id " + text + ", parent " + text + ", created_at " + ts + " NOT NULL, last_used " + ts + " NOT NULL, expires_at " + ts + ")",
		"CREATE INDEX tokens_parent ON " + b.SystemTable("tokens") + " (parent)",
		"CREATE INDEX tokens_user ON " + b.SystemTable("tokens") + " (user_id)",
		"CREATE INDEX tokens_expires ON " + b.SystemTable("tokens") + " (expires_at)",
		"CREATE TABLE " + b.SystemTable("login_history") + " (id " + text + " PRIMARY KEY, username_lower " + text + " NOT NULL, username " + text + " NOT NULL, org_id " + text + ", user_id " + text + ", at " + ts + " NOT NULL, source_ip " + text + ", outcome " + text + " NOT NULL, method " + text + " NOT NULL, client_id " + text + ", user_agent " + text + ")",
		"CREATE INDEX login_history_user ON " + b.SystemTable("login_history") + " (username_lower, at)",
		"CREATE INDEX login_history_org ON " + b.SystemTable("login_history") + " (org_id, at)",
		"CREATE TABLE " + b.SystemTable("lockouts") + " (username_lower " + text + " PRIMARY KEY, until " + ts + " NOT NULL)",
		"CREATE TABLE " + b.SystemTable("app_run_as") + " (client_id " + text + " PRIMARY KEY, user_id " + text + " NOT NULL)",
		"CREATE TABLE " + b.SystemTable("api_usage") + " (org_id " + text + " NOT NULL, day " + text + " NOT NULL, requests BIGINT NOT NULL, PRIMARY KEY (org_id, day))",
	}
}

func (db *DB) encTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return db.b.Encode(metadata.StoreDateTime, t.UTC())
}

func (db *DB) decTime(v any) (time.Time, error) {
	x, err := db.b.Decode(metadata.StoreDateTime, v)
	if err != nil || x == nil {
		return time.Time{}, err
	}
	t, _ := x.(time.Time)
	return t, nil
}

func (db *DB) decBool(v any) (bool, error) {
	x, err := db.b.Decode(metadata.StoreBool, v)
	b, _ := x.(bool)
	return b, err
}

const identityColumns = "username, org_id, user_id, password_hash, active, created_at"

func (db *DB) scanIdentity(row *sql.Row, what string) (tenant.Identity, error) {
	var id tenant.Identity
	var org, user string
	var active, at any
	err := row.Scan(&id.Username, &org, &user, &id.PasswordHash, &active, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return id, rapport.Errorf(rapport.NotFound, "no user %s", what)
	}
	if err != nil {
		return id, err
	}
	id.OrgID, id.UserID = rapport.ID(org), rapport.ID(user)
	if id.Active, err = db.decBool(active); err != nil {
		return id, err
	}
	id.CreatedAt, err = db.decTime(at)
	return id, err
}

// IdentityByUser implements tenant.Directory.
func (db *DB) IdentityByUser(ctx context.Context, user rapport.ID) (tenant.Identity, error) {
	row := db.system.QueryRowContext(ctx, "SELECT "+identityColumns+" FROM "+db.b.SystemTable("identities")+" WHERE user_id = "+db.b.Placeholder(1), string(user))
	return db.scanIdentity(row, string(user))
}

// FirstIdentity implements tenant.Directory.
func (db *DB) FirstIdentity(ctx context.Context, org rapport.ID) (tenant.Identity, error) {
	row := db.system.QueryRowContext(ctx, "SELECT "+identityColumns+" FROM "+db.b.SystemTable("identities")+" WHERE org_id = "+db.b.Placeholder(1)+" ORDER BY created_at, user_id LIMIT 1", string(org))
	return db.scanIdentity(row, "in org "+string(org))
}

// SetIdentityActive implements tenant.Directory.
func (db *DB) SetIdentityActive(ctx context.Context, user rapport.ID, active bool) error {
	_, err := db.system.ExecContext(ctx, "UPDATE "+db.b.SystemTable("identities")+" SET active = "+db.b.Placeholder(1)+" WHERE user_id = "+db.b.Placeholder(2),
		db.b.Encode(metadata.StoreBool, active), string(user))
	return err
}

// SetConnectedAppRunAs implements tenant.Directory.
func (db *DB) SetConnectedAppRunAs(ctx context.Context, clientID string, user rapport.ID) error {
	t := db.b.SystemTable("app_run_as")
	if _, err := db.system.ExecContext(ctx, "DELETE FROM "+t+" WHERE client_id = "+db.b.Placeholder(1), clientID); err != nil {
		return err
	}
	if user == "" {
		return nil
	}
	_, err := db.system.ExecContext(ctx, "INSERT INTO "+t+" (client_id, user_id) VALUES ("+db.sysParams(2)+")", clientID, string(user))
	return err
}

// ConnectedAppRunAs implements tenant.Directory.
func (db *DB) ConnectedAppRunAs(ctx context.Context, clientID string) (rapport.ID, error) {
	var user string
	err := db.system.QueryRowContext(ctx, "SELECT user_id FROM "+db.b.SystemTable("app_run_as")+" WHERE client_id = "+db.b.Placeholder(1), clientID).Scan(&user)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return rapport.ID(user), err
}

// AddToken implements tenant.Directory.
func (db *DB) AddToken(ctx context.Context, t tenant.Token) error {
	_, err := db.system.ExecContext(ctx, "INSERT INTO "+db.b.SystemTable("tokens")+" (hash, kind, org_id, user_id, client_id, parent, created_at, last_used, expires_at) VALUES ("+db.sysParams(9)+")",
		t.Hash, t.Kind, string(t.OrgID), string(t.UserID), nullString(t.ClientID), nullString(t.Parent),
		db.encTime(t.CreatedAt), db.encTime(t.LastUsed), db.encTime(t.ExpiresAt))
	return err
}

// Token implements tenant.Directory.
func (db *DB) Token(ctx context.Context, hash string) (tenant.Token, error) {
	var t tenant.Token
	var org, user string
	var client, parent sql.NullString
	var created, used, expires, active any
	err := db.system.QueryRowContext(ctx, "SELECT t.hash, t.kind, t.org_id, t.user_id, t.client_id, t.parent, t.created_at, t.last_used, t.expires_at, i.active FROM "+
		db.b.SystemTable("tokens")+" t LEFT JOIN "+db.b.SystemTable("identities")+" i ON i.user_id = t.user_id WHERE t.hash = "+db.b.Placeholder(1), hash).
		Scan(&t.Hash, &t.Kind, &org, &user, &client, &parent, &created, &used, &expires, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return t, rapport.Errorf(rapport.NotFound, "no such token")
	}
	if err != nil {
		return t, err
	}
	t.OrgID, t.UserID, t.ClientID, t.Parent = rapport.ID(org), rapport.ID(user), client.String, parent.String
	if t.CreatedAt, err = db.decTime(created); err != nil {
		return t, err
	}
	if t.LastUsed, err = db.decTime(used); err != nil {
		return t, err
	}
	if t.ExpiresAt, err = db.decTime(expires); err != nil {
		return t, err
	}
	t.Active, err = db.decBool(active)
	return t, err
}

// TouchToken implements tenant.Directory.
func (db *DB) TouchToken(ctx context.Context, hash string, lastUsed, expiresAt time.Time) error {
	_, err := db.system.ExecContext(ctx, "UPDATE "+db.b.SystemTable("tokens")+" SET last_used = "+db.b.Placeholder(1)+", expires_at = "+db.b.Placeholder(2)+" WHERE hash = "+db.b.Placeholder(3),
		db.encTime(lastUsed), db.encTime(expiresAt), hash)
	return err
}

// DeleteToken implements tenant.Directory.
func (db *DB) DeleteToken(ctx context.Context, hash string) error {
	_, err := db.system.ExecContext(ctx, "DELETE FROM "+db.b.SystemTable("tokens")+" WHERE hash = "+db.b.Placeholder(1)+" OR parent = "+db.b.Placeholder(2), hash, hash)
	return err
}

// DeleteUserTokens implements tenant.Directory.
func (db *DB) DeleteUserTokens(ctx context.Context, user rapport.ID) error {
	_, err := db.system.ExecContext(ctx, "DELETE FROM "+db.b.SystemTable("tokens")+" WHERE user_id = "+db.b.Placeholder(1), string(user))
	return err
}

// DeleteExpiredTokens implements tenant.Directory.
func (db *DB) DeleteExpiredTokens(ctx context.Context, t time.Time) (int64, error) {
	res, err := db.system.ExecContext(ctx, "DELETE FROM "+db.b.SystemTable("tokens")+" WHERE expires_at IS NOT NULL AND expires_at < "+db.b.Placeholder(1), db.encTime(t))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// AddLoginAttempt implements tenant.Directory.
func (db *DB) AddLoginAttempt(ctx context.Context, a tenant.LoginAttempt) error {
	_, err := db.system.ExecContext(ctx, "INSERT INTO "+db.b.SystemTable("login_history")+" (id, username_lower, username, org_id, user_id, at, source_ip, outcome, method, client_id, user_agent) VALUES ("+db.sysParams(11)+")",
		string(a.ID), strings.ToLower(strings.TrimSpace(a.Username)), a.Username, nullString(string(a.OrgID)), nullString(string(a.UserID)),
		db.encTime(a.At), nullString(a.SourceIP), a.Outcome, a.Method, nullString(a.ClientID), nullString(a.UserAgent))
	return err
}

// RecentFailures implements tenant.Directory.
func (db *DB) RecentFailures(ctx context.Context, username string, since time.Time) (int, error) {
	t := db.b.SystemTable("login_history")
	p := db.b.Placeholder
	var n int
	err := db.system.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t+" WHERE username_lower = "+p(1)+" AND at >= "+p(2)+" AND outcome = "+p(3)+
		" AND at > COALESCE((SELECT MAX(at) FROM "+t+" WHERE username_lower = "+p(4)+" AND outcome = "+p(5)+"), "+p(6)+")",
		strings.ToLower(strings.TrimSpace(username)), db.encTime(since), tenant.LoginFailed,
		strings.ToLower(strings.TrimSpace(username)), tenant.LoginSuccess, db.encTime(since.Add(-time.Millisecond))).Scan(&n)
	return n, err
}

// LoginHistory implements tenant.Directory.
func (db *DB) LoginHistory(ctx context.Context, org rapport.ID, limit int) ([]tenant.LoginAttempt, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.system.QueryContext(ctx, "SELECT id, username, org_id, user_id, at, source_ip, outcome, method, client_id, user_agent FROM "+db.b.SystemTable("login_history")+
		" WHERE org_id = "+db.b.Placeholder(1)+" ORDER BY at DESC, id DESC LIMIT "+db.b.Placeholder(2), string(org), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tenant.LoginAttempt
	for rows.Next() {
		var a tenant.LoginAttempt
		var id string
		var orgID, user, ip, client, agent sql.NullString
		var at any
		if err := rows.Scan(&id, &a.Username, &orgID, &user, &at, &ip, &a.Outcome, &a.Method, &client, &agent); err != nil {
			return nil, err
		}
		a.ID, a.OrgID, a.UserID = rapport.ID(id), rapport.ID(orgID.String), rapport.ID(user.String)
		a.SourceIP, a.ClientID, a.UserAgent = ip.String, client.String, agent.String
		if a.At, err = db.decTime(at); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetLockout implements tenant.Directory.
func (db *DB) SetLockout(ctx context.Context, username string, until time.Time) error {
	t := db.b.SystemTable("lockouts")
	key := strings.ToLower(strings.TrimSpace(username))
	if _, err := db.system.ExecContext(ctx, "DELETE FROM "+t+" WHERE username_lower = "+db.b.Placeholder(1), key); err != nil {
		return err
	}
	if until.IsZero() {
		return nil
	}
	_, err := db.system.ExecContext(ctx, "INSERT INTO "+t+" (username_lower, until) VALUES ("+db.sysParams(2)+")", key, db.encTime(until))
	return err
}

// Lockout implements tenant.Directory.
func (db *DB) Lockout(ctx context.Context, username string) (time.Time, error) {
	var at any
	err := db.system.QueryRowContext(ctx, "SELECT until FROM "+db.b.SystemTable("lockouts")+" WHERE username_lower = "+db.b.Placeholder(1),
		strings.ToLower(strings.TrimSpace(username))).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return db.decTime(at)
}

// AddAPIUsage implements tenant.Directory.
func (db *DB) AddAPIUsage(ctx context.Context, org rapport.ID, day string, n int64) (int64, error) {
	var total int64
	err := db.system.QueryRowContext(ctx, "INSERT INTO "+db.b.SystemTable("api_usage")+" AS u (org_id, day, requests) VALUES ("+db.sysParams(3)+
		") ON CONFLICT (org_id, day) DO UPDATE SET requests = u.requests + excluded.requests RETURNING requests", string(org), day, n).Scan(&total)
	return total, err
}

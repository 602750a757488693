package tenant

import (
	"context"
	"time"

	"github.com/rapportcrm/rapport"
)

// Org statuses.
const (
	StatusCreating        = "creating"
	StatusActive          = "active"
	StatusMigrationFailed = "migration_failed"
)

// An Org is a tenant as the system database knows it.
type Org struct {
	ID        rapport.ID
	Name      string
	Status    string
	Error     string // why the last migration failed
	CreatedAt time.Time
}

// An Identity is a user's login: usernames are unique across all orgs, so a
// username names its org.
type Identity struct {
	Username     string
	OrgID        rapport.ID
	UserID       rapport.ID
	PasswordHash string
	Active       bool
	CreatedAt    time.Time
}

// A ConnectedApp is an OAuth client of one org. Only a hash of its secret is
// kept.
type ConnectedApp struct {
	ClientID   string
	OrgID      rapport.ID
	Name       string
	SecretHash string
	CreatedAt  time.Time
}

// A Directory is the system database: what spans orgs, and the creation of
// each org's namespace. sqlite and postgres implement it.
type Directory interface {
	// CreateNamespace makes an empty namespace for org, at the current
	// schema version; DropNamespace removes it and everything in it.
	CreateNamespace(ctx context.Context, org rapport.ID) error
	DropNamespace(ctx context.Context, org rapport.ID) error
	// MigrateOrg brings org's namespace to the current schema version.
	MigrateOrg(ctx context.Context, org rapport.ID) error

	AddOrg(ctx context.Context, o Org) error
	SetOrgStatus(ctx context.Context, id rapport.ID, status, errText string) error
	Org(ctx context.Context, id rapport.ID) (Org, error)
	Orgs(ctx context.Context) ([]Org, error)
	DeleteOrg(ctx context.Context, id rapport.ID) error

	// AddIdentity fails with rapport.DuplicateValue if the username is taken
	// (case-insensitively).
	AddIdentity(ctx context.Context, id Identity) error
	// Identity finds a login by username, case-insensitively; NotFound if
	// none.
	Identity(ctx context.Context, username string) (Identity, error)

	AddConnectedApp(ctx context.Context, app ConnectedApp) error
	ConnectedApp(ctx context.Context, clientID string) (ConnectedApp, error)

	// IdentityByUser finds a login by user ID; NotFound if none.
	IdentityByUser(ctx context.Context, user rapport.ID) (Identity, error)
	// FirstIdentity returns the org's oldest login (its first
	// administrator); NotFound if the org has none.
	FirstIdentity(ctx context.Context, org rapport.ID) (Identity, error)
	// SetIdentityActive turns a login on or off.
	SetIdentityActive(ctx context.Context, user rapport.ID, active bool) error
	// SetPasswordHash replaces a login's password hash; NotFound if the
	// user has no login.
	SetPasswordHash(ctx context.Context, user rapport.ID, hash string) error
	// ConnectedApps lists an org's connected apps, oldest first.
	ConnectedApps(ctx context.Context, org rapport.ID) ([]ConnectedApp, error)

	// SetConnectedAppRunAs sets the user a connected app's
	// client_credentials grant runs as (empty: the org's first
	// administrator); ConnectedAppRunAs reads it.
	SetConnectedAppRunAs(ctx context.Context, clientID string, user rapport.ID) error
	ConnectedAppRunAs(ctx context.Context, clientID string) (rapport.ID, error)

	// AddToken stores a session or refresh token.
	AddToken(ctx context.Context, t Token) error
	// Token finds a token by hash, with its user's Active flag; NotFound if
	// none.
	Token(ctx context.Context, hash string) (Token, error)
	// TouchToken records a use of a token and moves its expiry.
	TouchToken(ctx context.Context, hash string, lastUsed, expiresAt time.Time) error
	// DeleteToken revokes a token and the access tokens minted from it.
	DeleteToken(ctx context.Context, hash string) error
	// DeleteUserTokens revokes every token of a user.
	DeleteUserTokens(ctx context.Context, user rapport.ID) error
	// DeleteExpiredTokens removes tokens that expired before t.
	DeleteExpiredTokens(ctx context.Context, t time.Time) (int64, error)

	// AddLoginAttempt appends to the login history.
	AddLoginAttempt(ctx context.Context, a LoginAttempt) error
	// RecentFailures counts the failed attempts for a username since t that
	// came after its last successful login.
	RecentFailures(ctx context.Context, username string, since time.Time) (int, error)
	// LoginHistory returns an org's login history, newest first, at most
	// limit rows.
	LoginHistory(ctx context.Context, org rapport.ID, limit int) ([]LoginAttempt, error)
	// SetLockout locks a username until t (zero unlocks); Lockout reads it.
	SetLockout(ctx context.Context, username string, until time.Time) error
	Lockout(ctx context.Context, username string) (time.Time, error)

	// AddAPIUsage adds n to an org's API request count for day
	// ("2006-01-02", UTC) and returns the new count.
	AddAPIUsage(ctx context.Context, org rapport.ID, day string, n int64) (int64, error)
}

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
}

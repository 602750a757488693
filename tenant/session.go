package tenant

import (
	"time"

	"github.com/rapportcrm/rapport"
)

// Token kinds.
const (
	TokenAccess  = "access"
	TokenRefresh = "refresh"
)

// A Token is a session (an access token) or an OAuth refresh token as the
// system database keeps it: only a hash of the token itself is stored.
type Token struct {
	Hash   string // tenant.HashSecret of the token
	Kind   string // TokenAccess or TokenRefresh
	OrgID  rapport.ID
	UserID rapport.ID
	// ClientID is the OAuth client the token was issued to; empty for SOAP
	// and password sessions without a client.
	ClientID string
	// Parent is the hash of the refresh token an access token was minted
	// from; revoking the refresh token revokes its access tokens.
	Parent    string
	CreatedAt time.Time
	LastUsed  time.Time
	ExpiresAt time.Time // zero: never
	// Active is whether the token's user may still log in (read from the
	// user's identity, not stored with the token).
	Active bool
}

// Login outcomes recorded in the login history.
const (
	LoginSuccess  = "Success"
	LoginFailed   = "Invalid Password"
	LoginLocked   = "Password Lockout"
	LoginInactive = "User Inactive"
	LoginNoUser   = "Unknown User"
)

// A LoginAttempt is one row of the login history: every attempt, good or
// bad, by any method. OrgID and UserID are empty when the username names no
// user.
type LoginAttempt struct {
	ID        rapport.ID
	Username  string
	OrgID     rapport.ID
	UserID    rapport.ID
	At        time.Time
	SourceIP  string
	Outcome   string // one of the Login… outcomes
	Method    string // "SOAP", "OAuth password", "OAuth refresh_token", …
	ClientID  string
	UserAgent string
}

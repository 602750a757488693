package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/tenant"
)

var timeZero time.Time

// A Session is a newly issued access token.
type Session struct {
	Token     string
	OrgID     rapport.ID
	UserID    rapport.ID
	ClientID  string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// opaque returns n random bytes as [A-Za-z0-9._]+.
func opaque(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.ReplaceAll(base64.RawURLEncoding.EncodeToString(b), "-", "."), nil
}

// NewSession issues an access token for a user. parent is the refresh
// token it is minted from, if any (its hash is kept so that revoking the
// refresh token revokes this session).
func (s *Service) NewSession(ctx context.Context, org, user rapport.ID, clientID, parentToken string) (Session, error) {
	o, err := opaque(40)
	if err != nil {
		return Session{}, err
	}
	token := org.Short() + "!AQ" + o
	now := s.now().UTC().Truncate(time.Millisecond)
	t := tenant.Token{
		Hash: tenant.HashSecret(token), Kind: tenant.TokenAccess, OrgID: org, UserID: user, ClientID: clientID,
		CreatedAt: now, LastUsed: now, ExpiresAt: now.Add(s.opt.SessionTimeout),
	}
	if parentToken != "" {
		t.Parent = tenant.HashSecret(parentToken)
	}
	if err := s.dir.AddToken(ctx, t); err != nil {
		return Session{}, fmt.Errorf("store session: %w", err)
	}
	return Session{Token: token, OrgID: org, UserID: user, ClientID: clientID, IssuedAt: now, ExpiresAt: t.ExpiresAt}, nil
}

// NewRefreshToken issues a refresh token for a user and client: a public
// client (see Options.PublicClients) redeems it without a secret, a
// connected app with its secret. The CLI uses it to print an sfdx URL.
func (s *Service) NewRefreshToken(ctx context.Context, org, user rapport.ID, clientID string) (string, error) {
	if clientID == "" {
		return "", rapport.Errorf(rapport.InvalidArgument, "a refresh token needs a client ID")
	}
	o, err := opaque(48)
	if err != nil {
		return "", err
	}
	token := "5Aep" + o
	now := s.now().UTC().Truncate(time.Millisecond)
	t := tenant.Token{
		Hash: tenant.HashSecret(token), Kind: tenant.TokenRefresh, OrgID: org, UserID: user, ClientID: clientID,
		CreatedAt: now, LastUsed: now,
	}
	if s.opt.RefreshTimeout > 0 {
		t.ExpiresAt = now.Add(s.opt.RefreshTimeout)
	}
	if err := s.dir.AddToken(ctx, t); err != nil {
		return "", fmt.Errorf("store refresh token: %w", err)
	}
	return token, nil
}

// validTokenShape reports whether token could be one of ours, so that junk
// never reaches the database.
func validTokenShape(token string) bool {
	if token == "" || len(token) > 512 {
		return false
	}
	for i := 0; i < len(token); i++ {
		c := token[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '!') {
			return false
		}
	}
	return true
}

// lookup finds a live token of the given kind, moving its expiry when it
// is used.
func (s *Service) lookup(ctx context.Context, token, kind string, timeout time.Duration) (tenant.Token, bool, error) {
	if !validTokenShape(token) {
		return tenant.Token{}, false, nil
	}
	t, err := s.dir.Token(ctx, tenant.HashSecret(token))
	if rapport.ErrorCode(err) == rapport.NotFound {
		return t, false, nil
	}
	if err != nil {
		return t, false, fmt.Errorf("read token: %w", err)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if t.Kind != kind || !t.Active {
		return t, false, nil
	}
	if !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt) {
		if err := s.dir.DeleteToken(ctx, t.Hash); err != nil {
			return t, false, fmt.Errorf("delete expired token: %w", err)
		}
		return t, false, nil
	}
	if now.Sub(t.LastUsed) >= s.opt.TouchInterval {
		t.LastUsed = now
		if timeout > 0 {
			t.ExpiresAt = now.Add(timeout)
		}
		if err := s.dir.TouchToken(ctx, t.Hash, t.LastUsed, t.ExpiresAt); err != nil {
			return t, false, fmt.Errorf("touch token: %w", err)
		}
	}
	return t, true, nil
}

// Validate checks an access token and returns who it acts for; an unknown,
// expired or revoked token, or one whose user is inactive, is
// ErrInvalidSession.
func (s *Service) Validate(ctx context.Context, token string) (rapport.Principal, error) {
	t, ok, err := s.lookup(ctx, token, tenant.TokenAccess, s.opt.SessionTimeout)
	if err != nil {
		return rapport.Principal{}, err
	}
	if !ok {
		return rapport.Principal{}, ErrInvalidSession
	}
	return rapport.Principal{OrgID: t.OrgID, UserID: t.UserID}, nil
}

// Refresh redeems a refresh token for a new session. The client must be
// the one the token was issued to; a confidential client must present its
// secret, a public client none.
func (s *Service) Refresh(ctx context.Context, refreshToken, clientID, secret string) (Session, error) {
	t, ok, err := s.lookup(ctx, refreshToken, tenant.TokenRefresh, s.opt.RefreshTimeout)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, ErrInvalidGrant
	}
	if clientID != "" && clientID != t.ClientID {
		return Session{}, ErrInvalidGrant
	}
	if !s.IsPublicClient(t.ClientID) || secret != "" {
		app, err := s.Client(ctx, t.ClientID, secret)
		if err != nil {
			return Session{}, err
		}
		if app.OrgID != t.OrgID {
			return Session{}, ErrInvalidGrant
		}
	}
	return s.NewSession(ctx, t.OrgID, t.UserID, t.ClientID, refreshToken)
}

// Revoke revokes an access or refresh token (and the sessions of a refresh
// token). Unknown tokens are ErrInvalidGrant.
func (s *Service) Revoke(ctx context.Context, token string) error {
	if !validTokenShape(token) {
		return ErrInvalidGrant
	}
	hash := tenant.HashSecret(token)
	if _, err := s.dir.Token(ctx, hash); rapport.ErrorCode(err) == rapport.NotFound {
		return ErrInvalidGrant
	} else if err != nil {
		return err
	}
	return s.dir.DeleteToken(ctx, hash)
}

// SetUserActive turns a user's login on or off; turning it off revokes
// every token of the user.
func (s *Service) SetUserActive(ctx context.Context, user rapport.ID, active bool) error {
	if err := s.dir.SetIdentityActive(ctx, user, active); err != nil {
		return err
	}
	if active {
		return nil
	}
	return s.dir.DeleteUserTokens(ctx, user)
}

// IsPublicClient reports whether clientID is a public client.
func (s *Service) IsPublicClient(clientID string) bool {
	return slices.Contains(s.opt.PublicClients, clientID)
}

package auth_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/storetest"
	"github.com/rapportcrm/rapport/tenant"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const password = "correct horse 9"

func setup(t *testing.T) (*storetest.Env, *auth.Service, *clock) {
	b, err := sqlite.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	env := storetest.NewEnv(t, db)
	c := &clock{t: time.Now().UTC()}
	return env, auth.New(db, nil, auth.Options{}, c.now, nil), c
}

func TestLoginAndSessions(t *testing.T) {
	env, a, c := setup(t)
	ctx := context.Background()
	id, err := a.Login(ctx, auth.Attempt{Username: env.Org.Username, Password: password, Method: "SOAP", SourceIP: "127.0.0.1"})
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if id.UserID != env.Org.UserID {
		t.Fatalf("Login user = %s, want %s", id.UserID, env.Org.UserID)
	}
	s, err := a.NewSession(ctx, id.OrgID, id.UserID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Token[:15] != id.OrgID.Short() || s.Token[15] != '!' {
		t.Fatalf("token %q does not start with the org id", s.Token)
	}
	p, err := a.Validate(ctx, s.Token)
	if err != nil || p.UserID != id.UserID || p.OrgID != id.OrgID {
		t.Fatalf("Validate = %v, %v", p, err)
	}
	if _, err := a.Validate(ctx, s.Token+"x"); !errors.Is(err, auth.ErrInvalidSession) {
		t.Fatalf("Validate(bad) = %v", err)
	}
	// Use keeps the session alive; two idle hours end it.
	c.add(90 * time.Minute)
	if _, err := a.Validate(ctx, s.Token); err != nil {
		t.Fatalf("Validate after 90m: %v", err)
	}
	c.add(90 * time.Minute)
	if _, err := a.Validate(ctx, s.Token); err != nil {
		t.Fatalf("Validate after 180m with use: %v", err)
	}
	c.add(2*time.Hour + time.Second)
	if _, err := a.Validate(ctx, s.Token); !errors.Is(err, auth.ErrInvalidSession) {
		t.Fatalf("Validate after idle: %v", err)
	}

	// Refresh tokens: a public client redeems without a secret; revoking
	// the refresh token revokes its sessions.
	rt, err := a.NewRefreshToken(ctx, id.OrgID, id.UserID, "PlatformCLI")
	if err != nil {
		t.Fatal(err)
	}
	s2, err := a.Refresh(ctx, rt, "PlatformCLI", "")
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if _, err := a.Refresh(ctx, rt, "OtherClient", ""); !errors.Is(err, auth.ErrInvalidGrant) {
		t.Fatalf("Refresh with another client = %v", err)
	}
	if _, err := a.Validate(ctx, rt); !errors.Is(err, auth.ErrInvalidSession) {
		t.Fatalf("a refresh token works as a session: %v", err)
	}
	if err := a.Revoke(ctx, rt); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Validate(ctx, s2.Token); !errors.Is(err, auth.ErrInvalidSession) {
		t.Fatalf("session of a revoked refresh token: %v", err)
	}
	if err := a.Revoke(ctx, rt); !errors.Is(err, auth.ErrInvalidGrant) {
		t.Fatalf("Revoke twice = %v", err)
	}

	// Inactive users can neither log in nor use tokens.
	s3, _ := a.NewSession(ctx, id.OrgID, id.UserID, "", "")
	if err := a.SetUserActive(ctx, id.UserID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Validate(ctx, s3.Token); !errors.Is(err, auth.ErrInvalidSession) {
		t.Fatalf("token of an inactive user: %v", err)
	}
	if _, err := a.Login(ctx, auth.Attempt{Username: env.Org.Username, Password: password}); rapport.ErrorCode(err) != rapport.InvalidLogin {
		t.Fatalf("inactive Login = %v", err)
	}
}

func TestLockout(t *testing.T) {
	env, a, c := setup(t)
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		if _, err := a.Login(ctx, auth.Attempt{Username: env.Org.Username, Password: "wrong 1"}); rapport.ErrorCode(err) != rapport.InvalidLogin {
			t.Fatalf("bad Login %d = %v", i, err)
		}
		c.add(time.Second)
	}
	if _, err := a.Login(ctx, auth.Attempt{Username: env.Org.Username, Password: password}); rapport.ErrorCode(err) != rapport.InvalidLogin {
		t.Fatalf("Login while locked = %v", err)
	}
	c.add(15 * time.Minute)
	if _, err := a.Login(ctx, auth.Attempt{Username: env.Org.Username, Password: password}); err != nil {
		t.Fatalf("Login after the lockout: %v", err)
	}
	// A success resets the count.
	for i := 0; i < 9; i++ {
		a.Login(ctx, auth.Attempt{Username: env.Org.Username, Password: "wrong 1"})
	}
	if _, err := a.Login(ctx, auth.Attempt{Username: env.Org.Username, Password: password}); err != nil {
		t.Fatalf("Login after 9 failures: %v", err)
	}
	hist, err := a.History(ctx, env.Org.OrgID, 100)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, h := range hist {
		counts[h.Outcome]++
	}
	want := map[string]int{tenant.LoginFailed: 19, tenant.LoginLocked: 1, tenant.LoginSuccess: 2}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("history %s = %d, want %d (all %v)", k, counts[k], v, counts)
		}
	}
}

func TestClients(t *testing.T) {
	env, a, _ := setup(t)
	ctx := context.Background()
	creds, err := env.Tenants.CreateConnectedApp(ctx, env.Org.OrgID, "Integration")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Client(ctx, "nope", "x"); !errors.Is(err, auth.ErrUnknownClient) {
		t.Fatalf("unknown client: %v", err)
	}
	if _, err := a.Client(ctx, creds.ClientID, "wrong"); !errors.Is(err, auth.ErrBadClientSecret) {
		t.Fatalf("bad secret: %v", err)
	}
	s, id, err := a.ClientCredentials(ctx, creds.ClientID, creds.ClientSecret, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if id.UserID != env.Org.UserID || s.UserID != env.Org.UserID {
		t.Fatalf("client_credentials runs as %s, want the admin %s", id.UserID, env.Org.UserID)
	}
	rt, _ := a.NewRefreshToken(ctx, env.Org.OrgID, env.Org.UserID, creds.ClientID)
	if _, err := a.Refresh(ctx, rt, creds.ClientID, ""); !errors.Is(err, auth.ErrBadClientSecret) {
		t.Fatalf("confidential refresh without secret: %v", err)
	}
	if _, err := a.Refresh(ctx, rt, creds.ClientID, creds.ClientSecret); err != nil {
		t.Fatalf("confidential refresh: %v", err)
	}
}

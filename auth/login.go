package auth

import (
	"context"
	"fmt"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/tenant"
)

// An Attempt is a login attempt as the API edge saw it.
type Attempt struct {
	Username  string
	Password  string
	Method    string // "SOAP", "OAuth password", …
	ClientID  string
	SourceIP  string
	UserAgent string
}

// The messages of failed logins: Salesforce's, which do not say which part
// was wrong.
const (
	invalidLoginMessage = "Invalid username, password, security token; or user locked out."
	lockedMessage       = "Invalid username, password, security token; or user locked out. Too many failed login attempts: try again later."
)

// Login checks a username and password. Every attempt is written to the
// login history. A failure is a *rapport.Error with code
// rapport.InvalidLogin whatever the reason (unknown user, wrong password,
// inactive user, locked out), or rapport.OrgUnavailable when the org is not
// active.
func (s *Service) Login(ctx context.Context, a Attempt) (tenant.Identity, error) {
	now := s.now().UTC()
	rec := tenant.LoginAttempt{
		Username: a.Username, At: now, SourceIP: a.SourceIP, Method: a.Method,
		ClientID: a.ClientID, UserAgent: truncate(a.UserAgent, 255),
	}
	if len(a.Username) > 255 {
		rec.Username = truncate(a.Username, 255)
	}
	fail := func(outcome, msg string) (tenant.Identity, error) {
		rec.Outcome = outcome
		if err := s.record(ctx, rec); err != nil {
			return tenant.Identity{}, err
		}
		s.log.InfoContext(ctx, "login failed", "org_id", rec.OrgID, "user_id", rec.UserID, "outcome", outcome, "method", a.Method, "source_ip", a.SourceIP)
		return tenant.Identity{}, rapport.Errorf(rapport.InvalidLogin, "%s", msg)
	}

	until, err := s.dir.Lockout(ctx, a.Username)
	if err != nil {
		return tenant.Identity{}, fmt.Errorf("read lockout: %w", err)
	}
	id, idErr := s.dir.Identity(ctx, a.Username)
	if idErr != nil && rapport.ErrorCode(idErr) != rapport.NotFound {
		return tenant.Identity{}, idErr
	}
	rec.OrgID, rec.UserID = id.OrgID, id.UserID
	if now.Before(until) {
		tenant.CheckPassword(s.dummy, a.Password)
		return fail(tenant.LoginLocked, lockedMessage)
	}
	if idErr != nil {
		tenant.CheckPassword(s.dummy, a.Password)
		return s.failed(ctx, rec, fail)
	}
	if !tenant.CheckPassword(id.PasswordHash, a.Password) {
		return s.failed(ctx, rec, fail)
	}
	if !id.Active {
		return fail(tenant.LoginInactive, invalidLoginMessage)
	}
	org, err := s.dir.Org(ctx, id.OrgID)
	if err != nil {
		return tenant.Identity{}, err
	}
	if org.Status != tenant.StatusActive {
		rec.Outcome = "Org Unavailable"
		if err := s.record(ctx, rec); err != nil {
			return tenant.Identity{}, err
		}
		return tenant.Identity{}, rapport.Errorf(rapport.OrgUnavailable, "the org %s is not available: %s", org.ID, org.Status)
	}
	rec.Outcome = tenant.LoginSuccess
	if err := s.record(ctx, rec); err != nil {
		return tenant.Identity{}, err
	}
	s.log.InfoContext(ctx, "login", "org_id", id.OrgID, "user_id", id.UserID, "method", a.Method)
	return id, nil
}

// failed records a wrong password (or unknown user) and locks the username
// when it has failed too often.
func (s *Service) failed(ctx context.Context, rec tenant.LoginAttempt, fail func(outcome, msg string) (tenant.Identity, error)) (tenant.Identity, error) {
	id, err := fail(tenant.LoginFailed, invalidLoginMessage)
	n, cerr := s.dir.RecentFailures(ctx, rec.Username, rec.At.Add(-s.opt.FailureWindow))
	if cerr != nil {
		return id, fmt.Errorf("count failed logins: %w", cerr)
	}
	if n >= s.opt.MaxFailures {
		if lerr := s.dir.SetLockout(ctx, rec.Username, rec.At.Add(s.opt.LockoutDuration)); lerr != nil {
			return id, fmt.Errorf("lock out: %w", lerr)
		}
		s.log.WarnContext(ctx, "login locked out", "org_id", rec.OrgID, "user_id", rec.UserID, "failures", n)
	}
	return id, err
}

func (s *Service) record(ctx context.Context, rec tenant.LoginAttempt) error {
	rec.ID = s.ids.New("0Ya")
	if err := s.dir.AddLoginAttempt(ctx, rec); err != nil {
		return fmt.Errorf("write login history: %w", err)
	}
	return nil
}

// Unlock lifts a username's lockout.
func (s *Service) Unlock(ctx context.Context, username string) error {
	return s.dir.SetLockout(ctx, username, timeZero)
}

// History returns an org's login history, newest first.
func (s *Service) History(ctx context.Context, org rapport.ID, limit int) ([]tenant.LoginAttempt, error) {
	return s.dir.LoginHistory(ctx, org, limit)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

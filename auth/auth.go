package auth

import (
	"errors"
	"log/slog"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/tenant"
)

// Options tune sessions and lockout. Zero values take the defaults.
type Options struct {
	SessionTimeout  time.Duration // inactivity before a session expires; 2h
	RefreshTimeout  time.Duration // inactivity before a refresh token expires; 0: never
	TouchInterval   time.Duration // how often a use is written; 1m
	MaxFailures     int           // failed logins that lock a username; 10
	FailureWindow   time.Duration // window in which they count; 15m
	LockoutDuration time.Duration // how long the lock lasts; 15m
	// PublicClients are client IDs without secrets; default PlatformCLI.
	PublicClients []string
}

func (o *Options) defaults() {
	if o.SessionTimeout <= 0 {
		o.SessionTimeout = 2 * time.Hour
	}
	if o.TouchInterval <= 0 {
		o.TouchInterval = time.Minute
	}
	if o.MaxFailures <= 0 {
		o.MaxFailures = 10
	}
	if o.FailureWindow <= 0 {
		o.FailureWindow = 15 * time.Minute
	}
	if o.LockoutDuration <= 0 {
		o.LockoutDuration = 15 * time.Minute
	}
	if o.PublicClients == nil {
		o.PublicClients = []string{"PlatformCLI"}
	}
}

// Service checks logins and keeps sessions.
type Service struct {
	dir   tenant.Directory
	ids   *rapport.IDGenerator
	now   func() time.Time
	log   *slog.Logger
	opt   Options
	dummy string // a password hash to spend time on for unknown users
}

// New returns an auth service over the system database dir.
func New(dir tenant.Directory, ids *rapport.IDGenerator, opt Options, now func() time.Time, log *slog.Logger) *Service {
	opt.defaults()
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if ids == nil {
		ids = rapport.NewIDGenerator(now)
	}
	dummy, _ := tenant.HashPassword("not a real password 0")
	return &Service{dir: dir, ids: ids, now: now, log: log, opt: opt, dummy: dummy}
}

// Options returns the service's options, defaults filled in.
func (s *Service) Options() Options { return s.opt }

// Errors of the token and client checks. Login failures are
// *rapport.Error with code rapport.InvalidLogin.
var (
	// ErrInvalidSession: the token is unknown, expired, revoked, or its
	// user inactive.
	ErrInvalidSession = errors.New("session expired or invalid")
	// ErrInvalidGrant: a refresh token is unknown, expired or revoked, or
	// was issued to another client.
	ErrInvalidGrant = errors.New("expired access/refresh token")
	// ErrUnknownClient: no connected app has the client ID.
	ErrUnknownClient = errors.New("client identifier invalid")
	// ErrBadClientSecret: the client secret is wrong or missing.
	ErrBadClientSecret = errors.New("invalid client credentials")
)

package tenant

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// Service creates orgs and manages what the system database holds.
type Service struct {
	dir     Directory
	records *record.Service
	now     func() time.Time
	log     *slog.Logger
}

// NewService returns a tenant service.
func NewService(dir Directory, records *record.Service, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{dir: dir, records: records, now: now, log: log}
}

// Directory returns the system database.
func (s *Service) Directory() Directory { return s.dir }

// OrgParams describe a new org and its first user, an administrator.
type OrgParams struct {
	Name     string
	Username string // email-shaped, unique across all orgs
	Password string
	Email    string // defaults to Username
	// FirstName and LastName of the administrator; LastName defaults to
	// "Administrator".
	FirstName, LastName string
	Currency            string // ISO 4217 code; default USD
	TimeZone            string // IANA name; default America/Los_Angeles
	Locale              string // e.g. en_US (the default)
	FiscalYearStart     int    // month 1–12; default 1
}

// NewOrg is what CreateOrg made.
type NewOrg struct {
	OrgID    rapport.ID `json:"orgId"`
	UserID   rapport.ID `json:"userId"`
	Username string     `json:"username"`
}

var (
	localePattern   = regexp.MustCompile(`^[a-z]{2,3}(_[A-Z]{2})?$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

func invalid(field, format string, args ...any) error {
	return rapport.FieldErrorf(rapport.InvalidArgument, []string{field}, format, args...)
}

func (p *OrgParams) check() error {
	p.Name = strings.TrimSpace(p.Name)
	p.Username = strings.TrimSpace(p.Username)
	if p.Name == "" || utf8.RuneCountInString(p.Name) > 80 {
		return invalid("Name", "the org name must have 1 to 80 characters")
	}
	if !emailShaped(p.Username) || len(p.Username) > 80 {
		return invalid("Username", "the username must look like an email address (name@example.com), at most 80 characters: %q", p.Username)
	}
	if err := CheckPasswordPolicy(p.Password); err != nil {
		return err
	}
	if p.Email == "" {
		p.Email = p.Username
	}
	if !emailShaped(p.Email) {
		return invalid("Email", "invalid email address: %q", p.Email)
	}
	if p.LastName == "" {
		p.LastName = "Administrator"
	}
	if p.Currency == "" {
		p.Currency = "USD"
	}
	if !currencyPattern.MatchString(p.Currency) {
		return invalid("Currency", "the currency must be an ISO 4217 code such as USD or EUR: %q", p.Currency)
	}
	if p.TimeZone == "" {
		p.TimeZone = "America/Los_Angeles"
	}
	if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "Local" {
		return invalid("TimeZone", "unknown time zone %q: use an IANA name such as Europe/Paris", p.TimeZone)
	}
	if p.Locale == "" {
		p.Locale = "en_US"
	}
	if !localePattern.MatchString(p.Locale) {
		return invalid("Locale", "the locale must look like en_US: %q", p.Locale)
	}
	if p.FiscalYearStart == 0 {
		p.FiscalYearStart = 1
	}
	if p.FiscalYearStart < 1 || p.FiscalYearStart > 12 {
		return invalid("FiscalYearStart", "the fiscal year starts in a month from 1 to 12, not %d", p.FiscalYearStart)
	}
	return nil
}

func emailShaped(s string) bool {
	a, err := mail.ParseAddress(s)
	at := strings.LastIndexByte(s, '@')
	return err == nil && a.Address == s && at > 0 && strings.Contains(s[at:], ".")
}

// CreateOrg creates an org: its namespace, the standard objects, the
// standard profiles, the Organization record and an administrator who can
// log in with Username and Password. On failure nothing is left behind.
func (s *Service) CreateOrg(ctx context.Context, p OrgParams) (NewOrg, error) {
	if err := p.check(); err != nil {
		return NewOrg{}, err
	}
	if _, err := s.dir.Identity(ctx, p.Username); err == nil {
		return NewOrg{}, rapport.FieldErrorf(rapport.DuplicateValue, []string{"Username"}, "the username %s is already taken", p.Username)
	} else if rapport.ErrorCode(err) != rapport.NotFound {
		return NewOrg{}, err
	}
	hash, err := HashPassword(p.Password)
	if err != nil {
		return NewOrg{}, err
	}
	ids := s.records.IDs()
	org := NewOrg{OrgID: ids.New("00D"), UserID: ids.New("005"), Username: p.Username}
	now := s.now().UTC()
	if err := s.dir.AddOrg(ctx, Org{ID: org.OrgID, Name: p.Name, Status: StatusCreating, CreatedAt: now}); err != nil {
		return NewOrg{}, fmt.Errorf("create org: %w", err)
	}
	err = s.populate(ctx, org, p, hash, now)
	if err != nil {
		cleanup := context.WithoutCancel(ctx)
		s.records.Forget(org.OrgID)
		if derr := errors.Join(s.dir.DropNamespace(cleanup, org.OrgID), s.dir.DeleteOrg(cleanup, org.OrgID)); derr != nil {
			s.log.ErrorContext(ctx, "clean up failed org", "org_id", org.OrgID, "error", derr)
		}
		return NewOrg{}, err
	}
	s.log.InfoContext(ctx, "org created", "org_id", org.OrgID, "user_id", org.UserID)
	return org, nil
}

func (s *Service) populate(ctx context.Context, org NewOrg, p OrgParams, hash string, now time.Time) error {
	if err := s.dir.CreateNamespace(ctx, org.OrgID); err != nil {
		return fmt.Errorf("create org namespace: %w", err)
	}
	ctx = rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org.OrgID, UserID: org.UserID, System: true})
	if err := s.records.InstallObjects(ctx, metadata.StandardObjects()); err != nil {
		return fmt.Errorf("install standard objects: %w", err)
	}
	profileIDs, err := s.createProfiles(ctx)
	if err != nil {
		return err
	}
	language := strings.SplitN(p.Locale, "_", 2)[0]
	if language == "en" {
		language = "en_US"
	}
	_, err = must(s.records.Create(ctx, "Organization", []map[string]any{{
		"Id": string(org.OrgID), "Name": p.Name, "DefaultLocaleSidKey": p.Locale, "TimeZoneSidKey": p.TimeZone,
		"LanguageLocaleKey": language, "DefaultCurrencyIsoCode": p.Currency, "FiscalYearStartMonth": p.FiscalYearStart,
		"OrganizationType": "Enterprise Edition", "InstanceName": "RPT1", "IsSandbox": false,
	}}, record.WriteOptions{AllOrNone: true}))
	if err != nil {
		return fmt.Errorf("create organization record: %w", err)
	}
	alias := strings.ToLower(firstRunes(p.FirstName, 1) + firstRunes(p.LastName, 4))
	_, err = must(s.records.Create(ctx, "User", []map[string]any{{
		"Id": string(org.UserID), "Username": p.Username, "Email": p.Email, "FirstName": p.FirstName, "LastName": p.LastName,
		"Alias": alias, "CommunityNickname": strings.SplitN(p.Username, "@", 2)[0], "ProfileId": string(profileIDs[0]), "IsActive": true,
		"TimeZoneSidKey": p.TimeZone, "LocaleSidKey": p.Locale, "LanguageLocaleKey": language, "EmailEncodingKey": "UTF-8",
		"DefaultCurrencyIsoCode": p.Currency,
	}}, record.WriteOptions{AllOrNone: true}))
	if err != nil {
		return fmt.Errorf("create administrator: %w", err)
	}
	if err := s.dir.AddIdentity(ctx, Identity{Username: p.Username, OrgID: org.OrgID, UserID: org.UserID, PasswordHash: hash, Active: true, CreatedAt: now}); err != nil {
		return err
	}
	return s.dir.SetOrgStatus(ctx, org.OrgID, StatusActive, "")
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// Authenticate checks a username and password and returns the login. Every
// failure is the same INVALID_LOGIN, so callers learn nothing about which
// part was wrong.
func (s *Service) Authenticate(ctx context.Context, username, password string) (Identity, error) {
	bad := rapport.Errorf(rapport.InvalidLogin, "Invalid username, password, security token; or user locked out.")
	id, err := s.dir.Identity(ctx, username)
	if rapport.ErrorCode(err) == rapport.NotFound {
		// Spend the same time as a real check.
		CheckPassword(dummyHash, password)
		return Identity{}, bad
	}
	if err != nil {
		return Identity{}, err
	}
	if !CheckPassword(id.PasswordHash, password) || !id.Active {
		return Identity{}, bad
	}
	org, err := s.dir.Org(ctx, id.OrgID)
	if err != nil {
		return Identity{}, err
	}
	if org.Status != StatusActive {
		return Identity{}, rapport.Errorf(rapport.OrgUnavailable, "the org %s is not available: %s", org.ID, org.Status)
	}
	return id, nil
}

var dummyHash, _ = HashPassword("not a real password 0")

// AppCredentials are a new connected app's client ID and secret. The secret
// is shown once; only its hash is kept.
type AppCredentials struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
}

// CreateConnectedApp registers an OAuth client for org.
func (s *Service) CreateConnectedApp(ctx context.Context, org rapport.ID, name string) (AppCredentials, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 80 {
		return AppCredentials{}, invalid("Name", "the connected app name must have 1 to 80 characters")
	}
	o, err := s.dir.Org(ctx, org)
	if err != nil {
		return AppCredentials{}, err
	}
	if o.Status != StatusActive {
		return AppCredentials{}, rapport.Errorf(rapport.OrgUnavailable, "the org %s is not available: %s", org, o.Status)
	}
	id := make([]byte, 24)
	secret := make([]byte, 32)
	if _, err := rand.Read(id); err != nil {
		return AppCredentials{}, err
	}
	if _, err := rand.Read(secret); err != nil {
		return AppCredentials{}, err
	}
	creds := AppCredentials{
		ClientID:     "3MVG" + base64.RawURLEncoding.EncodeToString(id),
		ClientSecret: strings.ToUpper(hex.EncodeToString(secret)),
	}
	err = s.dir.AddConnectedApp(ctx, ConnectedApp{ClientID: creds.ClientID, OrgID: org, Name: name, SecretHash: HashSecret(creds.ClientSecret), CreatedAt: s.now().UTC()})
	return creds, err
}

// HashSecret hashes a random, high-entropy secret (a client secret, a
// token) for storage. Secrets chosen by people are hashed with
// HashPassword instead.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// MigrateResult reports one org's migration.
type MigrateResult struct {
	Org rapport.ID
	Err error
}

// Migrate brings every org's namespace to this build's layout, one org at a
// time. An org that fails is marked and refused until a later migration
// succeeds; the others go on.
func (s *Service) Migrate(ctx context.Context) ([]MigrateResult, error) {
	orgs, err := s.dir.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	var out []MigrateResult
	for _, o := range orgs {
		if o.Status == StatusCreating {
			continue
		}
		err := s.dir.MigrateOrg(ctx, o.ID)
		if err == nil {
			err = s.upgradeOrg(ctx, o.ID)
		}
		switch {
		case err != nil:
			s.log.ErrorContext(ctx, "org migration failed", "org_id", o.ID, "error", err)
			if serr := s.dir.SetOrgStatus(ctx, o.ID, StatusMigrationFailed, err.Error()); serr != nil {
				return out, serr
			}
		case o.Status == StatusMigrationFailed:
			if serr := s.dir.SetOrgStatus(ctx, o.ID, StatusActive, ""); serr != nil {
				return out, serr
			}
		}
		out = append(out, MigrateResult{Org: o.ID, Err: err})
	}
	return out, nil
}

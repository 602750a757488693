package tenant

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
)

// UserParams describe a new user of an org who logs in with a password.
type UserParams struct {
	Username string // email-shaped, unique across all orgs
	Password string
	Email    string // defaults to Username
	// FirstName and LastName; LastName is required.
	FirstName, LastName string
	Title               string
	// Profile is the name of one of the org's profiles, such as
	// "Standard User" or "Read Only".
	Profile string
	// Role is the user's UserRole, if any.
	Role rapport.ID
	// Manager is the user's manager, if any.
	Manager rapport.ID
}

func (p *UserParams) check() error {
	p.Username = strings.TrimSpace(p.Username)
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
	if strings.TrimSpace(p.LastName) == "" {
		return invalid("LastName", "a user needs a last name")
	}
	if strings.TrimSpace(p.Profile) == "" {
		return invalid("Profile", "a user needs a profile")
	}
	return nil
}

// CreateUser adds a user to an active org: the User record, with the org's
// time zone, locale, language and currency, and the login that lets the
// user in with Username and Password. The username must be free in every
// org.
func (s *Service) CreateUser(ctx context.Context, org rapport.ID, p UserParams) (rapport.ID, error) {
	if err := p.check(); err != nil {
		return "", err
	}
	o, err := s.dir.Org(ctx, org)
	if err != nil {
		return "", err
	}
	if o.Status != StatusActive {
		return "", rapport.Errorf(rapport.OrgUnavailable, "the org %s is not available: %s", org, o.Status)
	}
	if _, err := s.dir.Identity(ctx, p.Username); err == nil {
		return "", rapport.FieldErrorf(rapport.DuplicateValue, []string{"Username"}, "the username %s is already taken", p.Username)
	} else if rapport.ErrorCode(err) != rapport.NotFound {
		return "", err
	}
	hash, err := HashPassword(p.Password)
	if err != nil {
		return "", err
	}
	// The caller, an administrator of the org, is who created the user;
	// the writes run as the system (a user's login fields are Rapport's).
	caller := rapport.CurrentPrincipal(ctx)
	if caller.OrgID != org || caller.System {
		caller = rapport.Principal{}
	}
	callerCtx := ctx
	ctx = rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org, UserID: caller.UserID, System: true})
	profile, err := s.profileID(ctx, p.Profile)
	if err != nil {
		return "", err
	}
	orgs, err := s.records.Get(ctx, "Organization", []string{string(org)},
		[]string{"TimeZoneSidKey", "DefaultLocaleSidKey", "LanguageLocaleKey", "DefaultCurrencyIsoCode"}, false)
	if err != nil {
		return "", err
	}
	if orgs[0] == nil {
		return "", fmt.Errorf("org %s has no Organization record", org)
	}
	settings := orgs[0].Values
	user := map[string]any{
		"Username": p.Username, "Email": p.Email, "FirstName": p.FirstName, "LastName": p.LastName, "Title": p.Title,
		"Alias":             strings.ToLower(firstRunes(p.FirstName, 1) + firstRunes(p.LastName, 4)),
		"CommunityNickname": nickname(p.Username), "ProfileId": string(profile), "IsActive": true,
		"TimeZoneSidKey": settings["TimeZoneSidKey"], "LocaleSidKey": settings["DefaultLocaleSidKey"],
		"LanguageLocaleKey": settings["LanguageLocaleKey"], "DefaultCurrencyIsoCode": settings["DefaultCurrencyIsoCode"],
		"EmailEncodingKey": "UTF-8",
	}
	if p.Role != "" {
		user["UserRoleId"] = string(p.Role)
	}
	if p.Manager != "" {
		user["ManagerId"] = string(p.Manager)
	}
	rs, err := must(s.records.Create(ctx, "User", []map[string]any{user}, record.WriteOptions{AllOrNone: true}))
	if err != nil {
		return "", fmt.Errorf("create user %s: %w", p.Username, err)
	}
	id := rs[0].ID
	err = s.dir.AddIdentity(ctx, Identity{Username: p.Username, OrgID: org, UserID: id, PasswordHash: hash, Active: true, CreatedAt: s.now().UTC()})
	if err != nil {
		// Someone took the username since it was checked: the user stays,
		// inactive and without a login.
		if _, uerr := s.records.Update(ctx, "User", []map[string]any{{"Id": string(id), "IsActive": false}}, record.WriteOptions{}); uerr != nil {
			s.log.ErrorContext(ctx, "deactivate user without login", "org_id", org, "user_id", id, "error", uerr)
		}
		return "", err
	}
	s.log.InfoContext(ctx, "user created", "org_id", org, "user_id", id)
	if caller.UserID != "" {
		name := strings.TrimSpace(p.FirstName + " " + p.LastName)
		if err := s.records.Audit(callerCtx, "Manage Users", "createdUser",
			fmt.Sprintf("Created user %s (%s) with profile %s", name, p.Username, p.Profile)); err != nil {
			s.log.ErrorContext(ctx, "audit a new user", "org_id", org, "user_id", id, "error", err)
		}
	}
	return id, nil
}

// profileID finds a profile of the principal's org by name.
func (s *Service) profileID(ctx context.Context, name string) (rapport.ID, error) {
	var id rapport.ID
	err := s.records.Scan(ctx, "Profile", []string{"Id", "Name"}, func(v map[string]any) error {
		if n, _ := v["Name"].(string); strings.EqualFold(n, name) {
			id = v["Id"].(rapport.ID)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", invalid("Profile", "the org has no profile named %q", name)
	}
	return id, nil
}

// nickname is a user's CommunityNickname: the username's local part, as
// CreateOrg gives the first user.
func nickname(username string) string {
	return firstRunes(strings.SplitN(username, "@", 2)[0], 40)
}

package tenant

import (
	"context"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
)

// SetPassword gives a user of org a new password, which must meet the
// password policy; the old one stops working. The user's
// LastPasswordChangeDate records when.
func (s *Service) SetPassword(ctx context.Context, org, user rapport.ID, password string) error {
	if err := CheckPasswordPolicy(password); err != nil {
		return err
	}
	id, err := s.dir.IdentityByUser(ctx, user)
	if err != nil {
		return err
	}
	if id.OrgID != org {
		return rapport.Errorf(rapport.NotFound, "no user %s in this org", user)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.dir.SetPasswordHash(ctx, user, hash); err != nil {
		return err
	}
	sys := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org, UserID: rapport.CurrentPrincipal(ctx).UserID, System: true})
	if _, err := must(s.records.Update(sys, "User", []map[string]any{{"Id": string(user), "LastPasswordChangeDate": s.now().UTC()}}, record.WriteOptions{AllOrNone: true})); err != nil {
		s.log.WarnContext(ctx, "record a password change", "org_id", org, "user_id", user, "error", err)
	}
	s.log.InfoContext(ctx, "password set", "org_id", org, "user_id", user)
	return nil
}

// ConnectedApps lists org's connected apps, oldest first. Their secrets
// are not kept, only hashes.
func (s *Service) ConnectedApps(ctx context.Context, org rapport.ID) ([]ConnectedApp, error) {
	return s.dir.ConnectedApps(ctx, org)
}

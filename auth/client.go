package auth

import (
	"context"
	"crypto/subtle"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/tenant"
)

// Client checks a confidential client's ID and secret.
func (s *Service) Client(ctx context.Context, clientID, secret string) (tenant.ConnectedApp, error) {
	if clientID == "" || len(clientID) > 256 {
		return tenant.ConnectedApp{}, ErrUnknownClient
	}
	app, err := s.dir.ConnectedApp(ctx, clientID)
	if rapport.ErrorCode(err) == rapport.NotFound {
		return app, ErrUnknownClient
	}
	if err != nil {
		return app, err
	}
	if secret == "" || subtle.ConstantTimeCompare([]byte(tenant.HashSecret(secret)), []byte(app.SecretHash)) != 1 {
		return app, ErrBadClientSecret
	}
	return app, nil
}

// CheckClient checks the client of a password grant: a public client
// needs no secret; a connected app needs its secret; clientID may be empty
// for neither.
func (s *Service) CheckClient(ctx context.Context, clientID, secret string) error {
	if clientID == "" || (s.IsPublicClient(clientID) && secret == "") {
		return nil
	}
	_, err := s.Client(ctx, clientID, secret)
	return err
}

// RunAs returns the user a connected app's client_credentials grant acts
// as: its configured run-as user, or the org's first administrator.
func (s *Service) RunAs(ctx context.Context, app tenant.ConnectedApp) (tenant.Identity, error) {
	user, err := s.dir.ConnectedAppRunAs(ctx, app.ClientID)
	if err != nil {
		return tenant.Identity{}, err
	}
	var id tenant.Identity
	if user != "" {
		id, err = s.dir.IdentityByUser(ctx, user)
	} else {
		id, err = s.dir.FirstIdentity(ctx, app.OrgID)
	}
	if err != nil {
		return id, err
	}
	if id.OrgID != app.OrgID || !id.Active {
		return id, ErrBadClientSecret
	}
	return id, nil
}

// ClientCredentials runs the client_credentials grant: it checks the
// client and opens a session for its run-as user, recording the attempt in
// the login history.
func (s *Service) ClientCredentials(ctx context.Context, clientID, secret, sourceIP, userAgent string) (Session, tenant.Identity, error) {
	app, err := s.Client(ctx, clientID, secret)
	if err != nil {
		return Session{}, tenant.Identity{}, err
	}
	id, err := s.RunAs(ctx, app)
	if err != nil {
		return Session{}, id, err
	}
	rec := tenant.LoginAttempt{
		Username: id.Username, OrgID: id.OrgID, UserID: id.UserID, At: s.now().UTC(), SourceIP: sourceIP,
		Outcome: tenant.LoginSuccess, Method: "OAuth client_credentials", ClientID: clientID, UserAgent: truncate(userAgent, 255),
	}
	if err := s.record(ctx, rec); err != nil {
		return Session{}, id, err
	}
	sess, err := s.NewSession(ctx, id.OrgID, id.UserID, clientID, "")
	return sess, id, err
}

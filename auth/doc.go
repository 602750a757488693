// Package auth keeps who may call Rapport's APIs: it checks logins with
// throttling and lockout and writes every attempt to the login history, and
// it issues, validates and revokes sessions (access tokens) and OAuth refresh
// tokens. Wire formats (SOAP, OAuth 2.0, REST) are package restapi's; this
// package only decides.
//
// Tokens. An access token is "{orgId15}!{opaque}", opaque being
// [A-Za-z0-9._]+, the shape Salesforce clients check; a refresh token is
// opaque. Only tenant.HashSecret of a token is stored, in the system
// database, with its org, user, client, creation, last use and expiry. A
// session expires after Options.SessionTimeout without use (two hours by
// default); each use moves the expiry, written at most once per
// Options.TouchInterval. Refresh tokens do not expire unless
// Options.RefreshTimeout is set, and revoking one revokes the sessions
// minted from it. A user whose login is inactive can neither log in nor use
// a token.
//
// Lockout. Options.MaxFailures failed logins for one username within
// Options.FailureWindow, counted since its last successful login, lock the
// username for Options.LockoutDuration; unknown usernames are counted and
// locked alike, so that a lockout tells nothing about which usernames
// exist.
//
// Clients. A connected app (tenant.CreateConnectedApp) is a confidential
// client: its secret is required. The client IDs in Options.PublicClients
// (by default "PlatformCLI", the sf CLI's built-in client) are public: they
// have no secret and may redeem, with an empty secret, only refresh tokens
// issued to that same client ID (see NewRefreshToken). The
// client_credentials grant runs as the connected app's configured run-as
// user (tenant.Directory.SetConnectedAppRunAs) or, when none is set, as the
// org's first administrator.
package auth

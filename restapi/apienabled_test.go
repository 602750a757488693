package restapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/security"
	"github.com/rapportcrm/rapport/tenant"
)

// TestAPIEnabled: a user whose permissions lack API Enabled is refused by
// every REST call with API_CURRENTLY_DISABLED; granting it opens the API.
func TestAPIEnabled(t *testing.T) {
	h := sqliteHarness(t)
	e := h.env
	// A new profile owns a permission set that grants nothing yet.
	h.create("Profile", `{"Name":"No API"}`)
	username := "noapi@" + string(e.Org.OrgID) + ".example"
	user, _ := e.NewUser("No API", username)
	hash, err := tenant.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.AddIdentity(e.Ctx, tenant.Identity{Username: username, OrgID: e.Org.OrgID, UserID: user, PasswordHash: hash, Active: true, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	sess, err := h.auth.NewSession(e.Ctx, e.Org.OrgID, user, "PlatformCLI", "")
	if err != nil {
		t.Fatal(err)
	}
	u := &harness{t: t, env: e, srv: h.srv, auth: h.auth, token: sess.Token}
	res := u.do("GET", v+"/sobjects/Account/describe", "")
	want(t, "status without API Enabled", res.status, 403)
	want(t, "errorCode", res.errorCode(), "API_CURRENTLY_DISABLED")
	e.Grant(user, security.APIEnabled)
	res = u.do("GET", v+"/limits", "")
	want(t, "status with API Enabled", res.status, 200)
}

// TestFrozenUser: freezing a user ends their sessions and refuses their
// logins, with the errors a bad password or a dead session get; unfreezing
// restores both.
func TestFrozenUser(t *testing.T) {
	h := sqliteHarness(t)
	e := h.env
	username := "frozen@" + string(e.Org.OrgID) + ".example"
	user, _ := e.NewUser("Standard User", username)
	hash, err := tenant.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.AddIdentity(e.Ctx, tenant.Identity{Username: username, OrgID: e.Org.OrgID, UserID: user, PasswordHash: hash, Active: true, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	login := func() response {
		return h.form("/services/oauth2/token", "grant_type=password&client_id=PlatformCLI&username="+username+"&password="+strings.ReplaceAll(password, " ", "+"))
	}
	res := login()
	want(t, "login before freezing", res.status, 200)
	u := &harness{t: t, env: e, srv: h.srv, auth: h.auth, token: res.obj()["access_token"].(string)}
	want(t, "call before freezing", u.do("GET", v+"/limits", "").status, 200)

	h.do("PATCH", v+"/sobjects/User/"+string(user), `{"IsFrozen":true}`)
	res = u.do("GET", v+"/limits", "")
	want(t, "call when frozen", res.status, 401)
	want(t, "errorCode when frozen", res.errorCode(), "INVALID_SESSION_ID")
	res = login()
	want(t, "login when frozen", res.status, 400)
	want(t, "oauth error when frozen", res.obj()["error"], any("invalid_grant"))

	h.do("PATCH", v+"/sobjects/User/"+string(user), `{"IsFrozen":false}`)
	want(t, "login after unfreezing", login().status, 200)
}

package restapi_test

import (
	"context"
	"encoding/xml"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var tokenShape = regexp.MustCompile(`^00D\w{12}![.\w]+$`)

func soapEnvelope(username, pw string, prefixed bool) string {
	if prefixed { // simpleforce
		return `<?xml version="1.0" encoding="utf-8" ?><env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com"><env:Header><urn:CallOptions><urn:client>x</urn:client><urn:defaultNamespace>sf</urn:defaultNamespace></urn:CallOptions></env:Header><env:Body><n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>` +
			username + `</n1:username><n1:password>` + pw + `</n1:password></n1:login></env:Body></env:Envelope>`
	}
	return `<?xml version="1.0" encoding="utf-8" ?><se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header/><se:Body><login xmlns="urn:partner.soap.sforce.com"><username>` +
		username + `</username><password>` + pw + `</password></login></se:Body></se:Envelope>`
}

func TestSOAPLogin(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		for _, prefixed := range []bool{false, true} {
			res := h.request("POST", "/services/Soap/u/50.0", "text/xml", strings.NewReader(soapEnvelope(h.env.Org.Username, password, prefixed)), "SOAPAction", "login")
			if res.status != 200 {
				t.Fatalf("SOAP login: %d %s", res.status, res.body)
			}
			var out struct {
				ServerURL string `xml:"Body>loginResponse>result>serverUrl"`
				SessionID string `xml:"Body>loginResponse>result>sessionId"`
				UserID    string `xml:"Body>loginResponse>result>userId"`
				OrgID     string `xml:"Body>loginResponse>result>userInfo>organizationId"`
				UserName  string `xml:"Body>loginResponse>result>userInfo>userName"`
				Expired   string `xml:"Body>loginResponse>result>passwordExpired"`
			}
			if err := xml.Unmarshal(res.body, &out); err != nil {
				t.Fatalf("SOAP response: %v\n%s", err, res.body)
			}
			want(t, "serverUrl", out.ServerURL, h.srv.URL+"/services/Soap/u/50.0/"+h.env.Org.OrgID.Short())
			want(t, "userId", out.UserID, string(h.env.Org.UserID))
			want(t, "organizationId", out.OrgID, string(h.env.Org.OrgID))
			want(t, "userName", out.UserName, h.env.Org.Username)
			want(t, "passwordExpired", out.Expired, "false")
			if !tokenShape.MatchString(out.SessionID) {
				t.Errorf("sessionId %q is not shaped 00D…!…", out.SessionID)
			}
			for _, tag := range []string{"<serverUrl>", "<sessionId>", "<userId>", "<organizationId>"} {
				if !strings.Contains(string(res.body), tag) {
					t.Errorf("response lacks the unprefixed %s", tag)
				}
			}
			// The session works, and logout ends it.
			h2 := *h
			h2.token = out.SessionID
			want(t, "GET with SOAP session", h2.do("GET", v+"/limits", "").status, 200)
			logout := `<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header><SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>` + out.SessionID + `</sessionId></SessionHeader></se:Header><se:Body><logout xmlns="urn:partner.soap.sforce.com"/></se:Body></se:Envelope>`
			lres := h.request("POST", "/services/Soap/u/50.0/"+h.env.Org.OrgID.Short(), "text/xml", strings.NewReader(logout))
			want(t, "logout status", lres.status, 200)
			want(t, "after logout", h2.do("GET", v+"/limits", "").status, 401)
		}
		bad := h.request("POST", "/services/Soap/u/50.0", "text/xml", strings.NewReader(soapEnvelope(h.env.Org.Username, "wrong 1", false)))
		want(t, "bad login status", bad.status, 500)
		var fault struct {
			Code   string `xml:"Body>Fault>faultcode"`
			String string `xml:"Body>Fault>faultstring"`
		}
		if err := xml.Unmarshal(bad.body, &fault); err != nil {
			t.Fatal(err)
		}
		want(t, "faultcode", fault.Code, "sf:INVALID_LOGIN")
		want(t, "faultstring", fault.String, "INVALID_LOGIN: Invalid username, password, security token; or user locked out.")
		for _, body := range []string{"", "<x/>", "not xml", `<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Body/></se:Envelope>`} {
			res := h.request("POST", "/services/Soap/u/50.0", "text/xml", strings.NewReader(body))
			want(t, "malformed SOAP status", res.status, 500)
		}
		want(t, "unknown version", h.request("POST", "/services/Soap/u/5.0", "text/xml", strings.NewReader(soapEnvelope(h.env.Org.Username, password, false))).status, 500)
	})
}

func TestOAuth(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		app, err := h.env.Tenants.CreateConnectedApp(ctx, h.env.Org.OrgID, "Integration")
		if err != nil {
			t.Fatal(err)
		}
		form := func(kv ...string) string {
			q := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				q.Set(kv[i], kv[i+1])
			}
			return q.Encode()
		}
		res := h.form("/services/oauth2/token", form("grant_type", "password", "client_id", app.ClientID, "client_secret", app.ClientSecret, "username", h.env.Org.Username, "password", password))
		want(t, "password grant", res.status, 200)
		tok := res.obj()
		for _, k := range []string{"access_token", "instance_url", "id", "token_type", "issued_at", "signature", "scope"} {
			if _, ok := tok[k].(string); !ok {
				t.Errorf("token response lacks %s: %s", k, res.body)
			}
		}
		if _, ok := tok["refresh_token"]; ok {
			t.Errorf("password grant returned a refresh token")
		}
		want(t, "instance_url", tok["instance_url"].(string), h.srv.URL)
		want(t, "id", tok["id"].(string), h.srv.URL+"/id/"+string(h.env.Org.OrgID)+"/"+string(h.env.Org.UserID))
		if !tokenShape.MatchString(tok["access_token"].(string)) {
			t.Errorf("access_token %q", tok["access_token"])
		}
		if !regexp.MustCompile(`^\d{13}$`).MatchString(tok["issued_at"].(string)) {
			t.Errorf("issued_at %q", tok["issued_at"])
		}

		errCases := []struct {
			name, body, code string
		}{
			{"bad password", form("grant_type", "password", "client_id", app.ClientID, "client_secret", app.ClientSecret, "username", h.env.Org.Username, "password", "nope 1"), "invalid_grant"},
			{"bad secret", form("grant_type", "password", "client_id", app.ClientID, "client_secret", "x", "username", h.env.Org.Username, "password", password), "invalid_client"},
			{"unknown client", form("grant_type", "client_credentials", "client_id", "nope", "client_secret", "x"), "invalid_client_id"},
			{"grant", form("grant_type", "magic"), "unsupported_grant_type"},
			{"refresh", form("grant_type", "refresh_token", "refresh_token", "5Aepnope", "client_id", "PlatformCLI"), "invalid_grant"},
		}
		for _, tc := range errCases {
			res := h.form("/services/oauth2/token", tc.body)
			want(t, tc.name+" status", res.status, 400)
			want(t, tc.name+" error", res.obj()["error"].(string), tc.code)
		}

		res = h.form("/services/oauth2/token", form("grant_type", "client_credentials", "client_id", app.ClientID, "client_secret", app.ClientSecret))
		want(t, "client_credentials", res.status, 200)
		if _, ok := res.obj()["id"].(string); !ok {
			t.Errorf("client_credentials without id")
		}

		// userinfo and identity.
		res = h.do("GET", "/services/oauth2/userinfo", "")
		want(t, "userinfo", res.status, 200)
		ui := res.obj()
		want(t, "userinfo user_id", ui["user_id"].(string), string(h.env.Org.UserID))
		want(t, "userinfo organization_id", ui["organization_id"].(string), string(h.env.Org.OrgID))
		want(t, "userinfo preferred_username", ui["preferred_username"].(string), h.env.Org.Username)
		idPath := "/id/" + string(h.env.Org.OrgID) + "/" + string(h.env.Org.UserID)
		res = h.request("GET", idPath+"?oauth_token="+url.QueryEscape(h.token)+"&format=json", "", nil)
		want(t, "identity", res.status, 200)
		want(t, "identity username", res.obj()["username"].(string), h.env.Org.Username)
		if u := res.obj()["urls"].(map[string]any)["rest"].(string); !strings.Contains(u, "{version}") {
			t.Errorf("identity urls.rest = %q", u)
		}
		want(t, "identity without token", h.request("GET", idPath, "", nil).status, 401)

		// Refresh with the public client, then revoke.
		rt, err := h.authService().NewRefreshToken(ctx, h.env.Org.OrgID, h.env.Org.UserID, "PlatformCLI")
		if err != nil {
			t.Fatal(err)
		}
		res = h.form("/services/oauth2/token", form("grant_type", "refresh_token", "refresh_token", rt, "client_id", "PlatformCLI"))
		want(t, "refresh", res.status, 200)
		fresh := res.obj()["access_token"].(string)
		h2 := *h
		h2.token = fresh
		want(t, "refreshed token works", h2.do("GET", v, "").status, 200)
		want(t, "revoke", h.form("/services/oauth2/revoke", "token="+url.QueryEscape(rt)).status, 200)
		want(t, "refreshed token after revoke", h2.do("GET", v, "").status, 401)
		want(t, "revoke unknown", h.form("/services/oauth2/revoke", "token=nope").status, 400)
	})
}

func TestInvalidSession(t *testing.T) {
	h := sqliteHarness(t)
	for _, tc := range []struct{ name, auth string }{
		{"none", ""},
		{"junk", "Bearer junk"},
		{"unknown", "Bearer " + string(h.env.Org.OrgID.Short()) + "!AQnope"},
	} {
		var hdr []string
		if tc.auth != "" {
			hdr = []string{"Authorization", tc.auth}
		}
		res := h.request("GET", v+"/sobjects", "", nil, hdr...)
		want(t, tc.name+" status", res.status, 401)
		want(t, tc.name+" code", res.errorCode(), "INVALID_SESSION_ID")
		want(t, tc.name+" message", res.list()[0].(map[string]any)["message"].(string), "Session expired or invalid")
	}
	want(t, "userinfo", h.request("GET", "/services/oauth2/userinfo", "", nil).status, 401)
}

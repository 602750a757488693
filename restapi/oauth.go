package restapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
)

// oauthError is OAuth's error body.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// maxFormBytes bounds an OAuth form.
const maxFormBytes = 64 << 10

func (a *API) writeOAuthError(w http.ResponseWriter, r *http.Request, err error) {
	var e oauthError
	status := http.StatusBadRequest
	var re *rapport.Error
	switch {
	case errors.Is(err, auth.ErrUnknownClient):
		e = oauthError{"invalid_client_id", "client identifier invalid"}
	case errors.Is(err, auth.ErrBadClientSecret):
		e = oauthError{"invalid_client", "invalid client credentials"}
	case errors.Is(err, auth.ErrInvalidGrant):
		e = oauthError{"invalid_grant", "expired access/refresh token"}
	case errors.As(err, &re) && re.Code == rapport.InvalidLogin:
		e = oauthError{"invalid_grant", "authentication failure"}
	case errors.As(err, &re) && re.Code == rapport.OrgUnavailable:
		e = oauthError{"invalid_grant", "this organization is not available"}
	case errors.As(err, &re) && re.Code == rapport.InvalidArgument:
		e = oauthError{"invalid_request", re.Message}
	case isTooLarge(err):
		e = oauthError{"invalid_request", "request too large"}
	default:
		_, ae := a.classify(r.Context(), err)
		status = http.StatusInternalServerError
		e = oauthError{"server_error", ae.Message}
	}
	writeJSON(w, status, e)
}

// readForm parses an OAuth form body (and the query string).
func readForm(w http.ResponseWriter, r *http.Request) error {
	if r.Method == http.MethodPost {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "" && mt != "application/x-www-form-urlencoded" {
			return rapport.Errorf(rapport.InvalidArgument, "the body must be application/x-www-form-urlencoded")
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		if isTooLarge(err) {
			return err
		}
		return rapport.Errorf(rapport.InvalidArgument, "malformed form body")
	}
	return nil
}

// tokenResponse is the success body of the token endpoint.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Signature    string `json:"signature"`
	Scope        string `json:"scope"`
	InstanceURL  string `json:"instance_url"`
	ID           string `json:"id"`
	TokenType    string `json:"token_type"`
	IssuedAt     string `json:"issued_at"`
}

func (a *API) tokenResponse(r *http.Request, s auth.Session, secret string) tokenResponse {
	origin := a.origin(r)
	id := identityURL(origin, s.OrgID, s.UserID)
	issued := strconv.FormatInt(s.IssuedAt.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(id + issued))
	return tokenResponse{
		AccessToken: s.Token, Signature: base64.StdEncoding.EncodeToString(mac.Sum(nil)), Scope: "api",
		InstanceURL: origin, ID: id, TokenType: "Bearer", IssuedAt: issued,
	}
}

// Token serves POST /services/oauth2/token: the password, refresh_token and
// client_credentials grants.
func (a *API) Token() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := readForm(w, r); err != nil {
			a.writeOAuthError(w, r, err)
			return
		}
		ctx := r.Context()
		clientID, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		if u, p, ok := r.BasicAuth(); ok && clientID == "" {
			clientID, secret = u, p
		}
		switch grant := r.PostForm.Get("grant_type"); grant {
		case "password":
			if err := a.auth.CheckClient(ctx, clientID, secret); err != nil {
				a.writeOAuthError(w, r, err)
				return
			}
			id, err := a.auth.Login(ctx, auth.Attempt{
				Username: r.PostForm.Get("username"), Password: r.PostForm.Get("password"), Method: "OAuth password",
				ClientID: clientID, SourceIP: clientIP(r), UserAgent: r.UserAgent(),
			})
			if err == nil {
				err = a.usable(ctx, id)
			}
			if err != nil {
				a.writeOAuthError(w, r, err)
				return
			}
			s, err := a.auth.NewSession(ctx, id.OrgID, id.UserID, clientID, "")
			if err != nil {
				a.writeOAuthError(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, a.tokenResponse(r, s, secret))
		case "refresh_token":
			s, err := a.auth.Refresh(ctx, r.PostForm.Get("refresh_token"), clientID, secret)
			if err != nil {
				a.writeOAuthError(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, a.tokenResponse(r, s, secret))
		case "client_credentials":
			s, _, err := a.auth.ClientCredentials(ctx, clientID, secret, clientIP(r), r.UserAgent())
			if err != nil {
				a.writeOAuthError(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, a.tokenResponse(r, s, secret))
		default:
			writeJSON(w, http.StatusBadRequest, oauthError{"unsupported_grant_type", "grant type not supported"})
		}
	}
}

// Revoke serves POST (and GET) /services/oauth2/revoke.
func (a *API) Revoke() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := readForm(w, r); err != nil {
			a.writeOAuthError(w, r, err)
			return
		}
		if err := a.auth.Revoke(r.Context(), r.Form.Get("token")); err != nil {
			if errors.Is(err, auth.ErrInvalidGrant) {
				writeJSON(w, http.StatusBadRequest, oauthError{"unsupported_token_type", "this token type is not supported"})
				return
			}
			a.writeOAuthError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}

// UserInfo serves GET /services/oauth2/userinfo.
func (a *API) UserInfo() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, _ := rapport.PrincipalFrom(r.Context())
		u, err := a.loadUser(r.Context(), p.OrgID, p.UserID)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		origin := a.origin(r)
		id := identityURL(origin, p.OrgID, p.UserID)
		writeJSON(w, http.StatusOK, object{
			{"sub", id},
			{"user_id", string(p.UserID)},
			{"organization_id", string(p.OrgID)},
			{"preferred_username", u.Username},
			{"nickname", u.Username},
			{"name", u.FullName},
			{"email", u.Email},
			{"email_verified", true},
			{"given_name", u.FirstName},
			{"family_name", u.LastName},
			{"zoneinfo", u.TimeZone},
			{"photos", photos(origin, p.UserID)},
			{"profile", origin + "/" + string(p.UserID)},
			{"picture", origin + "/img/userprofile/default_profile_200_v2.png"},
			{"address", object{}},
			{"is_salesforce_integration_user", false},
			{"urls", identityURLs(origin, p.OrgID, p.UserID)},
			{"active", u.Active},
			{"user_type", "STANDARD"},
			{"language", u.Language},
			{"locale", u.Locale},
			{"utcOffset", utcOffset(u.TimeZone)},
			{"updated_at", u.Modified.UTC().Format("2006-01-02T15:04:05Z")},
			{"is_app_installed", true},
		})
	}
}

func photos(origin string, user rapport.ID) object {
	return object{
		{"picture", origin + "/img/userprofile/default_profile_200_v2.png"},
		{"thumbnail", origin + "/img/userprofile/default_profile_45_v2.png"},
	}
}

// utcOffset is a time zone's current offset from UTC in milliseconds.
func utcOffset(tz string) int64 {
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "" {
		return 0
	}
	_, off := time.Now().In(loc).Zone()
	return int64(off) * 1000
}

func identityURLs(origin string, org, user rapport.ID) object {
	o15 := org.Short()
	data := origin + "/services/data/v{version}/"
	return object{
		{"enterprise", origin + "/services/Soap/c/{version}/" + o15},
		{"metadata", origin + "/services/Soap/m/{version}/" + o15},
		{"partner", origin + "/services/Soap/u/{version}/" + o15},
		{"rest", data},
		{"sobjects", data + "sobjects/"},
		{"search", data + "search/"},
		{"query", data + "query/"},
		{"recent", data + "recent/"},
		{"tooling_soap", origin + "/services/Soap/T/{version}/" + o15},
		{"tooling_rest", data + "tooling/"},
		{"profile", origin + "/" + string(user)},
		{"feeds", data + "chatter/feeds"},
		{"groups", data + "chatter/groups"},
		{"users", data + "chatter/users"},
		{"feed_items", data + "chatter/feed-items"},
		{"feed_elements", data + "chatter/feed-elements"},
		{"custom_domain", origin},
	}
}

// Identity serves GET /id/{org}/{user}: the token (Bearer or
// ?oauth_token=) must belong to that user.
func (a *API) Identity() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, _ := rapport.PrincipalFrom(r.Context())
		org, err1 := rapport.ParseID(r.PathValue("org"))
		user, err2 := rapport.ParseID(r.PathValue("user"))
		if err1 != nil || err2 != nil || org != p.OrgID || user != p.UserID {
			writeJSON(w, http.StatusForbidden, []apiError{{Message: "Bad_Id", ErrorCode: "Bad_Id", Fields: []string{}}})
			return
		}
		u, err := a.loadUser(r.Context(), p.OrgID, p.UserID)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		origin := a.origin(r)
		writeJSON(w, http.StatusOK, object{
			{"id", identityURL(origin, p.OrgID, p.UserID)},
			{"asserted_user", true},
			{"user_id", string(p.UserID)},
			{"organization_id", string(p.OrgID)},
			{"username", u.Username},
			{"nick_name", u.Username},
			{"display_name", u.FullName},
			{"email", u.Email},
			{"email_verified", true},
			{"first_name", u.FirstName},
			{"last_name", u.LastName},
			{"timezone", u.TimeZone},
			{"photos", photos(origin, p.UserID)},
			{"addr_street", nil},
			{"addr_city", nil},
			{"addr_state", nil},
			{"addr_country", nil},
			{"addr_zip", nil},
			{"mobile_phone", nilIfEmpty(u.MobilePhone)},
			{"mobile_phone_verified", false},
			{"is_lightning_login_user", false},
			{"status", object{{"created_date", nil}, {"body", nil}}},
			{"urls", identityURLs(origin, p.OrgID, p.UserID)},
			{"active", u.Active},
			{"user_type", "STANDARD"},
			{"language", u.Language},
			{"locale", u.Locale},
			{"utcOffset", utcOffset(u.TimeZone)},
			{"last_modified_date", u.Modified.UTC().Format(dateTimeJSON)},
			{"is_app_installed", true},
		})
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

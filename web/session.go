package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/security"
	"github.com/rapportcrm/rapport/tenant"
)

const (
	// sessionCookie holds the session: an access token like the API's,
	// issued to the web client.
	sessionCookie = "rapport_sid"
	// webClient is the client ID sessions of the web app are issued to.
	webClient = "RapportWeb"
	// csrfField and csrfHeader carry the CSRF token of a POST: a form field
	// for plain forms, a header for htmx requests.
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
	// userTTL is how long a session's user details are reused before they
	// are read again.
	userTTL = 30 * time.Second
)

// A session is a signed-in user's request context.
type session struct {
	token     string
	CSRF      string
	Principal rapport.Principal
	User      userInfo
	Policy    *security.Policy
}

// userInfo is what pages show and format with about the signed-in user.
type userInfo struct {
	ID       rapport.ID
	Name     string
	Username string
	Email    string
	Profile  string
	OrgName  string
	Currency string
	TimeZone string
	Location *time.Location
	// Admin can open Setup: customize the application or manage users.
	Admin bool
}

type cachedUser struct {
	info userInfo
	at   time.Time
}

// csrfToken derives a session's CSRF token from its secret token: only a
// page of this origin, which the session cookie reached, can know it.
func csrfToken(token string) string {
	sum := sha256.Sum256([]byte("rapport csrf\x00" + token))
	return base64.RawURLEncoding.EncodeToString(sum[:24])
}

// signedIn wraps a page handler: without a valid session it sends the
// browser to sign in; a request that changes something must carry the
// session's CSRF token.
func (a *App) signedIn(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w)
		c, err := r.Cookie(sessionCookie)
		var p rapport.Principal
		if err == nil {
			p, err = a.auth.Validate(r.Context(), c.Value)
		}
		if err != nil {
			if err != http.ErrNoCookie && !errors.Is(err, auth.ErrInvalidSession) {
				a.serverError(w, r, err)
				return
			}
			a.toLogin(w, r)
			return
		}
		s := &session{token: c.Value, CSRF: csrfToken(c.Value), Principal: p}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			got := r.Header.Get(csrfHeader)
			if got == "" {
				got = r.PostFormValue(csrfField)
			}
			if subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) != 1 {
				a.renderError(w, r, s, http.StatusForbidden, "This form has expired or did not come from Rapport. Reload the page and try again.")
				return
			}
		}
		ctx := rapport.WithPrincipal(r.Context(), p)
		r = r.WithContext(ctx)
		if s.User, err = a.userInfo(ctx, s); err != nil {
			a.serverError(w, r, err)
			return
		}
		if s.Policy, err = a.records.Policy(ctx); err != nil {
			a.serverError(w, r, err)
			return
		}
		s.User.Admin = s.Policy == nil || s.Policy.Has("PermissionsCustomizeApplication") || s.Policy.Has("PermissionsManageUsers")
		h(w, r, s)
	})
}

// toLogin sends an unauthenticated request to the sign-in page, and back
// to where it was going afterwards.
func (a *App) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// userInfo reads the signed-in user's details, or reuses them for a while.
func (a *App) userInfo(ctx context.Context, s *session) (userInfo, error) {
	key := tenant.HashSecret(s.token)
	a.mu.Lock()
	c, ok := a.users[key]
	a.mu.Unlock()
	if ok && a.now().Sub(c.at) < userTTL {
		return c.info, nil
	}
	sys := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: s.Principal.OrgID, UserID: s.Principal.UserID, System: true})
	users, err := a.records.Get(sys, "User", []string{string(s.Principal.UserID)}, []string{"Name", "Username", "Email", "TimeZoneSidKey", "ProfileId"}, false)
	if err != nil {
		return userInfo{}, err
	}
	info := userInfo{ID: s.Principal.UserID, Location: time.UTC, Currency: "USD"}
	if len(users) == 1 && users[0] != nil {
		v := users[0].Values
		info.Name, _ = v["Name"].(string)
		info.Username, _ = v["Username"].(string)
		info.Email, _ = v["Email"].(string)
		info.TimeZone, _ = v["TimeZoneSidKey"].(string)
		if loc, err := time.LoadLocation(info.TimeZone); err == nil && info.TimeZone != "" {
			info.Location = loc
		}
		if pid, ok := v["ProfileId"].(rapport.ID); ok {
			if ps, err := a.records.Get(sys, "Profile", []string{string(pid)}, []string{"Name"}, false); err == nil && len(ps) == 1 && ps[0] != nil {
				info.Profile, _ = ps[0].Values["Name"].(string)
			}
		}
	}
	if orgs, err := a.records.Get(sys, "Organization", []string{string(s.Principal.OrgID)}, []string{"Name", "DefaultCurrencyIsoCode"}, false); err == nil && len(orgs) == 1 && orgs[0] != nil {
		info.OrgName, _ = orgs[0].Values["Name"].(string)
		if c, _ := orgs[0].Values["DefaultCurrencyIsoCode"].(string); c != "" {
			info.Currency = c
		}
	}
	a.mu.Lock()
	if len(a.users) > 10000 {
		clear(a.users)
	}
	a.users[key] = cachedUser{info: info, at: a.now()}
	a.mu.Unlock()
	return info, nil
}

// forgetUser drops cached user details, after the user changed them.
func (a *App) forgetUser(s *session) {
	a.mu.Lock()
	delete(a.users, tenant.HashSecret(s.token))
	a.mu.Unlock()
}

func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

func (a *App) root(w http.ResponseWriter, r *http.Request) {
	if a.first.Token != "" {
		if empty, err := a.storeEmpty(r.Context()); err == nil && empty {
			http.Redirect(w, r, "/first-run", http.StatusSeeOther)
			return
		}
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if _, err := a.auth.Validate(r.Context(), c.Value); err == nil {
			http.Redirect(w, r, "/home", http.StatusSeeOther)
			return
		}
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type loginData struct {
	Username string
	Next     string
	Error    string
	Notice   string
}

func (a *App) loginPage(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	a.render(w, r, nil, http.StatusOK, "login", "Sign in", loginData{Next: safeNext(r.URL.Query().Get("next")), Notice: r.URL.Query().Get("notice")})
}

func (a *App) loginSubmit(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	username := strings.TrimSpace(r.PostFormValue("username"))
	next := safeNext(r.PostFormValue("next"))
	id, err := a.auth.Login(r.Context(), auth.Attempt{
		Username: username, Password: r.PostFormValue("password"), Method: "Web",
		ClientID: webClient, SourceIP: clientIP(r), UserAgent: r.UserAgent(),
	})
	if err != nil {
		msg := "Something went wrong signing you in. Try again in a moment."
		status := http.StatusInternalServerError
		switch rapport.ErrorCode(err) {
		case rapport.InvalidLogin:
			msg, status = "Your username or password is not right, or this user is locked out. Check them and try again.", http.StatusUnauthorized
		case rapport.OrgUnavailable:
			msg, status = "This org is not available right now.", http.StatusForbidden
		default:
			a.log.ErrorContext(r.Context(), "web login", "error", err)
		}
		a.render(w, r, nil, status, "login", "Sign in", loginData{Username: username, Next: next, Error: msg})
		return
	}
	sess, err := a.auth.NewSession(r.Context(), id.OrgID, id.UserID, webClient, "")
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: sess.Token, Path: "/", HttpOnly: true,
		Secure: isHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
	if next == "" {
		next = "/home"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	c, err := r.Cookie(sessionCookie)
	if err == nil {
		// Signing out takes the session's CSRF token, so that another site
		// cannot sign a user out.
		got := r.PostFormValue(csrfField)
		if subtle.ConstantTimeCompare([]byte(got), []byte(csrfToken(c.Value))) != 1 {
			a.render(w, r, nil, http.StatusForbidden, "error", "Not allowed", errorData{Status: http.StatusForbidden, Message: "This form has expired or did not come from Rapport. Reload the page and try again."})
			return
		}
		if err := a.auth.Revoke(r.Context(), c.Value); err != nil && rapport.ErrorCode(err) != rapport.NotFound {
			a.log.WarnContext(r.Context(), "revoke web session", "error", err)
		}
		a.mu.Lock()
		delete(a.users, tenant.HashSecret(c.Value))
		a.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: isHTTPS(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login?notice="+url.QueryEscape("You have signed out."), http.StatusSeeOther)
}

// safeNext keeps a post-login destination only if it is a path on this
// site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	return next
}

func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

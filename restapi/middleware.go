package restapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/security"
	"github.com/rapportcrm/rapport/tenant"
)

type ctxKey int

const (
	loggerKey ctxKey = iota
	subrequestKey
)

// logger returns the request's logger, carrying request_id, org_id and
// user_id once known.
func (a *API) logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return a.log
}

func withLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey, l)
}

func requestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Logged gives every request a logger with a request ID. At debug level it
// also logs each request once answered: method, path, the names (not the
// values) of its query parameters, status and duration, so that what a
// client asked can be read back.
func (a *API) Logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := r.Context().Value(loggerKey).(*slog.Logger); !ok {
			r = r.WithContext(withLogger(r.Context(), a.log.With("request_id", requestID())))
		}
		ctx := r.Context()
		if !a.log.Enabled(ctx, slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		start := a.now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		var params []string
		for k := range r.URL.Query() {
			params = append(params, k)
		}
		slices.Sort(params)
		a.logger(ctx).DebugContext(ctx, "request", "method", r.Method, "path", r.URL.Path,
			"params", strings.Join(params, ","), "status", sw.status, "duration", a.now().Sub(start))
	})
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// isSubrequest reports whether r is a subrequest of a composite request,
// already authenticated and counted.
func isSubrequest(r *http.Request) bool {
	v, _ := r.Context().Value(subrequestKey).(bool)
	return v
}

// bearer returns the access token of a request: the Authorization header
// ("Bearer" or "OAuth"), or, when allowQuery, ?oauth_token= as jsforce's
// identity() sends it.
func bearer(r *http.Request, allowQuery bool) string {
	h := r.Header.Get("Authorization")
	for _, scheme := range []string{"Bearer ", "OAuth "} {
		if len(h) > len(scheme) && strings.EqualFold(h[:len(scheme)], scheme) {
			return strings.TrimSpace(h[len(scheme):])
		}
	}
	if allowQuery {
		return r.URL.Query().Get("oauth_token")
	}
	return ""
}

// authenticate puts the principal of the request's token in its context.
func (a *API) authenticate(r *http.Request, allowQuery bool) (*http.Request, error) {
	if isSubrequest(r) {
		if _, ok := rapport.PrincipalFrom(r.Context()); ok {
			return r, nil
		}
	}
	token := bearer(r, allowQuery)
	if token == "" {
		return r, auth.ErrInvalidSession
	}
	p, err := a.auth.Validate(r.Context(), token)
	if err != nil {
		return r, err
	}
	ctx := rapport.WithPrincipal(r.Context(), p)
	ctx = withLogger(ctx, a.logger(ctx).With("org_id", p.OrgID, "user_id", p.UserID))
	return r.WithContext(ctx), nil
}

// Session requires a valid access token and puts its principal in the
// request context (userinfo, identity).
func (a *API) Session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, err := a.authenticate(r, true)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// REST wraps a /services/data/{version}/… handler: it checks the version,
// authenticates the token, counts the request against the org's daily
// limit and bounds the body.
func (a *API) REST(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := parseVersion(r.PathValue("version")); !ok {
			a.writeError(w, r, notFound())
			return
		}
		r, err := a.authenticate(r, false)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		// A frozen or inactive user's session is no longer valid, and the
		// API Enabled permission decides who may use the API at all.
		if pol, err := a.records.Policy(r.Context()); err != nil {
			a.writeError(w, r, err)
			return
		} else if pol != nil && !pol.Active {
			a.writeError(w, r, auth.ErrInvalidSession)
			return
		} else if pol != nil && !pol.Has(security.APIEnabled) {
			a.writeError(w, r, rapport.Errorf(rapport.APIDisabled, "API is disabled for this User"))
			return
		}
		if !isSubrequest(r) {
			p, _ := rapport.PrincipalFrom(r.Context())
			used, max, err := a.usage.add(r.Context(), p.OrgID)
			if err != nil {
				a.writeError(w, r, err)
				return
			}
			w.Header().Set("Sforce-Limit-Info", "api-usage="+strconv.FormatInt(used, 10)+"/"+strconv.FormatInt(max, 10))
			if used > max {
				a.writeError(w, r, newError(codeRequestLimit, "TotalRequests Limit exceeded."))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, a.opt.MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// Fallback answers, in Salesforce's JSON shape, the requests under
// /services/ and /id/ that no route takes: a path with a trailing slash is
// served as the path without it; otherwise 405 with the allowed methods when
// the path is served with other methods, 404 otherwise. Other paths go to
// mux as they are.
func (a *API) Fallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/services/") && !strings.HasPrefix(r.URL.Path, "/id/") {
			mux.ServeHTTP(w, r)
			return
		}
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		// Salesforce takes a trailing slash on any resource: jsforce's
		// explain() asks for …/query/?explain=.
		if p := strings.TrimRight(r.URL.Path, "/"); p != r.URL.Path && p != "" {
			r2 := r.Clone(r.Context())
			r2.URL.Path, r2.URL.RawPath = p, ""
			if _, pattern := mux.Handler(r2); pattern != "" {
				mux.ServeHTTP(w, r2)
				return
			}
			r = r2
		}
		var allowed []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
			if m == r.Method {
				continue
			}
			r2 := r.Clone(r.Context())
			r2.Method = m
			if _, pattern := mux.Handler(r2); pattern != "" {
				allowed = append(allowed, m)
				if m == http.MethodGet {
					allowed = append(allowed, http.MethodHead)
				}
			}
		}
		if len(allowed) == 0 {
			a.writeError(w, r, notFound())
			return
		}
		slices.Sort(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		a.writeError(w, r, newError(codeMethodNotAllowed, "HTTP Method '%s' not allowed. Allowed are %s", r.Method, strings.Join(allowed, ",")))
	})
}

// origin returns the instance origin, scheme://host[:port], of a request:
// clients keep only the origin of the URLs we give them.
func (a *API) origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if a.opt.TrustProxyHeaders {
		if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
			scheme = p
		}
		if h := r.Header.Get("X-Forwarded-Host"); h != "" {
			host = strings.TrimSpace(strings.Split(h, ",")[0])
		}
	}
	return scheme + "://" + host
}

// clientIP returns the request's source address, without the port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// usable refuses a login whose user is frozen or inactive in the org, with
// the same error as a wrong password.
func (a *API) usable(ctx context.Context, id tenant.Identity) error {
	pol, err := a.records.Policy(rapport.WithPrincipal(ctx, rapport.Principal{OrgID: id.OrgID, UserID: id.UserID}))
	if err != nil {
		return err
	}
	if pol != nil && !pol.Active {
		return rapport.Errorf(rapport.InvalidLogin, "Invalid username, password, security token; or user locked out.")
	}
	return nil
}

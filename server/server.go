// Package server assembles Rapport's HTTP surface: the Salesforce-compatible
// APIs under /services, the identity URLs, the web app and the health check.
// routes.go lists every route.
package server

import (
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/tenant"
)

// Deps are what the server needs; cmd builds them.
type Deps struct {
	Logger  *slog.Logger
	Records *record.Service
	Tenants *tenant.Service
	Now     func() time.Time
}

// NewServer returns the http.Handler that serves everything.
func NewServer(d Deps) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	mux := http.NewServeMux()
	addRoutes(mux, d)
	return cleanPath(mux)
}

// cleanPath routes //services/… and /a/./b as their clean form without the
// redirect http.ServeMux would answer: the sf CLI sends a double slash after
// login and fails on redirects.
func cleanPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "" || strings.Contains(p, "//") || strings.Contains(p, "/.") {
			clean := path.Clean("/" + p)
			if strings.HasSuffix(p, "/") && clean != "/" {
				clean += "/"
			}
			r2 := r.Clone(r.Context())
			r2.URL.Path = clean
			r2.URL.RawPath = ""
			r = r2
		}
		next.ServeHTTP(w, r)
	})
}

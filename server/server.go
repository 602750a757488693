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

	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/bulkapi"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/restapi"
	"github.com/rapportcrm/rapport/tenant"
	"github.com/rapportcrm/rapport/web"
)

// Deps are what the server needs; cmd builds them.
type Deps struct {
	Logger  *slog.Logger
	Records *record.Service
	Tenants *tenant.Service
	Now     func() time.Time
	// Auth keeps sessions; when nil, one is built over Tenants' directory
	// with AuthOptions.
	Auth        *auth.Service
	AuthOptions auth.Options
	// Query runs SOQL; without it /query and /queryAll are not served.
	Query restapi.Querier
	// Search runs SOSL; without it /search and /parameterizedSearch are
	// not served.
	Search restapi.Searcher
	// API tunes the REST API (daily request limit, body size, proxies).
	API restapi.Options
	// Bulk runs Bulk API 2.0 jobs; without it /jobs is not served.
	Bulk *bulkapi.Service
	// First configures the web app's first-run setup page.
	First web.FirstRun
}

// NewServer returns the http.Handler that serves everything.
func NewServer(d Deps) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Auth == nil {
		d.Auth = auth.New(d.Tenants.Directory(), d.Records.IDs(), d.AuthOptions, d.Now, d.Logger)
	}
	api := restapi.New(restapi.Deps{
		Records: d.Records, Tenants: d.Tenants, Auth: d.Auth, Query: d.Query,
		Logger: d.Logger, Now: d.Now, Options: d.API,
		Search: d.Search,
	})
	mux := http.NewServeMux()
	addRoutes(mux, d, api)
	if d.Query != nil {
		// The web app calls the services the APIs call; it needs SOQL.
		var search web.Searcher
		if d.Search != nil {
			search = d.Search
		}
		web.New(web.Deps{
			Records: d.Records, Tenants: d.Tenants, Auth: d.Auth, Query: d.Query, Search: search,
			Logger: d.Logger, Now: d.Now, First: d.First,
		}).Routes(mux)
	}
	h := cleanPath(api.Logged(api.Fallback(mux)))
	api.SetDispatcher(h)
	return h
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

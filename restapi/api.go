package restapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/tenant"
)

// Options tune the API. Zero values take the defaults.
type Options struct {
	// DailyAPIRequests is each org's daily API request limit; 15,000.
	DailyAPIRequests int64
	// MaxBodyBytes bounds a request body; 10 MB.
	MaxBodyBytes int64
	// TrustProxyHeaders takes the instance origin from X-Forwarded-Proto
	// and X-Forwarded-Host, for a server behind a reverse proxy.
	TrustProxyHeaders bool
}

func (o *Options) defaults() {
	if o.DailyAPIRequests <= 0 {
		o.DailyAPIRequests = 15000
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 10 << 20
	}
}

// Deps are what the API is built on.
type Deps struct {
	Records *record.Service
	Tenants *tenant.Service
	Auth    *auth.Service
	// Query runs SOQL; without it the query endpoints are not served.
	Query   Querier
	Logger  *slog.Logger
	Now     func() time.Time
	Options Options
	// Search runs SOSL; without it /search and /parameterizedSearch are
	// not served.
	Search Searcher
}

// API serves Salesforce's login, OAuth, identity and REST endpoints. Its
// methods return the handlers that server/routes.go mounts.
type API struct {
	records *record.Service
	tenants *tenant.Service
	dir     tenant.Directory
	auth    *auth.Service
	query   Querier
	search  Searcher
	log     *slog.Logger
	now     func() time.Time
	opt     Options
	usage   *usage

	// dispatch serves the subrequests of composite requests: the whole
	// server, set once by SetDispatcher.
	dispatch http.Handler
}

// New returns the API.
func New(d Deps) *API {
	d.Options.defaults()
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	a := &API{
		records: d.Records, tenants: d.Tenants, dir: d.Tenants.Directory(), auth: d.Auth, query: d.Query,
		log: d.Logger, now: d.Now, opt: d.Options,
	}
	a.usage = newUsage(a.dir, d.Options.DailyAPIRequests, d.Now)
	a.search = d.Search
	return a
}

// SetDispatcher gives the API the handler that serves composite
// subrequests: the server's whole handler.
func (a *API) SetDispatcher(h http.Handler) { a.dispatch = h }

// HasQuery reports whether SOQL queries are served.
func (a *API) HasQuery() bool { return a.query != nil }

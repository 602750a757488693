package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/sosl"
	"github.com/rapportcrm/rapport/tenant"
)

// A Querier runs SOQL for the principal in ctx (query.Service is one).
type Querier interface {
	Run(ctx context.Context, soql string, opt query.Options) (*query.Result, error)
}

// A Searcher runs searches for the principal in ctx (search.Service is
// one).
type Searcher interface {
	Parameterized(ctx context.Context, ps *sosl.Parameterized) ([]*query.Record, error)
}

// FirstRun is what the setup page of an empty store needs: the one-time
// token `rapport serve` printed, and how to load the demo org.
type FirstRun struct {
	// Token must be presented by the setup page; empty turns the page off.
	Token string
	// Demo creates an org from the story with an administrator who signs
	// in with username and password; nil hides the choice.
	Demo func(ctx context.Context, username, password string) error
}

// Deps are the services the web app calls: the same ones the APIs call.
type Deps struct {
	Records *record.Service
	Tenants *tenant.Service
	Auth    *auth.Service
	Query   Querier
	Search  Searcher // nil: no global search
	Logger  *slog.Logger
	Now     func() time.Time
	First   FirstRun
}

// App is the web app: server-rendered pages under /, with htmx for the
// parts of a page that change in place.
type App struct {
	records *record.Service
	tenants *tenant.Service
	auth    *auth.Service
	query   Querier
	search  Searcher
	log     *slog.Logger
	now     func() time.Time
	first   FirstRun

	pages map[string]*template.Template
	// assets maps an asset's name to its content-hashed URL.
	assets map[string]string

	// viewSlots bounds the recent-view stamps written in the background.
	viewSlots chan struct{}

	mu    sync.Mutex
	users map[string]cachedUser // by session token hash
}

// New returns the web app.
func New(d Deps) *App {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	a := &App{
		records: d.Records, tenants: d.Tenants, auth: d.Auth, query: d.Query, search: d.Search,
		log: d.Logger, now: d.Now, first: d.First,
		users:     map[string]cachedUser{},
		viewSlots: make(chan struct{}, 4),
	}
	a.assets = assetURLs()
	a.pages = a.parsePages()
	return a
}

// Routes adds the web app's routes to mux. Every page but sign-in and
// first-run setup needs a session; every POST needs the session's CSRF
// token.
func (a *App) Routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", a.static())
	mux.HandleFunc("GET /favicon.ico", a.favicon)
	mux.HandleFunc("GET /{$}", a.root)
	mux.HandleFunc("GET /login", a.loginPage)
	mux.HandleFunc("POST /login", a.loginSubmit)
	mux.HandleFunc("POST /logout", a.logout)
	mux.HandleFunc("GET /first-run", a.firstRunPage)
	mux.HandleFunc("POST /first-run", a.firstRunSubmit)

	page := func(pattern string, h handlerFunc) { mux.Handle(pattern, a.signedIn(h)) }
	page("GET /home", a.home)
	page("GET /search", a.globalSearch)
	page("GET /lookup/{object}", a.lookup)
	page("GET /app/{name}", a.switchApp)

	a.listRoutes(page)
	a.recordRoutes(page)
	a.setupRoutes(page)
}

// handlerFunc is a page handler: it runs signed in, with the request's
// session.
type handlerFunc func(w http.ResponseWriter, r *http.Request, s *session)

// recordOptions are the write options of a save from a page: all or
// nothing.
func recordOptions() record.WriteOptions { return record.WriteOptions{AllOrNone: true} }

func itoa(n int) string { return strconv.Itoa(n) }

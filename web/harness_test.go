package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/search"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/storetest"
	"github.com/rapportcrm/rapport/tenant"
	"github.com/rapportcrm/rapport/web"
)

// password is the administrator's password in every test org.
const password = "correct horse 9"

type backend struct {
	name string
	open func(t *testing.T) *sqlstore.DB
}

func openSQLite(t *testing.T) *sqlstore.DB {
	b, err := sqlite.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openPostgres(t *testing.T) *sqlstore.DB {
	db, err := sqlstore.Open(context.Background(), postgres.New(pgtest.Database(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var backends = []backend{{"sqlite", openSQLite}, {"postgres", openPostgres}}

// onBackends runs fn on SQLite and, when RAPPORT_TEST_POSTGRES is set, on
// PostgreSQL, each with a fresh org.
func onBackends(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, newHarness(t, b.open(t), web.FirstRun{})) })
	}
}

// harness is a running server, as cmd wires it, with one org.
type harness struct {
	t   *testing.T
	db  *sqlstore.DB
	env *storetest.Env
	srv *httptest.Server
}

func newHarness(t *testing.T, db *sqlstore.DB, first web.FirstRun) *harness {
	t.Helper()
	env := storetest.NewEnv(t, db)
	return serve(t, db, env, first)
}

// newEmptyHarness serves a store with no org.
func newEmptyHarness(t *testing.T, db *sqlstore.DB, first web.FirstRun) *harness {
	t.Helper()
	recs := record.NewService(db, record.Options{})
	env := &storetest.Env{T: t, Store: db, Records: recs, Tenants: tenant.NewService(db, recs, nil, nil)}
	return serve(t, db, env, first)
}

func serve(t *testing.T, db *sqlstore.DB, env *storetest.Env, first web.FirstRun) *harness {
	t.Helper()
	access := record.Access{S: env.Records}
	q := query.NewService(db, db.Backend().(query.Dialect), env.Records, query.Config{Access: access})
	s := search.NewService(db, q, env.Records, search.Config{Access: access})
	a := auth.New(db, env.Records.IDs(), auth.Options{}, nil, nil)
	srv := httptest.NewServer(server.NewServer(server.Deps{Records: env.Records, Tenants: env.Tenants, Auth: a, Query: q, Search: s, First: first}))
	t.Cleanup(srv.Close)
	return &harness{t: t, db: db, env: env, srv: srv}
}

// URL is the server's address of path.
func (h *harness) URL(path string) string { return h.srv.URL + path }

// A browser is an HTTP client with cookies that remembers the CSRF token
// of the last page it read, as a browser's forms would send it.
type browser struct {
	t    *testing.T
	h    *harness
	c    *http.Client
	csrf string
}

// page is a response as a test reads it.
type page struct {
	Status int
	URL    string // after redirects
	Body   string
	Header http.Header
}

func (h *harness) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: h.t, h: h, c: &http.Client{Jar: jar}}
}

// signIn returns a browser signed in as the org's administrator.
func (h *harness) signIn() *browser {
	h.t.Helper()
	b := h.browser()
	b.signIn(h.env.Org.Username, password)
	return b
}

func (b *browser) signIn(username, pw string) page {
	b.t.Helper()
	b.get("/login")
	p := b.post("/login", url.Values{"username": {username}, "password": {pw}})
	if p.Status != http.StatusOK || !strings.HasSuffix(p.URL, "/home") {
		b.t.Fatalf("sign in as %s: %d at %s\n%s", username, p.Status, p.URL, p.Body)
	}
	return p
}

var csrfPattern = regexp.MustCompile(`"X-CSRF-Token":"([^"]+)"|name="_csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	p := page{Status: res.StatusCode, URL: res.Request.URL.String(), Body: string(body), Header: res.Header}
	if m := csrfPattern.FindStringSubmatch(p.Body); m != nil {
		b.csrf = m[1] + m[2]
	}
	return p
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.h.URL(path), nil)
	return b.do(req)
}

// post submits a form with the CSRF token of the last page read.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if b.csrf != "" && form.Get("_csrf") == "" {
		form.Set("_csrf", b.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, b.h.URL(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// htmx sends a request as htmx does: with HX-Request and the CSRF header.
func (b *browser) htmx(method, path string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.h.URL(path), body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", b.csrf)
	return b.do(req)
}

// mustContain fails unless the page has every string.
func (p page) mustContain(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(p.Body, w) {
			t.Fatalf("page %s (status %d) lacks %q:\n%s", p.URL, p.Status, w, p.Body)
		}
	}
}

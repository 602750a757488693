package restapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/restapi"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/storetest"
)

const password = "correct horse 9"

// harness is a running server with one org and a session of its
// administrator.
type harness struct {
	t     *testing.T
	env   *storetest.Env
	srv   *httptest.Server
	token string
	auth  *auth.Service
}

func (h *harness) authService() *auth.Service { return h.auth }

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

// onBackends runs a main flow on SQLite and, when RAPPORT_TEST_POSTGRES is
// set, on PostgreSQL.
func onBackends(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, newHarness(t, b.open(t), restapi.Options{})) })
	}
}

func newHarness(t *testing.T, db *sqlstore.DB, opt restapi.Options) *harness {
	t.Helper()
	env := storetest.NewEnv(t, db)
	a := auth.New(db, env.Records.IDs(), auth.Options{}, nil, nil)
	srv := httptest.NewServer(server.NewServer(server.Deps{Records: env.Records, Tenants: env.Tenants, Auth: a, API: opt}))
	t.Cleanup(srv.Close)
	h := &harness{t: t, env: env, srv: srv, auth: a}
	h.token = h.login()
	return h
}

func sqliteHarness(t *testing.T) *harness {
	return newHarness(t, openSQLite(t), restapi.Options{})
}

// queryHarness is a SQLite harness with the query service wired in, as cmd
// wires it.
func queryHarness(t *testing.T) *harness {
	t.Helper()
	db := openSQLite(t)
	env := storetest.NewEnv(t, db)
	q := query.NewService(db, db.Backend().(*sqlite.Backend), env.Records, query.Config{})
	a := auth.New(db, env.Records.IDs(), auth.Options{}, nil, nil)
	srv := httptest.NewServer(server.NewServer(server.Deps{Records: env.Records, Tenants: env.Tenants, Auth: a, Query: q}))
	t.Cleanup(srv.Close)
	h := &harness{t: t, env: env, srv: srv, auth: a}
	h.token = h.login()
	return h
}

// login logs the administrator in through the OAuth password grant with
// the public client and returns the access token.
func (h *harness) login() string {
	h.t.Helper()
	res := h.form("/services/oauth2/token", "grant_type=password&client_id=PlatformCLI&username="+h.env.Org.Username+"&password="+strings.ReplaceAll(password, " ", "+"))
	if res.status != 200 {
		h.t.Fatalf("login: %d %s", res.status, res.body)
	}
	return res.obj()["access_token"].(string)
}

type response struct {
	t      *testing.T
	status int
	header http.Header
	body   []byte
}

func (r response) decode() any {
	r.t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		r.t.Fatalf("response is not JSON (%v): %s", err, r.body)
	}
	return v
}

func (r response) obj() map[string]any {
	r.t.Helper()
	m, ok := r.decode().(map[string]any)
	if !ok {
		r.t.Fatalf("response is not a JSON object: %s", r.body)
	}
	return m
}

func (r response) list() []any {
	r.t.Helper()
	l, ok := r.decode().([]any)
	if !ok {
		r.t.Fatalf("response is not a JSON array: %s", r.body)
	}
	return l
}

// errorCode checks Salesforce's error shape and returns the first code.
func (r response) errorCode() string {
	r.t.Helper()
	l := r.list()
	if len(l) == 0 {
		r.t.Fatalf("empty error array")
	}
	e := l[0].(map[string]any)
	if _, ok := e["message"].(string); !ok {
		r.t.Fatalf("error without message: %s", r.body)
	}
	if _, ok := e["fields"].([]any); !ok {
		r.t.Fatalf("error without fields: %s", r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		r.t.Fatalf("error Content-Type %q", ct)
	}
	return e["errorCode"].(string)
}

func (h *harness) request(method, path, contentType string, body io.Reader, headers ...string) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{t: h.t, status: res.StatusCode, header: res.Header, body: b}
}

// do sends a JSON request with the session token.
func (h *harness) do(method, path, body string) response {
	h.t.Helper()
	var r io.Reader
	ct := ""
	if body != "" {
		r, ct = strings.NewReader(body), "application/json"
	}
	return h.request(method, path, ct, r, "Authorization", "Bearer "+h.token)
}

func (h *harness) form(path, body string) response {
	h.t.Helper()
	return h.request("POST", path, "application/x-www-form-urlencoded", strings.NewReader(body))
}

const v = "/services/data/v64.0"

// create creates a record through the API and returns its id.
func (h *harness) create(object, body string) string {
	h.t.Helper()
	res := h.do("POST", v+"/sobjects/"+object, body)
	if res.status != 201 {
		h.t.Fatalf("create %s: %d %s", object, res.status, res.body)
	}
	return res.obj()["id"].(string)
}

func want[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

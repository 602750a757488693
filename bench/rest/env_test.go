package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/restapi"
	"github.com/rapportcrm/rapport/search"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

const password = "correct horse 9"

// A backend is a store engine both servers run on, and its SOQL dialect.
type backend interface {
	sqlstore.Backend
	query.Dialect
}

// An env is one backend's world: the store, an org of contactCount
// contacts, Rapport serving it, and the bare handler over the same
// namespace.
type env struct {
	name    string
	bk      backend
	db      *sqlstore.DB
	records *record.Service
	org     tenant.NewOrg
	queries *query.Service

	rapport *httptest.Server
	bare    *httptest.Server
	token   string
	ids     []string // the preloaded contacts
	client  *http.Client
}

// openBackend opens the named backend for b, or skips b.
func openBackend(b *testing.B, name string) backend {
	b.Helper()
	switch name {
	case "sqlite":
		sb, err := sqlite.New(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		return sb
	case "postgres":
		if os.Getenv(pgtest.TestEnv) == "" {
			b.Skip(pgtest.TestEnv + " is not set: PostgreSQL skipped (set it to a server URL to measure PostgreSQL)")
		}
		return postgres.New(pgtest.Database(b))
	}
	b.Fatalf("no backend %s", name)
	return nil
}

// newEnv opens the store on bk and wires the services and the server as
// cmd/rapport's serve does, creates an org, logs its administrator in
// through the OAuth password grant, loads the contacts through the record
// layer and starts the bare handler.
func newEnv(b *testing.B, bk backend) *env {
	b.Helper()
	ctx := context.Background()
	// cmd's logger is a text handler at info level; its output is dropped
	// here, but the cost of carrying it is kept.
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	db, err := sqlstore.Open(ctx, bk, log)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	records := record.NewService(db, record.Options{Logger: log})
	tenants := tenant.NewService(db, records, nil, log)
	queries := query.NewService(db, bk, records, query.Config{Logger: log, Access: record.Access{S: records}})
	searches := search.NewService(db, queries, records, search.Config{Logger: log, Access: record.Access{S: records}})
	h := server.NewServer(server.Deps{
		Logger: log, Records: records, Tenants: tenants, Query: queries, Search: searches,
		// The one departure from cmd: the daily request limit (15,000
		// by default) would stop the run within seconds.
		API: restapi.Options{DailyAPIRequests: 1 << 40},
	})
	e := &env{name: bk.Name(), bk: bk, db: db, records: records, queries: queries}
	e.rapport = listen(b, h)

	e.org, err = tenants.CreateOrg(ctx, tenant.OrgParams{
		Name:     "Bench REST",
		Username: fmt.Sprintf("admin.%d@rest.bench.example", time.Now().UnixNano()),
		Password: password,
	})
	if err != nil {
		b.Fatalf("CreateOrg: %v", err)
	}
	e.client = newClient()
	e.token = e.login(b)
	e.ids = e.preload(b)
	if err := db.Analyze(ctx, e.org.OrgID); err != nil {
		b.Fatalf("analyze: %v", err)
	}
	e.bare = listen(b, newBare(b, e))
	return e
}

// listen serves h on a loopback port with the timeouts serve sets.
func listen(b *testing.B, h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadHeaderTimeout = 10 * time.Second
	srv.Config.IdleTimeout = 2 * time.Minute
	srv.Start()
	b.Cleanup(srv.Close)
	return srv
}

// newClient returns the client every request of a run goes through: keep
// alive, and enough idle connections for the highest concurrency.
func newClient() *http.Client {
	t := &http.Transport{
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	return &http.Client{Transport: t, Timeout: requestTimeout + 5*time.Second}
}

// principal is ctx carrying the org's administrator.
func (e *env) principal() context.Context {
	return rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: e.org.OrgID, UserID: e.org.UserID})
}

// login takes an access token with the password grant of the public CLI
// client, as sf org login does.
func (e *env) login(b *testing.B) string {
	b.Helper()
	form := url.Values{
		"grant_type": {"password"}, "client_id": {"PlatformCLI"},
		"username": {e.org.Username}, "password": {password},
	}
	res, err := e.client.PostForm(e.rapport.URL+"/services/oauth2/token", form)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || res.StatusCode != http.StatusOK || tok.AccessToken == "" {
		b.Fatalf("login: status %d, %v", res.StatusCode, err)
	}
	return tok.AccessToken
}

// preload creates the contacts through the record layer in batches of
// 1,000, as a client of the record layer would, and returns their IDs.
func (e *env) preload(b *testing.B) []string {
	b.Helper()
	ctx := e.principal()
	ids := make([]string, 0, contactCount)
	batch := make([]map[string]any, 0, 1000)
	for i := range contactCount {
		batch = append(batch, contactFields(i))
		if len(batch) < cap(batch) && i < contactCount-1 {
			continue
		}
		rs, err := e.records.Create(ctx, "Contact", batch, record.WriteOptions{})
		if err != nil {
			b.Fatalf("preload: %v", err)
		}
		for _, r := range rs {
			if r.Err != nil {
				b.Fatalf("preload: %v", r.Err)
			}
			ids = append(ids, string(r.ID))
		}
		batch = batch[:0]
	}
	return ids
}

// contactObject returns the org's Contact object and its stored fields,
// in metadata order.
func (e *env) contactObject(b *testing.B) (*metadata.Object, []*metadata.Field) {
	b.Helper()
	sch, err := e.records.Schema(context.Background(), e.org.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	obj := sch.Object("Contact")
	if obj == nil {
		b.Fatal("no Contact object")
	}
	var stored []*metadata.Field
	for _, f := range obj.LiveFields() {
		if f.Stored() {
			stored = append(stored, f)
		}
	}
	return obj, stored
}

// compiled returns the SQL and arguments Rapport runs for a list, for
// the log.
func (e *env) compiled(b *testing.B, l list) string {
	b.Helper()
	sql, args, err := e.queries.Compile(e.principal(), l.soql, query.Options{})
	if err != nil {
		b.Fatalf("compile: %v", err)
	}
	return fmt.Sprintf("%s %v", strings.Join(strings.Fields(sql), " "), args)
}

// targets are Rapport and the bare handler, in that order.
func (e *env) targets() [2]target {
	return [2]target{
		{client: e.client, base: e.rapport.URL, token: e.token},
		{client: e.client, base: e.bare.URL, token: e.token},
	}
}

// fetch sends one request and decodes its JSON answer into v.
func fetch(b *testing.B, t target, method, path string, body []byte, want int, v any) {
	b.Helper()
	r, err := newRequest(t, method, path, body)
	if err != nil {
		b.Fatal(err)
	}
	res, err := t.client.Do(r)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		b.Fatal(err)
	}
	if res.StatusCode != want {
		b.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, data, want)
	}
	if err := json.Unmarshal(data, v); err != nil {
		b.Fatalf("%s %s: %v: %s", method, path, err, data)
	}
}

// check makes sure, before anything is measured, that both sides answer
// alike: the same record, the same 50 rows in the same order, and a
// created record that the other side reads back.
func (e *env) check(b *testing.B) {
	b.Helper()
	sides := e.targets()
	id := e.ids[len(e.ids)/2]
	for _, t := range sides {
		var rec map[string]any
		fetch(b, t, http.MethodGet, "/sobjects/Contact/"+id, nil, http.StatusOK, &rec)
		if rec["Id"] != id || rec["LastName"] == nil {
			b.Fatalf("%s: GET %s = %v", t.base, id, rec)
		}
	}
	for _, l := range lists {
		var ids [2][]string
		for i, t := range sides {
			var res struct {
				TotalSize int              `json:"totalSize"`
				Records   []map[string]any `json:"records"`
			}
			fetch(b, t, http.MethodGet, "/query?q="+url.QueryEscape(l.soql), nil, http.StatusOK, &res)
			for _, r := range res.Records {
				id, _ := r["Id"].(string)
				ids[i] = append(ids[i], id)
			}
			if res.TotalSize != 50 || len(ids[i]) != 50 {
				b.Fatalf("%s: %s has %d rows (totalSize %d), want 50", t.base, l.endpoint, len(ids[i]), res.TotalSize)
			}
		}
		if !slices.Equal(ids[0], ids[1]) {
			b.Fatalf("%s: the two sides list different rows:\n%v\n%v", l.endpoint, ids[0], ids[1])
		}
	}
	for i, t := range sides {
		var created struct {
			ID      string `json:"id"`
			Success bool   `json:"success"`
		}
		n := contactCount + i
		fetch(b, t, http.MethodPost, "/sobjects/Contact", contactBody(n), http.StatusCreated, &created)
		var rec map[string]any
		fetch(b, sides[1-i], http.MethodGet, "/sobjects/Contact/"+created.ID, nil, http.StatusOK, &rec)
		if !created.Success || rec["Email"] != contactFields(n)["Email"] {
			b.Fatalf("%s: created %v, read back %v", t.base, created, rec)
		}
	}
}

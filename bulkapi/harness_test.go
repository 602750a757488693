package bulkapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/bulkapi"
	"github.com/rapportcrm/rapport/jobs"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/restapi"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

// harness is a server with one org, the bulk service and a runner working
// its tasks, and a session of the org's administrator.
type harness struct {
	t      testing.TB
	env    *env
	db     *sqlstore.DB
	bulk   *bulkapi.Service
	runner *jobs.Runner
	srv    *httptest.Server
	token  string
	// patience is how long wait waits for a job; a minute by default.
	patience time.Duration
}

type backend struct {
	name string
	open func(t testing.TB) (*sqlstore.DB, query.Dialect, bulkapi.Blobs)
}

func openSQLite(t testing.TB) (*sqlstore.DB, query.Dialect, bulkapi.Blobs) {
	dir := t.TempDir()
	b, err := sqlite.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, b, bulkapi.DirBlobs{Dir: dir + "/bulk"}
}

func openPostgres(t testing.TB) (*sqlstore.DB, query.Dialect, bulkapi.Blobs) {
	b := postgres.New(pgtest.Database(t))
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, b, bulkapi.SQLBlobs{DB: db}
}

var backends = []backend{{"sqlite", openSQLite}, {"postgres", openPostgres}}

// onBackends runs fn on SQLite and, when RAPPORT_TEST_POSTGRES is set, on
// PostgreSQL.
func onBackends(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, newHarness(t, b, bulkapi.Options{ChunkSize: 3})) })
	}
}

// env is an org and the services over a store.
type env struct {
	Records *record.Service
	Tenants *tenant.Service
	Org     tenant.NewOrg
}

var orgSeq atomic.Int64

// newEnv creates an org in db.
func newEnv(t testing.TB, db *sqlstore.DB) *env {
	t.Helper()
	recs := record.NewService(db, record.Options{})
	ten := tenant.NewService(db, recs, nil, nil)
	n := orgSeq.Add(1)
	org, err := ten.CreateOrg(context.Background(), tenant.OrgParams{
		Name:     fmt.Sprintf("Bulk Org %d", n),
		Username: fmt.Sprintf("bulk%d.%d@bulktest.example", n, time.Now().UnixNano()),
		Password: "correct horse 9",
	})
	if err != nil {
		t.Fatalf("CreateOrg: %v", err)
	}
	return &env{Records: recs, Tenants: ten, Org: org}
}

func newHarness(t testing.TB, b backend, opt bulkapi.Options) *harness {
	t.Helper()
	db, dialect, blobs := b.open(t)
	env := newEnv(t, db)
	qs := query.NewService(db, dialect, env.Records, query.Config{})
	runner := jobs.NewRunner(db, jobs.Options{Poll: 20 * time.Millisecond, Lease: 5 * time.Second})
	if opt.ErrorCode == nil {
		opt.ErrorCode = restapi.ErrorCode
	}
	svc := bulkapi.New(db, blobs, env.Records, db, qs, runner, opt)
	svc.Register(runner)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runner.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	a := auth.New(db, env.Records.IDs(), auth.Options{}, nil, nil)
	srv := httptest.NewServer(server.NewServer(server.Deps{Records: env.Records, Tenants: env.Tenants, Auth: a, Query: qs, Bulk: svc}))
	t.Cleanup(srv.Close)
	h := &harness{t: t, env: env, db: db, bulk: svc, runner: runner, srv: srv}
	h.token = h.login()
	return h
}

func (h *harness) login() string {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL+"/services/oauth2/token", strings.NewReader(
		"grant_type=password&client_id=PlatformCLI&username="+h.env.Org.Username+"&password=correct+horse+9"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res := h.send(req)
	if res.status != 200 {
		h.t.Fatalf("login: %d %s", res.status, res.body)
	}
	return res.obj()["access_token"].(string)
}

type response struct {
	t      testing.TB
	status int
	header http.Header
	body   []byte
}

func (r response) obj() map[string]any {
	r.t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		r.t.Fatalf("response is not a JSON object (%v): %s", err, r.body)
	}
	return m
}

// errorCode checks Bulk's error shape and returns the first code.
func (r response) errorCode() string {
	r.t.Helper()
	var l []map[string]any
	if err := json.Unmarshal(r.body, &l); err != nil || len(l) == 0 {
		r.t.Fatalf("error body is not a non-empty JSON array: %s", r.body)
	}
	code, _ := l[0]["errorCode"].(string)
	if _, ok := l[0]["message"].(string); !ok || code == "" {
		r.t.Fatalf("error element lacks errorCode or message: %s", r.body)
	}
	return code
}

// rows parses a CSV body.
func (r response) rows() [][]string {
	r.t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		r.t.Fatalf("Content-Type %q, want text/csv; body %s", ct, r.body)
	}
	cr := csv.NewReader(bytes.NewReader(r.body))
	cr.FieldsPerRecord = -1
	out, err := cr.ReadAll()
	if err != nil {
		r.t.Fatalf("results are not CSV (%v): %s", err, r.body)
	}
	return out
}

func (h *harness) send(req *http.Request) response {
	h.t.Helper()
	if h.token != "" {
		req.Header.Set("Authorization", "Bearer "+h.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{t: h.t, status: res.StatusCode, header: res.Header, body: body}
}

const v = "/services/data/v60.0"

func (h *harness) do(method, path, contentType string, body io.Reader) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return h.send(req)
}

func (h *harness) json(method, path string, v any) response {
	h.t.Helper()
	var body io.Reader
	if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	return h.do(method, path, "application/json", body)
}

// createIngest creates an ingest job and returns its id.
func (h *harness) createIngest(spec map[string]any) string {
	h.t.Helper()
	res := h.json("POST", v+"/jobs/ingest", spec)
	if res.status != 200 {
		h.t.Fatalf("create job %v: %d %s", spec, res.status, res.body)
	}
	m := res.obj()
	if m["state"] != "Open" || m["jobType"] != "V2Ingest" || !strings.HasPrefix(m["id"].(string), "750") {
		h.t.Fatalf("create job: %s", res.body)
	}
	return m["id"].(string)
}

func (h *harness) upload(id, data string) {
	h.t.Helper()
	res := h.do("PUT", v+"/jobs/ingest/"+id+"/batches", "text/csv", strings.NewReader(data))
	if res.status != 201 || len(res.body) != 0 {
		h.t.Fatalf("upload: %d %s", res.status, res.body)
	}
}

func (h *harness) close(kind, id string) {
	h.t.Helper()
	res := h.json("PATCH", v+"/jobs/"+kind+"/"+id, map[string]string{"state": "UploadComplete"})
	if res.status != 200 || res.obj()["state"] != "UploadComplete" {
		h.t.Fatalf("close: %d %s", res.status, res.body)
	}
}

// wait polls a job until its state is final and returns its JobInfo.
func (h *harness) wait(kind, id string) map[string]any {
	h.t.Helper()
	patience := h.patience
	if patience == 0 {
		patience = time.Minute
	}
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		res := h.json("GET", v+"/jobs/"+kind+"/"+id, nil)
		if res.status != 200 {
			h.t.Fatalf("poll: %d %s", res.status, res.body)
		}
		m := res.obj()
		switch m["state"] {
		case "JobComplete", "Failed", "Aborted":
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatalf("job %s did not finish", id)
	return nil
}

// ingest runs a whole ingest job and returns its final JobInfo.
func (h *harness) ingest(spec map[string]any, data string) (string, map[string]any) {
	h.t.Helper()
	id := h.createIngest(spec)
	h.upload(id, data)
	h.close("ingest", id)
	return id, h.wait("ingest", id)
}

func (h *harness) results(id, which string) [][]string {
	h.t.Helper()
	res := h.json("GET", v+"/jobs/ingest/"+id+"/"+which, nil)
	if res.status != 200 {
		h.t.Fatalf("%s: %d %s", which, res.status, res.body)
	}
	return res.rows()
}

// soql runs a query as the administrator and returns the records.
func (h *harness) soql(q string) []map[string]any {
	h.t.Helper()
	res := h.json("GET", v+"/query?q="+url.QueryEscape(q), nil)
	if res.status != 200 {
		h.t.Fatalf("query %s: %d %s", q, res.status, res.body)
	}
	var out struct {
		Records []map[string]any `json:"records"`
	}
	json.Unmarshal(res.body, &out)
	return out.Records
}

func (h *harness) count(q string) int { return len(h.soql(q)) }

// addField adds a custom field as the system.
func (h *harness) addField(object string, f *metadata.Field) {
	h.t.Helper()
	ctx := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: h.env.Org.OrgID, UserID: h.env.Org.UserID, System: true})
	if _, err := h.env.Records.CreateField(ctx, object, f); err != nil {
		h.t.Fatalf("CreateField %s.%s: %v", object, f.Name, err)
	}
}

func num(v any) int {
	var n int
	fmt.Sscan(fmt.Sprint(v), &n)
	return n
}

func bulkapiOptions(maxUpload int64) bulkapi.Options {
	return bulkapi.Options{ChunkSize: 3, MaxUpload: maxUpload}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

// syncBuffer is an io.Writer that a running command and the test may use
// at the same time.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// invocation is one run of the command.
type invocation struct {
	args  []string
	env   map[string]string
	stdin string
}

type outcome struct {
	code           int
	stdout, stderr string
}

func (in invocation) run(ctx context.Context) outcome {
	var stdout, stderr syncBuffer
	getenv := func(k string) string { return in.env[k] }
	code := run(ctx, append([]string{"rapport"}, in.args...), getenv, strings.NewReader(in.stdin), &stdout, &stderr)
	return outcome{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func rapportCmd(t *testing.T, env map[string]string, stdin string, args ...string) outcome {
	t.Helper()
	out := invocation{args: args, env: env, stdin: stdin}.run(context.Background())
	t.Logf("rapport %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), out.code, out.stdout, out.stderr)
	return out
}

// A backend is a store the commands are tested on.
type backend struct {
	name string
	// where returns the flags that name a fresh store.
	where func(t *testing.T) []string
}

var backends = []backend{
	{"sqlite", func(t *testing.T) []string { return []string{"--data", filepath.Join(t.TempDir(), "data")} }},
	{"postgres", func(t *testing.T) []string { return []string{"--database", pgtest.Database(t)} }},
}

// eachBackend runs test on every backend, in parallel.
func eachBackend(t *testing.T, test func(t *testing.T, where []string)) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			test(t, b.where(t))
		})
	}
}

// openStore opens the store the flags name, as the test's own view of it.
func openStore(t *testing.T, where []string) (*sqlstore.DB, *tenant.Service) {
	t.Helper()
	var b sqlstore.Backend
	switch where[0] {
	case "--data":
		sb, err := sqlite.New(where[1])
		if err != nil {
			t.Fatal(err)
		}
		b = sb
	case "--database":
		b = postgres.New(where[1])
	}
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, tenant.NewService(db, record.NewService(db, record.Options{}), nil, nil)
}

// decodeOne decodes stdout, which must be exactly one JSON object on one
// line, into v, refusing unknown fields.
func decodeOne(t *testing.T, stdout string, v any) {
	t.Helper()
	if strings.Count(stdout, "\n") != 1 || !strings.HasSuffix(stdout, "}\n") {
		t.Fatalf("stdout = %q, want one JSON object on one line", stdout)
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode stdout %q: %v", stdout, err)
	}
}

// wantOneErrorLine checks that a command failed with status code and said
// why in exactly one line of stderr, matching pattern.
func wantOneErrorLine(t *testing.T, out outcome, code int, pattern string) {
	t.Helper()
	if out.code != code {
		t.Errorf("exit status %d, want %d", out.code, code)
	}
	if strings.Count(out.stderr, "\n") != 1 || !strings.HasPrefix(out.stderr, "rapport: ") {
		t.Errorf("stderr = %q, want one line starting with \"rapport: \"", out.stderr)
	}
	if !regexp.MustCompile(pattern).MatchString(out.stderr) {
		t.Errorf("stderr = %q, want a match for %q", out.stderr, pattern)
	}
	if out.stdout != "" {
		t.Errorf("stdout = %q, want nothing", out.stdout)
	}
}

type newOrg struct {
	OrgID    rapport.ID `json:"orgId"`
	UserID   rapport.ID `json:"userId"`
	Username string     `json:"username"`
}

// createOrg creates an org with the CLI and returns what it printed.
func createOrg(t *testing.T, where []string, name, username string) newOrg {
	t.Helper()
	args := append([]string{"org", "create", "--name", name, "--username", username, "--password", "correct horse 9"}, where...)
	out := rapportCmd(t, nil, "", args...)
	if out.code != 0 {
		t.Fatalf("org create: exit status %d, stderr %q", out.code, out.stderr)
	}
	var org newOrg
	decodeOne(t, out.stdout, &org)
	return org
}

func TestOrgCreate(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		ctx := context.Background()
		org := createOrg(t, where, "Acme", "admin@acme.example")
		if org.OrgID.Prefix() != "00D" || org.UserID.Prefix() != "005" || org.Username != "admin@acme.example" {
			t.Errorf("org create printed %+v, want 00D…, 005… and admin@acme.example", org)
		}
		db, tenants := openStore(t, where)
		o, err := db.Org(ctx, org.OrgID)
		if err != nil || o.Name != "Acme" || o.Status != tenant.StatusActive {
			t.Errorf("Org(%s) = %+v, %v; want the active org Acme", org.OrgID, o, err)
		}
		if id, err := tenants.Authenticate(ctx, "admin@acme.example", "correct horse 9"); err != nil || id.UserID != org.UserID {
			t.Errorf("Authenticate = %+v, %v; want user %s", id, err, org.UserID)
		}

		// The same username again, in any case, is refused in one line,
		// and leaves no org behind.
		out := rapportCmd(t, nil, "", append([]string{"org", "create", "--name", "Copycat", "--username", "ADMIN@acme.example", "--password", "another pass 1"}, where...)...)
		wantOneErrorLine(t, out, 1, `^rapport: the username ADMIN@acme\.example is already taken\n$`)
		if orgs, err := db.Orgs(ctx); err != nil || len(orgs) != 1 {
			t.Errorf("Orgs after a refused create = %d orgs, %v; want 1", len(orgs), err)
		}

		// A password the policy refuses fails in one line; the password is
		// not repeated.
		out = rapportCmd(t, nil, "", append([]string{"org", "create", "--name", "Weak", "--username", "weak@acme.example", "--password", "short"}, where...)...)
		wantOneErrorLine(t, out, 1, `at least 8 characters`)
		if strings.Contains(out.stderr, "short") {
			t.Errorf("stderr %q repeats the password", out.stderr)
		}
	})
}

func TestOrgCreatePasswordSources(t *testing.T) {
	t.Parallel()
	where := []string{"--data", t.TempDir()}
	cases := []struct {
		name     string
		username string
		args     []string
		env      map[string]string
		stdin    string
		password string
	}{
		{"stdin", "stdin@acme.example", []string{"--password", "-"}, nil, "from stdin 1\nnext line\n", "from stdin 1"},
		{"stdin without newline", "eof@acme.example", []string{"--password", "-"}, nil, "from stdin 2", "from stdin 2"},
		{"stdin with CRLF", "crlf@acme.example", []string{"--password", "-"}, nil, "from stdin 3\r\n", "from stdin 3"},
		{"environment", "env@acme.example", nil, map[string]string{"RAPPORT_PASSWORD": "from env 4"}, "", "from env 4"},
		{"flag wins over environment", "flag@acme.example", []string{"--password", "from flag 5"}, map[string]string{"RAPPORT_PASSWORD": "from env 5"}, "", "from flag 5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"org", "create", "--name", tc.name, "--username", tc.username}, tc.args...)
			out := rapportCmd(t, tc.env, tc.stdin, append(args, where...)...)
			if out.code != 0 {
				t.Fatalf("exit status %d, stderr %q", out.code, out.stderr)
			}
			if strings.Contains(out.stderr, tc.password) {
				t.Errorf("the password is in the log: %q", out.stderr)
			}
			_, tenants := openStore(t, where)
			if _, err := tenants.Authenticate(context.Background(), tc.username, tc.password); err != nil {
				t.Errorf("Authenticate(%s, %q) = %v", tc.username, tc.password, err)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		stdin   string
		pattern string
	}{
		{"misspelt flag", []string{"org", "create", "--nmae", "Acme"}, nil, "", `^rapport: unknown flag: --nmae\n$`},
		{"flag without value", []string{"serve", "--addr"}, nil, "", `flag needs an argument: --addr`},
		{"not a number", []string{"org", "create", "--fiscal-year-start", "May"}, nil, "", `"May"`},
		{"data and database", []string{"serve", "--data", data, "--database", "postgres://localhost/rapport"}, nil, "", `^rapport: --data and --database cannot be used together\n$`},
		{"data and database in the environment", []string{"migrate"}, map[string]string{"RAPPORT_DATA": data, "RAPPORT_DATABASE": "postgres://localhost/rapport"}, "", `RAPPORT_DATA and RAPPORT_DATABASE`},
		{"database not a URL", []string{"org", "list", "--database", "mysql://root:hunter2@localhost/crm"}, nil, "", `^rapport: --database must be a PostgreSQL URL`},
		{"empty data", []string{"org", "list", "--data", ""}, nil, "", `--data needs a directory`},
		{"missing flags", []string{"org", "create", "--data", data}, nil, "", `^rapport: org create needs --name and --username and --password`},
		{"missing password", []string{"org", "create", "--data", data, "--name", "Acme", "--username", "a@acme.example"}, nil, "", `needs --password \(or RAPPORT_PASSWORD\)`},
		{"empty stdin", []string{"org", "create", "--data", data, "--name", "Acme", "--username", "a@acme.example", "--password", "-"}, nil, "", `no password on stdin`},
		{"unknown command", []string{"frobnicate"}, nil, "", `^rapport: unknown command "frobnicate" for rapport`},
		{"unknown subcommand", []string{"org", "delete"}, nil, "", `unknown command "delete" for rapport org`},
		{"no command", nil, nil, "", `^rapport: a command is needed: access, connected-app, .*migrate, org, query, serve, version `},
		{"group without command", []string{"connected-app"}, nil, "", `needs a command: create`},
		{"positional argument", []string{"migrate", "now", "--data", data}, nil, "", `unexpected argument "now"`},
		{"bad org ID", []string{"connected-app", "create", "--org", "acme", "--name", "Loader", "--data", data}, nil, "", `--org "acme" is not an org ID`},
		{"record ID for org", []string{"connected-app", "create", "--org", "001000000000001AAA", "--name", "Loader", "--data", data}, nil, "", `is not an org ID`},
		{"bad log level", []string{"version"}, map[string]string{"RAPPORT_LOG_LEVEL": "loud"}, "", `RAPPORT_LOG_LEVEL "loud"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := rapportCmd(t, tc.env, tc.stdin, tc.args...)
			wantOneErrorLine(t, out, 2, tc.pattern)
			if strings.Contains(out.stderr, "hunter2") {
				t.Errorf("stderr %q repeats the database password", out.stderr)
			}
		})
	}
}

func TestFailures(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "nowhere")
	cases := []struct {
		name    string
		args    []string
		pattern string
	}{
		{"no such data directory", []string{"org", "list", "--data", missing}, `there is no data directory`},
		{"unknown org", []string{"connected-app", "create", "--org", "00D000000000001", "--name", "Loader", "--data", t.TempDir()}, `^rapport: no org 00D000000000001EAA\n$`},
		{"bad address", []string{"serve", "--addr", "127.0.0.1:99999", "--data", t.TempDir()}, `99999`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := rapportCmd(t, map[string]string{"RAPPORT_LOG_LEVEL": "warn"}, "", tc.args...)
			wantOneErrorLine(t, out, 1, tc.pattern)
		})
	}
}

func TestConnectedAppCreate(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		org := createOrg(t, where, "Acme", "admin@acme.example")
		out := rapportCmd(t, nil, "", append([]string{"connected-app", "create", "--org", string(org.OrgID), "--name", "Data Loader"}, where...)...)
		if out.code != 0 {
			t.Fatalf("exit status %d, stderr %q", out.code, out.stderr)
		}
		var creds struct {
			ClientID     string `json:"clientId"`
			ClientSecret string `json:"clientSecret"`
		}
		decodeOne(t, out.stdout, &creds)
		if creds.ClientID == "" || creds.ClientSecret == "" {
			t.Fatalf("credentials %+v, want both parts", creds)
		}
		if strings.Contains(out.stderr, creds.ClientSecret) {
			t.Errorf("the client secret is in the log: %q", out.stderr)
		}
		db, _ := openStore(t, where)
		app, err := db.ConnectedApp(context.Background(), creds.ClientID)
		if err != nil || app.OrgID != org.OrgID || app.Name != "Data Loader" || app.SecretHash != tenant.HashSecret(creds.ClientSecret) {
			t.Errorf("ConnectedApp(%s) = %+v, %v; want Data Loader of %s with the secret's hash", creds.ClientID, app, err, org.OrgID)
		}
	})
}

func TestMigrateAndList(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		acme := createOrg(t, where, "Acme", "admin@acme.example")
		globex := createOrg(t, where, "Globex Corporation", "admin@globex.example")

		out := rapportCmd(t, nil, "", append([]string{"migrate"}, where...)...)
		if out.code != 0 {
			t.Fatalf("migrate: exit status %d, stderr %q", out.code, out.stderr)
		}
		want := map[string]bool{string(acme.OrgID) + " ok": true, string(globex.OrgID) + " ok": true}
		lines := strings.Split(strings.TrimSuffix(out.stdout, "\n"), "\n")
		if len(lines) != 2 || !want[lines[0]] || !want[lines[1]] || lines[0] == lines[1] {
			t.Errorf("migrate printed %q, want one \"<id> ok\" line for each of %s and %s", out.stdout, acme.OrgID, globex.OrgID)
		}

		out = rapportCmd(t, nil, "", append([]string{"org", "list"}, where...)...)
		if out.code != 0 {
			t.Fatalf("org list: exit status %d, stderr %q", out.code, out.stderr)
		}
		var got [][]string
		sc := bufio.NewScanner(strings.NewReader(out.stdout))
		for sc.Scan() {
			got = append(got, strings.SplitN(strings.Join(strings.Fields(sc.Text()), " "), " ", 3))
		}
		wantOrgs := map[rapport.ID]string{acme.OrgID: "Acme", globex.OrgID: "Globex Corporation"}
		if len(got) != 2 {
			t.Fatalf("org list printed %q, want two lines", out.stdout)
		}
		for _, f := range got {
			if len(f) != 3 || wantOrgs[rapport.ID(f[0])] != f[2] || f[1] != tenant.StatusActive {
				t.Errorf("org list line %q, want ID, active and name of one of %v", f, wantOrgs)
			}
		}
	})
}

func TestServe(t *testing.T) {
	eachBackend(t, func(t *testing.T, where []string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var stdout, stderr syncBuffer
		done := make(chan int, 1)
		go func() {
			args := append([]string{"rapport", "serve", "--addr", "127.0.0.1:0"}, where...)
			done <- run(ctx, args, func(string) string { return "" }, nil, &stdout, &stderr)
		}()
		defer func() {
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
			}
		}()

		urlPattern := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)\n`)
		var base string
		for deadline := time.Now().Add(30 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
			if m := urlPattern.FindStringSubmatch(stdout.String()); m != nil {
				base = m[1]
				break
			}
			select {
			case code := <-done:
				t.Fatalf("serve returned %d before listening", code)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatal("serve did not say where it listens within 30s")
			}
		}

		// The store is empty: serve says how to make the first org, on the
		// same store.
		hint := "rapport org create --name 'My Company' --username admin@example.com --password - " + where[0] + " " + shellQuote(where[1])
		if !strings.Contains(stdout.String(), hint) {
			t.Errorf("stdout lacks %q", hint)
		}

		resp, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /healthz: %s, want 200", resp.Status)
		}

		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve returned %d after cancellation, want 0", code)
			}
		case <-time.After(shutdownTimeout + 5*time.Second):
			t.Fatal("serve did not stop after cancellation")
		}
		if _, err := http.Get(base + "/healthz"); err == nil {
			t.Error("the server still answers after it stopped")
		}
	})
}

func TestServeWithOrgs(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	createOrg(t, []string{"--data", data}, "Acme", "admin@acme.example")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		env := map[string]string{"RAPPORT_ADDR": "127.0.0.1:0", "RAPPORT_DATA": data}
		done <- run(ctx, []string{"rapport", "serve"}, func(k string) string { return env[k] }, nil, &stdout, &stderr)
	}()
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(stdout.String(), "listening on"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not listen within 30s; stderr:\n%s", stderr.String())
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve returned %d, want 0", code)
	}
	if strings.Contains(stdout.String(), "org create") {
		t.Errorf("serve with an org still says how to create one:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "data="+data) {
		t.Errorf("serve did not take its store from RAPPORT_DATA; log:\n%s", stderr.String())
	}
}

func TestHelpAndVersion(t *testing.T) {
	t.Parallel()
	out := rapportCmd(t, nil, "", "--help")
	if out.code != 0 || out.stderr != "" || !strings.Contains(out.stdout, "connected-app") || !strings.Contains(out.stdout, "RAPPORT_DATABASE") {
		t.Errorf("--help: exit %d, stdout %q, stderr %q; want help on stdout", out.code, out.stdout, out.stderr)
	}
	out = rapportCmd(t, nil, "", "org", "create", "--help")
	if out.code != 0 || !strings.Contains(out.stdout, "--password -") || !strings.Contains(out.stdout, "RAPPORT_PASSWORD") {
		t.Errorf("org create --help: exit %d, stdout %q; want the password's sources explained", out.code, out.stdout)
	}
	out = rapportCmd(t, nil, "", "version")
	if out.code != 0 || !strings.HasPrefix(out.stdout, "rapport ") || strings.Count(out.stdout, "\n") != 1 {
		t.Errorf("version: exit %d, stdout %q; want one line", out.code, out.stdout)
	}
}

func TestShellQuote(t *testing.T) {
	cases := []struct{ in, want string }{
		{"./rapport-data", "./rapport-data"},
		{"/srv/rapport data", "'/srv/rapport data'"},
		{"postgres://u@h:5432/db?sslmode=disable", "'postgres://u@h:5432/db?sslmode=disable'"},
		{"it's", `'it'\''s'`},
		{"", "''"},
	}
	for _, tc := range cases {
		if got := shellQuote(tc.in); got != tc.want {
			t.Errorf("shellQuote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestFirstOrgHintHidesPassword(t *testing.T) {
	var b strings.Builder
	printFirstOrgHint(&b, location{database: "postgres://rapport:hunter2@db.internal:5432/crm?sslmode=require", source: "--database"})
	if strings.Contains(b.String(), "hunter2") {
		t.Errorf("the hint shows the database password:\n%s", b.String())
	}
	want := "--database 'postgres://rapport:xxxxx@db.internal:5432/crm?sslmode=require'"
	if !strings.Contains(b.String(), want) || !strings.Contains(b.String(), "in place of xxxxx") {
		t.Errorf("the hint lacks %s and a word on the password:\n%s", want, b.String())
	}
}

func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := invocation{args: []string{"org", "create", "--name", "Acme", "--username", "a@acme.example", "--password", "correct horse 9", "--data", t.TempDir()}}.run(ctx)
	wantOneErrorLine(t, out, 1, `^rapport: interrupted\n$`)
}

package restapi_test

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/storetest"
)

// TestRequestLog checks the debug request log the client suite reads: one
// line per request, with parameter names and never their values.
func TestRequestLog(t *testing.T) {
	db := openSQLite(t)
	env := storetest.NewEnv(t, db)
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a := auth.New(db, env.Records.IDs(), auth.Options{}, nil, nil)
	srv := httptest.NewServer(server.NewServer(server.Deps{Logger: log, Records: env.Records, Tenants: env.Tenants, Auth: a}))
	t.Cleanup(srv.Close)
	h := &harness{t: t, env: env, srv: srv, auth: a}
	h.token = h.login()
	h.do("GET", v+"/sobjects/Account/describe?secret=hunter2&b=1", "")
	h.do("GET", "/services/data/v99.0/limits", "")

	var lines []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.Contains(l, "msg=request ") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 3 {
		t.Fatalf("got %d request lines, want 3:\n%s", len(lines), buf.String())
	}
	for i, want := range []string{
		"method=POST path=/services/oauth2/token params=\"\" status=200",
		"method=GET path=" + v + "/sobjects/Account/describe params=b,secret status=200",
		"method=GET path=/services/data/v99.0/limits params=\"\" status=404",
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %s, want it to contain %s", i, lines[i], want)
		}
	}
	if strings.Contains(buf.String(), "hunter2") {
		t.Errorf("a parameter value was logged:\n%s", buf.String())
	}
}

package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	out := invocation{args: []string{"demo", "--attendees", "30", "--data", data}, env: map[string]string{"RAPPORT_LOG_LEVEL": "warn"}}.run(context.Background())
	if out.code != 0 {
		t.Fatalf("demo: exit status %d, stderr %q", out.code, out.stderr)
	}
	for _, want := range []string{
		`(?m)^Created the demo org "Rapport Demo" \(00D\w{15}\) with 30 Dreamforce attendees in `,
		`(?m)^Sign in at http://127\.0\.0\.1:8080/login once the server runs \(rapport serve --data ` + regexp.QuoteMeta(data) + `\):$`,
		`(?m)^  Username: demo@rapport\.example$`,
		`(?m)^  Password: \S{8,}$`,
		`(?m)^  demo\+casey@rapport\.example +Casey Brooks +Read Only`,
		`(?m)^  demo\+jordan@rapport\.example +Jordan Patel +Standard User +Sales Rep$`,
	} {
		if !regexp.MustCompile(want).MatchString(out.stdout) {
			t.Errorf("stdout lacks %s:\n%s", want, out.stdout)
		}
	}
	if !strings.Contains(out.stderr, "attendees: 32 of 32 rows (100%)") {
		t.Errorf("stderr shows no progress of the attendees:\n%s", out.stderr)
	}
	password := regexp.MustCompile(`(?m)^  Password: (\S+)$`).FindStringSubmatch(out.stdout)[1]

	// The users can sign in, and a second demo org takes the next username.
	db, tenants := openStore(t, []string{"--data", data})
	for _, u := range []string{"demo@rapport.example", "demo+casey@rapport.example"} {
		if _, err := tenants.Authenticate(context.Background(), u, password); err != nil {
			t.Errorf("Authenticate(%s): %v", u, err)
		}
	}
	db.Close()
	out = invocation{args: []string{"demo", "--attendees", "1", "--data", data, "--password", "-"}, stdin: "given pass 77\n",
		env: map[string]string{"RAPPORT_LOG_LEVEL": "warn"}}.run(context.Background())
	if out.code != 0 || !strings.Contains(out.stdout, "Username: demo+2@rapport.example\n  Password: given pass 77\n") {
		t.Errorf("second demo: exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
	}
}

func TestDemoBadInput(t *testing.T) {
	data := t.TempDir()
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"negative attendees", []string{"--attendees", "-1"}, 2, `^rapport: --attendees must be from 1 to 1000000, not -1\n$`},
		{"no attendees", []string{"--attendees", "0"}, 2, `^rapport: --attendees must be from 1 to 1000000, not 0\n$`},
		{"not a number", []string{"--attendees", "many"}, 2, `^rapport: invalid argument "many" for "--attendees"`},
		{"weak password", []string{"--password", "short"}, 1, `^rapport: the password must have at least 8 characters`},
		{"bad username", []string{"--username", "demo"}, 1, `^rapport: the username must look like an email address`},
		{"both stores", []string{"--database", "postgres://x@localhost/db"}, 2, `^rapport: --data and --database cannot be used together\n$`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"demo", "--data", data}, tc.args...)
			out := invocation{args: args}.run(context.Background())
			wantOneErrorLine(t, out, tc.code, tc.want)
		})
	}
}

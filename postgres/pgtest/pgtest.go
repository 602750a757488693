// Package pgtest gives tests a PostgreSQL database of their own.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// TestEnv names the environment variable holding the PostgreSQL URL tests
// run against.
const TestEnv = "RAPPORT_TEST_POSTGRES"

// Database creates an empty database for one test on the server named by
// RAPPORT_TEST_POSTGRES and returns its URL. The database is dropped when
// the test passes and kept, for a look, when it fails. Without the variable
// the test is skipped: PostgreSQL is optional on a developer's machine, and
// CI always sets it.
func Database(t testing.TB) string {
	t.Helper()
	base := os.Getenv(TestEnv)
	if base == "" {
		t.Skip(TestEnv + " is not set: PostgreSQL tests skipped")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", TestEnv, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	suffix := make([]byte, 6)
	rand.Read(suffix)
	name := "rapport_test_" + hex.EncodeToString(suffix)
	if _, err := admin.ExecContext(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("kept PostgreSQL database %s for inspection", name)
			return
		}
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u.Path = "/" + name
	return u.String()
}

package sqlite

import "testing"

func TestAnonymous(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"INSERT INTO t (a, b) VALUES (?1, ?2), (?3, ?4)", "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"},
		{"UPDATE t SET a = ?1, b = ?2 WHERE id = ?1", "UPDATE t SET a = ?1, b = ?2 WHERE id = ?1"},
		{"SELECT ?2, ?1", "SELECT ?2, ?1"},
		{`SELECT '?1 ''' FROM "a?b" WHERE x = ?1`, `SELECT '?1 ''' FROM "a?b" WHERE x = ?`},
		{"SELECT ? FROM t", "SELECT ? FROM t"},
		{"x LIKE ?1 ESCAPE '\\' AND y = ?2", "x LIKE ? ESCAPE '\\' AND y = ?"},
	} {
		if got := anonymous(tc.in); got != tc.want {
			t.Errorf("anonymous(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFunctions checks that connections through the wrapped driver have the
// functions Rapport registers: Unicode lower() and rapport_tz().
func TestFunctions(t *testing.T) {
	registerFunctions()
	db, err := open(t.TempDir()+"/f.db", true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var low, local string
	if err := db.QueryRow("SELECT lower(?1), rapport_tz(?2, ?3)", "ÉCOLE Ü", "2026-01-01T12:00:00.000Z", "Europe/Paris").Scan(&low, &local); err != nil {
		t.Fatal(err)
	}
	if low != "école ü" || local != "2026-01-01T13:00:00.000" {
		t.Errorf("lower, rapport_tz = %q, %q", low, local)
	}
}

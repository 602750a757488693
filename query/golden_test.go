package query_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/sqlite"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestCompileGolden compiles each query of testdata/compile.txt for SQLite
// and PostgreSQL and compares with the SQL recorded after "----". Run with
// -update to rewrite the file after an intended change.
func TestCompileGolden(t *testing.T) {
	w := newWorld(t, "golden", backends(t)["sqlite"])
	dialects := []struct {
		name string
		d    query.Dialect
	}{{"sqlite", mustSQLite(t)}, {"postgres", postgres.New("")}}
	// Physical names are surrogates that move whenever the standard
	// objects change: the golden SQL shows what they stand for.
	sch, err := w.records.Schema(w.ctx, w.org.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	for _, o := range sch.AllObjects() {
		pairs = append(pairs, `"`+o.Table+`"`, `"<`+o.Name+`>"`)
		for _, f := range o.Fields {
			if f.Column != "" && !strings.Contains(f.Column, "_") && f.Column != "id" {
				pairs = append(pairs, `"`+f.Column+`"`, `"<`+o.Name+"."+f.Name+`>"`)
			}
		}
	}
	names := strings.NewReplacer(pairs...)
	path := filepath.Join("testdata", "compile.txt")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, block := range strings.Split(string(raw), "\n----\n") {
		lines := strings.SplitN(strings.TrimLeft(block, "\n"), "\n", 2)
		src := strings.TrimSpace(lines[0])
		if src == "" {
			continue
		}
		want := ""
		if len(lines) > 1 {
			want = strings.TrimSpace(lines[1])
		}
		var got strings.Builder
		for _, d := range dialects {
			q := query.NewService(w.db, d.d, w.records, query.Config{Now: w.clockFunc()})
			sql, args, err := q.Compile(w.ctx, src, query.Options{})
			if err != nil {
				t.Fatalf("Compile(%q) for %s: %v", src, d.name, err)
			}
			fmt.Fprintf(&got, "%s: %s\n%s args: %s\n", d.name, names.Replace(sql), d.name, strings.ReplaceAll(formatArgs(args), string(w.org.UserID), "<user>"))
		}
		if *update {
			fmt.Fprintf(&out, "%s\n%s----\n", src, got.String())
			continue
		}
		if strings.TrimSpace(got.String()) != want {
			t.Errorf("Compile(%q):\n got:\n%s\nwant:\n%s", src, got.String(), want)
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func formatArgs(args []any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = fmt.Sprintf("%v", a)
	}
	return "[" + strings.Join(parts, " | ") + "]"
}

func mustSQLite(t testing.TB) *sqlite.Backend {
	b, err := sqlite.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pgDialect() query.Dialect { return postgres.New("") }

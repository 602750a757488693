package query_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/query"
)

// sqlWords are the words the compiler itself writes.
var sqlWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`SELECT FROM WHERE AND OR NOT IN IS NULL LIKE ESCAPE LEFT JOIN ON ORDER BY ASC DESC NULLS FIRST LAST
		LIMIT OFFSET GROUP HAVING ROLLUP CUBE GROUPING UNION ALL AS CASE WHEN THEN ELSE END CAST INTEGER DISTINCT OVER PARTITION
		ROW_NUMBER lower count sum avg min max COALESCE strftime substr rapport_tz EXTRACT YEAR MONTH DAY DOW DOY HOUR AT TIME
		ZONE date text numbered grouped rn`) {
		sqlWords[w] = true
	}
}

var (
	aliasWord = regexp.MustCompile(`^[tjcsq][0-9]+$`)
	physical  = regexp.MustCompile(`^[a-z0-9_]+$`)
	marker    = regexp.MustCompile(`^[?$][0-9]+`)
)

// checkSQL fails if sql holds anything but the compiler's words, physical
// names, bind markers, numbers and the constants allowed.
func checkSQL(t *testing.T, src, sql string, constants map[string]bool) {
	t.Helper()
	i := 0
	for i < len(sql) {
		c := sql[i]
		switch {
		case c == ' ' || strings.IndexByte("(),.=<>!*+-/%|", c) >= 0:
			i++
		case c == '"':
			end := strings.IndexByte(sql[i+1:], '"')
			if end < 0 || !physical.MatchString(sql[i+1:i+1+end]) {
				t.Fatalf("Compile(%q): identifier not from metadata at %d: %s", src, i, sql)
			}
			i += end + 2
		case c == '\'':
			end := strings.IndexByte(sql[i+1:], '\'')
			if end < 0 || !constants[sql[i+1:i+1+end]] {
				t.Fatalf("Compile(%q): string constant %q not allowed: %s", src, sql[i:], sql)
			}
			i += end + 2
		case c == '?' || c == '$':
			m := marker.FindString(sql[i:])
			if m == "" {
				t.Fatalf("Compile(%q): stray %c in %s", src, c, sql)
			}
			i += len(m)
		case c >= '0' && c <= '9':
			for i < len(sql) && sql[i] >= '0' && sql[i] <= '9' {
				i++
			}
		default:
			j := i
			for j < len(sql) && (sql[j] == '_' || sql[j] >= 'a' && sql[j] <= 'z' || sql[j] >= 'A' && sql[j] <= 'Z' || sql[j] >= '0' && sql[j] <= '9') {
				j++
			}
			word := sql[i:j]
			if j == i || !(sqlWords[word] || aliasWord.MatchString(word)) {
				t.Fatalf("Compile(%q): word %q is not the compiler's: %s", src, word, sql)
			}
			i = j
		}
	}
}

// FuzzCompile checks that the compiler never panics and that no text of the
// query reaches SQL except through bind parameters.
func FuzzCompile(f *testing.F) {
	for _, path := range []string{filepath.Join("..", "soql", "testdata", "valid.soql"), filepath.Join("testdata", "compile.txt")} {
		file, err := os.Open(path)
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(strings.ToUpper(line), "SELECT") {
				f.Add(line)
			}
		}
		file.Close()
	}
	f.Add("SELECT Name FROM Account WHERE Name = 'x\" OR 1=1 --' AND Industry IN ('a''b', 'lower(1)')")
	f.Add("SELECT Id FROM Contact WHERE LastName LIKE '%\\'; DROP TABLE t1; --%'")
	w := newWorld(f, "fuzz", backends(f)["sqlite"])
	sch, err := w.records.Schema(w.ctx, w.org.OrgID)
	if err != nil {
		f.Fatal(err)
	}
	constants := map[string]bool{`\`: true, ";": true, "UTC": true, "America/Los_Angeles": true}
	for _, p := range []string{"%Y", "%m", "%d", "%w", "%j", "%H"} {
		constants[p] = true
	}
	for _, o := range sch.Objects() {
		constants[o.Name] = true
	}
	dialects := []query.Dialect{mustSQLite(f), pgDialect()}
	f.Fuzz(func(t *testing.T, src string) {
		for _, d := range dialects {
			q := query.NewService(w.db, d, w.records, query.Config{Now: w.clockFunc()})
			sql, _, err := q.Compile(w.ctx, src, query.Options{})
			if err != nil {
				continue
			}
			checkSQL(t, src, sql, constants)
		}
	})
}

package query_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
)

// benchWorlds holds one loaded fixture per backend for the benchmarks:
// 20,000 accounts and 170,000 contacts.
var (
	benchMu     sync.Mutex
	benchWorlds = map[string]*world{}
)

const (
	benchAccounts = 20000
	benchContacts = 170000
)

func benchWorld(b *testing.B, name string, mk func(t testing.TB) dialect) *world {
	benchMu.Lock()
	defer benchMu.Unlock()
	if w := benchWorlds[name]; w != nil {
		return w
	}
	// The fixture outlives one benchmark: it is built under a throwaway
	// testing.B's cleanup-free context by keeping the world for the run.
	w := newWorld(&keepTB{b}, name, mk)
	r := rand.New(rand.NewPCG(1, 2))
	var accts []string
	for lo := 0; lo < benchAccounts; lo += 2000 {
		var recs []map[string]any
		for i := lo; i < lo+2000; i++ {
			recs = append(recs, map[string]any{"Name": fmt.Sprintf("Account %05d", i), "Industry": industries[i%3], "BillingCity": []string{"Paris", "Oslo", "Lima", "Pune"}[i%4]})
		}
		for _, id := range w.create(b, "Account", recs) {
			accts = append(accts, string(id))
		}
	}
	for lo := 0; lo < benchContacts; lo += 2000 {
		var recs []map[string]any
		for i := lo; i < lo+2000; i++ {
			recs = append(recs, map[string]any{
				"LastName": fmt.Sprintf("Last%06d", r.IntN(1000000)), "FirstName": fmt.Sprintf("First%d", i%97),
				"Email": fmt.Sprintf("c%d@example.com", i), "AccountId": accts[r.IntN(len(accts))], "LeadSource": sources[i%3],
				"Birthdate": fmt.Sprintf("19%02d-%02d-%02d", 50+i%50, 1+i%12, 1+i%28),
			})
		}
		w.create(b, "Contact", recs)
	}
	if err := w.db.Analyze(w.ctx, w.org.OrgID); err != nil {
		b.Fatal(err)
	}
	benchWorlds[name] = w
	return w
}

// keepTB is a testing.TB whose cleanups never run, for a fixture shared
// by every benchmark of the process.
type keepTB struct{ testing.TB }

func (keepTB) Cleanup(func()) {}

// benchQuery is a SOQL query and the SQL a person would write for it.
type benchQuery struct {
	name string
	soql string
	sql  func(w *world, prefix string, sch *metadata.Schema) string
}

func col(o *metadata.Object, field string) string { return `"` + o.Field(field).Column + `"` }

func tbl(prefix string, o *metadata.Object) string { return prefix + `"` + o.Table + `"` }

var benchQueries = []benchQuery{
	{
		name: "list",
		soql: "SELECT Id, Name, Email, Account.Name FROM Contact WHERE Account.Industry = 'Energy' AND LeadSource = 'Web' ORDER BY LastName LIMIT 200",
		sql: func(w *world, p string, sch *metadata.Schema) string {
			c, a := sch.Object("Contact"), sch.Object("Account")
			return "SELECT c.id, c." + col(c, "Name") + ", c." + col(c, "Email") + ", c." + col(c, "AccountId") + ", a." + col(a, "Name") +
				" FROM " + tbl(p, c) + " c LEFT JOIN " + tbl(p, a) + " a ON a.id = c." + col(c, "AccountId") +
				" WHERE NOT c.is_deleted AND lower(a." + col(a, "Industry") + ") = 'energy' AND lower(c." + col(c, "LeadSource") + ") = 'web'" +
				" ORDER BY lower(c." + col(c, "LastName") + "), c.id LIMIT 201"
		},
	},
	{
		name: "aggregate",
		soql: "SELECT LeadSource, COUNT(Id), MAX(Birthdate) FROM Contact GROUP BY LeadSource",
		sql: func(w *world, p string, sch *metadata.Schema) string {
			c := sch.Object("Contact")
			return "SELECT " + col(c, "LeadSource") + ", count(id), max(" + col(c, "Birthdate") + ") FROM " + tbl(p, c) +
				" WHERE NOT is_deleted GROUP BY " + col(c, "LeadSource")
		},
	},
	{
		name: "children",
		soql: "SELECT Id, Name, (SELECT LastName, Email FROM Contacts) FROM Account WHERE BillingCity = 'Oslo' ORDER BY Name LIMIT 200",
		sql: func(w *world, p string, sch *metadata.Schema) string {
			c, a := sch.Object("Contact"), sch.Object("Account")
			return "SELECT a.id, a." + col(a, "Name") + ", c.id, c." + col(c, "LastName") + ", c." + col(c, "Email") +
				" FROM (SELECT id, " + col(a, "Name") + " FROM " + tbl(p, a) + " WHERE NOT is_deleted AND lower(" + col(a, "BillingCity") + ") = 'oslo'" +
				" ORDER BY lower(" + col(a, "Name") + "), id LIMIT 200) a LEFT JOIN " + tbl(p, c) + " c ON c." + col(c, "AccountId") + " = a.id AND NOT c.is_deleted" +
				" ORDER BY lower(a." + col(a, "Name") + "), a.id"
		},
	},
}

// BenchmarkQuery runs each query through the query service ("soql": parse,
// bind, compile, execute, shape) and as hand-written SQL ("sql": execute
// and scan), on the same database in the same run.
func BenchmarkQuery(b *testing.B) {
	for name, mk := range backends(b) {
		b.Run(name, func(b *testing.B) {
			w := benchWorld(b, name, mk)
			sch, err := w.records.Schema(w.ctx, w.org.OrgID)
			if err != nil {
				b.Fatal(err)
			}
			db, prefix, err := w.db.QueryConn(w.ctx, w.org.OrgID)
			if err != nil {
				b.Fatal(err)
			}
			for _, bq := range benchQueries {
				b.Run(bq.name+"/soql", func(b *testing.B) {
					rows := 0
					for b.Loop() {
						res, err := w.q.Run(w.ctx, bq.soql, query.Options{})
						if err != nil {
							b.Fatal(err)
						}
						rows = len(res.Records)
					}
					b.ReportMetric(float64(rows), "rows")
				})
				b.Run(bq.name+"/sql", func(b *testing.B) {
					q := bq.sql(w, prefix, sch)
					rows := 0
					for b.Loop() {
						rows = scanAll(b, db, q)
					}
					b.ReportMetric(float64(rows), "rows")
				})
			}
		})
	}
}

func scanAll(b *testing.B, db *sql.DB, q string) int {
	rows, err := db.Query(q)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return n
}

// BenchmarkCompile measures parse + bind + compile alone.
func BenchmarkCompile(b *testing.B) {
	w := newWorld(b, "compile", backends(b)["sqlite"])
	for _, bq := range benchQueries {
		b.Run(bq.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := w.q.Compile(w.ctx, bq.soql, query.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var _ = strings.ToLower
var _ = record.WriteOptions{}

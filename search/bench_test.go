package search_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/sosl"
)

// benchContacts is the size of the benchmark's conference: 170,000
// contacts.
const benchContacts = 170000

// surname returns one of 1,000 last names: 40 beginnings times 25 endings,
// so that a three-letter prefix such as Smi matches 25 of them (about
// 4,250 contacts) and a whole name about 170.
func surname(i int) string {
	heads := [...]string{"Smi", "Joh", "Wil", "Bro", "Jon", "Gar", "Mil", "Dav", "Rod", "Mar",
		"Her", "Lop", "Gon", "Wal", "And", "Tho", "Tay", "Moo", "Jac", "Whi",
		"Har", "San", "Cla", "Ram", "Lew", "Rob", "Kin", "Wri", "Sco", "Tor",
		"Ngu", "Hil", "Flo", "Gre", "Ada", "Nel", "Bak", "Cam", "Mit", "Car"}
	tails := [...]string{"th", "thson", "ley", "erts", "ton", "ford", "ling", "man", "ers", "ell",
		"ick", "ins", "ardo", "ez", "ison", "dale", "well", "stein", "ova", "rich",
		"lund", "quist", "berg", "ano", "ski"}
	return heads[i%len(heads)] + tails[(i/len(heads))%len(tails)]
}

// loadConference creates an org of benchContacts contacts and reports how
// long loading (records and index) and building the index alone took.
func loadConference(b *testing.B, s *store) *org {
	o := s.newOrg(b)
	r := rand.New(rand.NewPCG(3, 5))
	start := time.Now()
	for lo := 0; lo < benchContacts; lo += 2000 {
		recs := make([]map[string]any, 0, 2000)
		for i := lo; i < lo+2000; i++ {
			n := r.IntN(1000)
			recs = append(recs, map[string]any{
				"FirstName": fmt.Sprintf("Guest%d", i%997), "LastName": surname(n),
				"Email": fmt.Sprintf("guest%d@conference.example", i), "Phone": fmt.Sprintf("(415) 555-%04d", i%10000),
				"Title": []string{"Keynote speaker", "Partner", "Attendee", "Volunteer"}[i%4],
			})
		}
		o.create(b, "Contact", recs...)
	}
	load := time.Since(start)
	if err := s.db.Analyze(o.ctx, o.id); err != nil {
		b.Fatal(err)
	}

	// The index alone: empty it and have the migration rebuild it.
	o.exec(b, "DELETE FROM %s_search")
	o.exec(b, "INSERT INTO %s_meta (key, value) VALUES ('search_backfill', 1)")
	start = time.Now()
	if err := s.db.MigrateOrg(context.Background(), o.id); err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	if err := s.db.Analyze(o.ctx, o.id); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: loaded %d contacts in %v (%.0f/s) with the index kept current; rebuilding the index alone took %v (%.0f/s)",
		s.name, benchContacts, load.Round(time.Millisecond), benchContacts/load.Seconds(), build.Round(time.Millisecond), benchContacts/build.Seconds())
	return o
}

// BenchmarkSearch searches 170,000 contacts by last name: a prefix
// matching about 4,250 of them, ranked or sorted; a whole name matching
// about 170; and, for comparison, the SOQL a client would otherwise write
// (LIKE on the indexed name column, which LastName is not).
func BenchmarkSearch(b *testing.B) {
	for name, mk := range backends(b) {
		b.Run(name, func(b *testing.B) {
			s := openStore(b, name, mk)
			o := loadConference(b, s)
			for _, c := range []struct {
				name, sosl string
			}{
				{"prefix", "FIND {Smi*} IN NAME FIELDS RETURNING Contact(Id, Name, Email LIMIT 20)"},
				{"prefix-ordered", "FIND {Smi*} IN NAME FIELDS RETURNING Contact(Id, Name, Email ORDER BY LastName, FirstName LIMIT 20)"},
				{"prefix-where", "FIND {Smi*} IN NAME FIELDS RETURNING Contact(Id, Name WHERE Title = 'Partner' LIMIT 20)"},
				{"word", "FIND {Smithson} RETURNING Contact(Id, Name, Email)"},
				{"all-objects", "FIND {Smithson}"},
			} {
				b.Run(c.name, func(b *testing.B) {
					n := 0
					for b.Loop() {
						n = len(o.find(b, c.sosl))
					}
					b.ReportMetric(float64(n), "records/op")
				})
			}
			// The index alone: the 100 best matches, as a search asks
			// for them when it returns 20 records by relevance.
			for _, c := range []struct{ name, term string }{{"index-prefix", "Smi*"}, {"index-word", "Smithson"}} {
				b.Run(c.name, func(b *testing.B) {
					term, err := sosl.ParseTerm(c.term)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for b.Loop() {
						hits, err := s.db.Search(o.ctx, o.id, term, sosl.ScopeName, []string{"003"}, 100)
						if err != nil {
							b.Fatal(err)
						}
						n = len(hits["003"])
					}
					b.ReportMetric(float64(n), "ids/op")
				})
			}
			b.Run("soql-like-baseline", func(b *testing.B) {
				n := 0
				for b.Loop() {
					res, err := o.q.Run(o.ctx, "SELECT Id, Name, Email FROM Contact WHERE LastName LIKE 'Smi%' LIMIT 20", query.Options{})
					if err != nil {
						b.Fatal(err)
					}
					n = len(res.Records)
				}
				b.ReportMetric(float64(n), "records/op")
			})
		})
	}
}

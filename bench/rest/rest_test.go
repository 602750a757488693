// Package rest measures the REST API against a bare net/http handler that
// runs the one equivalent SQL statement on the same database, in the same
// run (issue 4): GET of a contact by ID, POST of a new contact, and two
// filtered, sorted 50-row SOQL queries (one the database must scan and
// sort for, one an index serves), each at concurrency 1, 16 and 64.
//
// Both servers listen on the loopback interface of this process, and the
// load generator shares their cores. For each endpoint and concurrency the
// two sides run back to back, -rest.rounds times (3), alternating which
// goes first, each for -rest.duration (2s); the benchmark reports the
// medians, the ratio of Rapport's throughput to the bare handler's, and
// the requests left unanswered for 10 s ("stalled"), then prints a table.
// SQLite always runs; PostgreSQL when RAPPORT_TEST_POSTGRES is set.
//
//	go test -run '^$' -bench . ./bench/rest/
//	go test -run '^$' -bench . -timeout 40m ./bench/rest/ -args -rest.duration=5s
//	go test -run '^$' -bench 'REST/sqlite/get' ./bench/rest/
package rest

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	duration = flag.Duration("rest.duration", 2*time.Second, "how long each measured run sends requests (at most 1m)")
	rounds   = flag.Int("rest.rounds", 3, "runs of each side per endpoint and concurrency (at most 9); the medians are reported")
)

var concurrencies = []int{1, 16, 64}

// The endpoints, in the order they run: the lists before the creates that
// grow the table.
var endpoints = []struct {
	name string
	req  func(e *env) request
}{
	{"get", func(e *env) request {
		return func(t target, rnd *rand.Rand, _ int) (*http.Request, error) {
			return newRequest(t, http.MethodGet, "/sobjects/Contact/"+e.ids[rnd.IntN(len(e.ids))], nil)
		}
	}},
	{"query", listRequest(lists[0])},
	{"queryname", listRequest(lists[1])},
	{"create", func(e *env) request {
		return func(t target, _ *rand.Rand, n int) (*http.Request, error) {
			return newRequest(t, http.MethodPost, "/sobjects/Contact", contactBody(n))
		}
	}},
}

// listRequest returns the request of a list.
func listRequest(l list) func(e *env) request {
	path := "/query?q=" + url.QueryEscape(l.soql)
	return func(*env) request {
		return func(t target, _ *rand.Rand, _ int) (*http.Request, error) {
			return newRequest(t, http.MethodGet, path, nil)
		}
	}
}

// newRequest makes a request of the REST API at version 60.0. The bare
// handler is sent the same request, token included, and ignores the token.
func newRequest(t target, method, path string, body []byte) (*http.Request, error) {
	r, err := http.NewRequest(method, t.base+"/services/data/v60.0"+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Authorization", "Bearer "+t.token)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	return r, nil
}

// A result is the medians of one endpoint at one concurrency.
type result struct {
	endpoint     string
	workers      int
	rapport, raw stats
	ratios       []float64 // per round
	stalled      [2]int    // Rapport's and the bare handler's, all rounds
}

func (r result) ratio() float64 { return r.rapport.rate / r.raw.rate }

// BenchmarkREST measures each endpoint at each concurrency on each
// backend, Rapport against the bare handler; see the package comment.
func BenchmarkREST(b *testing.B) {
	if *duration <= 0 || *duration > time.Minute || *rounds < 1 || *rounds > 9 {
		b.Fatalf("-rest.duration %v and -rest.rounds %d: want 0 < duration ≤ 1m, 1 ≤ rounds ≤ 9", *duration, *rounds)
	}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			e := newEnv(b, openBackend(b, name))
			for _, l := range lists {
				fmt.Printf("%s: %s runs as %s\n", name, l.endpoint, e.compiled(b, l))
			}
			e.check(b)
			var results []result
			for _, ep := range endpoints {
				b.Run(ep.name, func(b *testing.B) {
					req := ep.req(e)
					for _, c := range concurrencies {
						b.Run(fmt.Sprintf("c%d", c), func(b *testing.B) {
							for range b.N {
								r := e.compare(b, req, c)
								r.endpoint = ep.name
								results = append(results, r)
								report(b, r)
							}
						})
					}
				})
			}
			// A parent benchmark's log is shown only when it fails or
			// with -test.v: the table goes to the output as it is.
			fmt.Print(table(name, results))
		})
	}
}

// compare runs Rapport and the bare handler back to back, rounds times,
// and returns the medians of each.
func (e *env) compare(b *testing.B, req request, workers int) result {
	b.Helper()
	sides := e.targets()
	var rs, bs []stats
	r := result{workers: workers}
	for i := range *rounds {
		var got [2]stats
		for j := range 2 {
			side := (i + j) % 2 // Rapport goes first in rounds 1, 3, …; the bare handler in 2, 4, …
			s, err := run(sides[side], workers, *duration, req)
			if err != nil {
				b.Fatalf("%s: %v", []string{"rapport", "bare"}[side], err)
			}
			got[side] = s
		}
		rs, bs = append(rs, got[0]), append(bs, got[1])
		r.ratios = append(r.ratios, got[0].rate/got[1].rate)
		r.stalled[0] += got[0].stalled
		r.stalled[1] += got[1].stalled
	}
	r.rapport, r.raw = median(rs), median(bs)
	return r
}

// median returns the medians of the rates, p50s and p99s of runs, each
// taken on its own.
func median(runs []stats) stats {
	mid := func(key func(stats) float64) float64 {
		v := make([]float64, len(runs))
		for i, s := range runs {
			v[i] = key(s)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return stats{
		rate: mid(func(s stats) float64 { return s.rate }),
		p50:  time.Duration(mid(func(s stats) float64 { return float64(s.p50) })),
		p99:  time.Duration(mid(func(s stats) float64 { return float64(s.p99) })),
	}
}

// report reports a result's medians as the benchmark's metrics.
func report(b *testing.B, r result) {
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(r.rapport.rate, "rapport-req/s")
	b.ReportMetric(r.raw.rate, "bare-req/s")
	b.ReportMetric(r.ratio(), "ratio")
	b.ReportMetric(ms(r.rapport.p50), "rapport-p50-ms")
	b.ReportMetric(ms(r.rapport.p99), "rapport-p99-ms")
	b.ReportMetric(ms(r.raw.p50), "bare-p50-ms")
	b.ReportMetric(ms(r.raw.p99), "bare-p99-ms")
	b.ReportMetric(float64(r.stalled[0]), "rapport-stalled")
	b.ReportMetric(float64(r.stalled[1]), "bare-stalled")
	if r.stalled != [2]int{} {
		b.Logf("requests unanswered after %v: Rapport %d, bare %d (counted at that latency, not in the rate)", requestTimeout, r.stalled[0], r.stalled[1])
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// table formats the results with the targets at concurrency 64:
// throughput at least half the bare handler's, p99 under 50 ms.
func table(backend string, results []result) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s, medians of %d rounds of %v per side:\n", backend, *rounds, *duration)
	fmt.Fprintf(&sb, "%-9s %3s | %9s %8s %8s | %9s %8s %8s | %5s | %-15s | %s\n",
		"endpoint", "c", "rapport/s", "p50 ms", "p99 ms", "bare/s", "p50 ms", "p99 ms", "ratio", "ratio per round", "stalled")
	for _, r := range results {
		var per []string
		for _, x := range r.ratios {
			per = append(per, fmt.Sprintf("%.2f", x))
		}
		fmt.Fprintf(&sb, "%-9s %3d | %9.0f %8.2f %8.2f | %9.0f %8.2f %8.2f | %5.2f | %-15s | %d/%d",
			r.endpoint, r.workers, r.rapport.rate, ms(r.rapport.p50), ms(r.rapport.p99),
			r.raw.rate, ms(r.raw.p50), ms(r.raw.p99), r.ratio(), strings.Join(per, " "), r.stalled[0], r.stalled[1])
		if r.workers == 64 {
			fmt.Fprintf(&sb, "  ratio≥0.50 %s, p99<50ms %s", yes(r.ratio() >= 0.5), yes(r.rapport.p99 < 50*time.Millisecond))
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

func yes(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

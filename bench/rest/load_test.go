package rest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// maxRequests bounds the requests of one run whatever its duration: more
// than this machine answers in a minute.
const maxRequests = 2_000_000

// requestTimeout is how long a request may go unanswered before the load
// generator gives up on it and counts it as stalled (healthy requests
// here take milliseconds, a few hundred at worst on a loaded machine).
const requestTimeout = 10 * time.Second

// warmup is how long the workers of a run send requests that are not
// measured, so that every worker has a connection and caches are warm.
const warmup = 300 * time.Millisecond

// A target is one side of a comparison: a server and the requests sent to
// it.
type target struct {
	client *http.Client
	base   string // http://127.0.0.1:port
	token  string
}

// A request makes the n-th request of a worker whose random source is rnd.
type request func(t target, rnd *rand.Rand, n int) (*http.Request, error)

// A stats is what one run measured: requests answered per second, the
// median and 99th percentile of the latencies, and the requests given up
// on after requestTimeout (counted at that latency, not in the rate).
type stats struct {
	rate     float64
	p50, p99 time.Duration
	stalled  int
}

// run sends requests from workers goroutines, each one at a time, for d,
// and returns the rate and latencies. Any answer but 200 or 201 fails the
// run, and so does any other failure but a stalled request.
func run(t target, workers int, d time.Duration, req request) (stats, error) {
	if _, _, err := load(t, workers, warmup, req, nil); err != nil {
		return stats{}, err
	}
	lat := make([][]time.Duration, workers)
	elapsed, stalled, err := load(t, workers, d, req, lat)
	if err != nil {
		return stats{}, err
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return stats{}, fmt.Errorf("no request finished in %v", d)
	}
	slices.Sort(all)
	return stats{
		rate: float64(len(all)-stalled) / elapsed.Seconds(),
		p50:  quantile(all, 0.50), p99: quantile(all, 0.99),
		stalled: stalled,
	}, nil
}

// quantile returns the q-quantile of sorted latencies (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// load runs the workers for d; with lat set, worker i appends each
// latency to lat[i]. It returns the time from the start until the last
// worker stopped, and the number of stalled requests.
func load(t target, workers int, d time.Duration, req request, lat [][]time.Duration) (time.Duration, int, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		sent     atomic.Int64
		stalled  atomic.Int64
		errOnce  sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	start := time.Now()
	deadline := start.Add(d)
	for w := range workers {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			var mine []time.Duration
			defer func() {
				if lat != nil {
					lat[w] = mine
				}
			}()
			for n := 0; ctx.Err() == nil && sent.Add(1) <= maxRequests; n++ {
				began := time.Now()
				if !began.Before(deadline) {
					return
				}
				r, err := req(t, rnd, w<<32|n)
				if err != nil {
					fail(err)
					return
				}
				rctx, rcancel := context.WithTimeout(ctx, requestTimeout)
				err = send(t.client, r.WithContext(rctx))
				rcancel()
				switch {
				case err == nil:
				case ctx.Err() != nil:
					return
				case errors.Is(rctx.Err(), context.DeadlineExceeded):
					// Unanswered in requestTimeout: counted, at that
					// latency, and the worker goes on.
					stalled.Add(1)
				default:
					fail(err)
					return
				}
				if lat != nil {
					mine = append(mine, time.Since(began))
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start), int(stalled.Load()), firstErr
}

// send sends r, reads the whole answer and checks its status.
func send(c *http.Client, r *http.Request) error {
	res, err := c.Do(r)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusCreated {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return fmt.Errorf("%s %s: %d %s", r.Method, r.URL.Path, res.StatusCode, bytes.TrimSpace(body))
	}
	_, err = io.Copy(io.Discard, res.Body)
	return err
}

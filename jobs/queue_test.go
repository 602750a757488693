package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/jobs"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
)

// onQueues runs fn on the queue of a SQLite store and, when
// RAPPORT_TEST_POSTGRES is set, of a PostgreSQL one.
func onQueues(t *testing.T, fn func(t *testing.T, q jobs.Queue)) {
	t.Run("sqlite", func(t *testing.T) {
		b, err := sqlite.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		db, err := sqlstore.Open(context.Background(), b, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := sqlstore.Open(context.Background(), postgres.New(pgtest.Database(t)), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
}

func TestLeases(t *testing.T) {
	onQueues(t, func(t *testing.T, q jobs.Queue) {
		ctx := context.Background()
		kinds := []string{"k"}
		if err := q.Enqueue(ctx, jobs.Task{ID: "a", Kind: "k", Args: []byte("x")}, jobs.Task{ID: "a", Kind: "k", Args: []byte("again")}); err != nil {
			t.Fatal(err)
		}
		// The clock starts after the enqueue, which makes the task due at
		// its own time: a t0 read before it could fall a millisecond short
		// of the task's run_at, and the first Claim find nothing.
		t0 := time.Now()
		a, err := q.Claim(ctx, kinds, "one", t0, t0.Add(10*time.Second))
		if err != nil || a == nil || a.ID != "a" || string(a.Args) != "x" || a.Attempt != 1 {
			t.Fatalf("Claim = %+v, %v; want task a, attempt 1, args of the first enqueue", a, err)
		}
		if b, err := q.Claim(ctx, kinds, "two", t0.Add(time.Second), t0.Add(11*time.Second)); b != nil || err != nil {
			t.Fatalf("Claim while leased = %+v, %v; want none", b, err)
		}
		if err := q.Extend(ctx, "a", "one", t0.Add(20*time.Second)); err != nil {
			t.Fatalf("Extend: %v", err)
		}
		if b, _ := q.Claim(ctx, kinds, "two", t0.Add(15*time.Second), t0.Add(30*time.Second)); b != nil {
			t.Fatalf("Claim within the extended lease = %+v; want none", b)
		}
		// The lease runs out: another owner takes the task, and the first
		// is fenced out.
		b, err := q.Claim(ctx, kinds, "two", t0.Add(21*time.Second), t0.Add(40*time.Second))
		if err != nil || b == nil || b.Attempt != 2 {
			t.Fatalf("Claim after the lease = %+v, %v; want attempt 2", b, err)
		}
		for name, err := range map[string]error{
			"Complete": q.Complete(ctx, "a", "one"),
			"Extend":   q.Extend(ctx, "a", "one", t0.Add(time.Minute)),
			"Retry":    q.Retry(ctx, "a", "one", t0, "x"),
			"Fail":     q.Fail(ctx, "a", "one", "x"),
		} {
			if !errors.Is(err, jobs.ErrLeaseLost) {
				t.Errorf("%s by the old owner = %v, want ErrLeaseLost", name, err)
			}
		}
		// Retry puts it back for later; Complete removes it.
		if err := q.Retry(ctx, "a", "two", t0.Add(time.Hour), "boom"); err != nil {
			t.Fatal(err)
		}
		if c, _ := q.Claim(ctx, kinds, "two", t0.Add(59*time.Minute), t0.Add(2*time.Hour)); c != nil {
			t.Fatalf("Claim before the retry is due = %+v", c)
		}
		c, err := q.Claim(ctx, kinds, "three", t0.Add(61*time.Minute), t0.Add(2*time.Hour))
		if err != nil || c == nil || c.Attempt != 3 || c.LastError != "boom" {
			t.Fatalf("Claim when due = %+v, %v", c, err)
		}
		if err := q.Complete(ctx, "a", "three"); err != nil {
			t.Fatal(err)
		}
		if d, _ := q.Claim(ctx, kinds, "four", t0.Add(3*time.Hour), t0.Add(4*time.Hour)); d != nil {
			t.Fatalf("Claim after Complete = %+v", d)
		}
		// A failed task stays failed.
		q.Enqueue(ctx, jobs.Task{ID: "f", Kind: "k"})
		f, _ := q.Claim(ctx, kinds, "one", t0.Add(time.Minute), t0.Add(2*time.Minute))
		if f == nil {
			t.Fatal("no task f")
		}
		if err := q.Fail(ctx, "f", "one", "bad"); err != nil {
			t.Fatal(err)
		}
		if g, _ := q.Claim(ctx, kinds, "one", t0.Add(5*time.Hour), t0.Add(6*time.Hour)); g != nil {
			t.Fatalf("Claim of a failed task = %+v", g)
		}
		// Other kinds are not claimed.
		q.Enqueue(ctx, jobs.Task{ID: "o", Kind: "other"})
		if g, _ := q.Claim(ctx, kinds, "one", t0.Add(5*time.Hour), t0.Add(6*time.Hour)); g != nil {
			t.Fatalf("Claim of another kind = %+v", g)
		}
	})
}

func TestRunner(t *testing.T) {
	onQueues(t, func(t *testing.T, q jobs.Queue) {
		ctx, cancel := context.WithCancel(context.Background())
		r := jobs.NewRunner(q, jobs.Options{Poll: 10 * time.Millisecond, Lease: time.Second, Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
		var flaky, permanent, panicky atomic.Int32
		done := make(chan string, 10)
		r.Handle("flaky", func(ctx context.Context, t *jobs.Task) error {
			if flaky.Add(1) < 3 {
				return errors.New("not yet")
			}
			done <- "flaky"
			return nil
		})
		r.Handle("permanent", func(ctx context.Context, t *jobs.Task) error {
			permanent.Add(1)
			return jobs.Permanent(errors.New("never"))
		})
		r.Handle("panicky", func(ctx context.Context, t *jobs.Task) error {
			if panicky.Add(1) == 1 {
				panic("boom")
			}
			done <- "panicky"
			return nil
		})
		// A handler that outlives its lease keeps it by the heartbeat.
		r.Handle("slow", func(ctx context.Context, t *jobs.Task) error {
			time.Sleep(2500 * time.Millisecond)
			done <- "slow"
			return nil
		})
		stopped := make(chan error)
		go func() { stopped <- r.Run(ctx) }()
		for _, k := range []string{"flaky", "permanent", "panicky", "slow"} {
			if err := r.Enqueue(ctx, jobs.Task{ID: k, Kind: k, MaxAttempts: 5}); err != nil {
				t.Fatal(err)
			}
		}
		got := map[string]bool{}
		timeout := time.After(20 * time.Second)
		for len(got) < 3 {
			select {
			case k := <-done:
				got[k] = true
			case <-timeout:
				t.Fatalf("done: %v", got)
			}
		}
		cancel()
		<-stopped
		if n := flaky.Load(); n != 3 {
			t.Errorf("flaky ran %d times, want 3", n)
		}
		if n := permanent.Load(); n != 1 {
			t.Errorf("a permanent failure ran %d times, want 1", n)
		}
		select {
		case k := <-done:
			t.Errorf("%s ran twice", k)
		default:
		}
	})
}

package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"sync"
	"time"
)

// A Handler runs one task. Its ctx is cancelled when the runner stops or
// loses the task's lease. A returned error retries the task with backoff,
// unless it is Permanent or the task had its last attempt.
type Handler func(ctx context.Context, t *Task) error

// Options configure a Runner; zero values take defaults.
type Options struct {
	// Workers is how many tasks run at once; 2.
	Workers int
	// Lease is how long a claim lasts without renewal; 20s. The
	// heartbeat renews it every Lease/4.
	Lease time.Duration
	// Poll is how long an idle worker waits before looking again; 250ms.
	Poll time.Duration
	// MaxAttempts is a task's default number of attempts; 10.
	MaxAttempts int
	// Backoff returns the wait before attempt n+1 after attempt n failed;
	// by default 1s·n², at most 5 minutes.
	Backoff func(attempt int) time.Duration
	Now     func() time.Time
	Logger  *slog.Logger
}

func (o *Options) defaults() {
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Lease <= 0 {
		o.Lease = 20 * time.Second
	}
	if o.Poll <= 0 {
		o.Poll = 250 * time.Millisecond
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.Backoff == nil {
		o.Backoff = func(n int) time.Duration {
			return min(time.Duration(n*n)*time.Second, 5*time.Minute)
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// A Runner claims tasks from a queue and runs their handlers.
type Runner struct {
	q     Queue
	opt   Options
	owner string

	mu       sync.Mutex
	handlers map[string]Handler
	wake     chan struct{}
}

// NewRunner returns a runner over q. Each runner has an owner token of its
// own.
func NewRunner(q Queue, opt Options) *Runner {
	opt.defaults()
	b := make([]byte, 8)
	rand.Read(b)
	return &Runner{q: q, opt: opt, owner: hex.EncodeToString(b), handlers: map[string]Handler{}, wake: make(chan struct{}, 1)}
}

// Handle registers the handler of a kind of task. Call it before Run.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[kind] = h
}

// Enqueue adds tasks to the queue and wakes an idle worker.
func (r *Runner) Enqueue(ctx context.Context, tasks ...Task) error {
	if err := r.q.Enqueue(ctx, tasks...); err != nil {
		return err
	}
	r.Notify()
	return nil
}

// Notify wakes an idle worker to look for due tasks now.
func (r *Runner) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *Runner) kinds() ([]string, map[string]Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	kinds := make([]string, 0, len(r.handlers))
	hs := make(map[string]Handler, len(r.handlers))
	for k, h := range r.handlers {
		kinds = append(kinds, k)
		hs[k] = h
	}
	sort.Strings(kinds)
	return kinds, hs
}

// Run works tasks until ctx is done, then waits for the handlers running
// to return (their ctx is cancelled) and puts their tasks back.
func (r *Runner) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for i := 0; i < r.opt.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(ctx)
		}()
	}
	wg.Wait()
	return nil
}

// RunUntilIdle works due tasks until none is left, then returns: for a
// command that does its work in-process.
func (r *Runner) RunUntilIdle(ctx context.Context) error {
	var wg sync.WaitGroup
	errs := make([]error, r.opt.Workers)
	for i := 0; i < r.opt.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				ran, err := r.once(ctx)
				if err != nil {
					errs[i] = err
					return
				}
				if !ran {
					return
				}
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errors.Join(errs...)
}

func (r *Runner) work(ctx context.Context) {
	for ctx.Err() == nil {
		ran, err := r.once(ctx)
		if err != nil && ctx.Err() == nil {
			r.opt.Logger.WarnContext(ctx, "job queue unavailable", "error", err)
		}
		if ran && err == nil {
			continue
		}
		t := time.NewTimer(r.opt.Poll)
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// once claims and runs one task; it reports whether there was one.
func (r *Runner) once(ctx context.Context) (bool, error) {
	kinds, hs := r.kinds()
	now := r.opt.Now()
	t, err := r.q.Claim(ctx, kinds, r.owner, now, now.Add(r.opt.Lease))
	if err != nil || t == nil {
		return false, err
	}
	r.run(ctx, t, hs[t.Kind])
	return true, nil
}

func (r *Runner) run(ctx context.Context, t *Task, h Handler) {
	log := r.opt.Logger.With("task", t.ID, "attempt", t.Attempt)
	hctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lost := make(chan struct{})
	beat := make(chan struct{})
	go func() {
		defer close(beat)
		tick := time.NewTicker(r.opt.Lease / 4)
		defer tick.Stop()
		for {
			select {
			case <-hctx.Done():
				return
			case <-tick.C:
				err := r.q.Extend(hctx, t.ID, r.owner, r.opt.Now().Add(r.opt.Lease))
				if errors.Is(err, ErrLeaseLost) {
					log.WarnContext(hctx, "task lease lost; stopping it")
					close(lost)
					cancel()
					return
				}
				if err != nil && hctx.Err() == nil {
					log.WarnContext(hctx, "task lease not renewed", "error", err)
				}
			}
		}
	}()
	err := safely(hctx, t, h)
	cancel()
	<-beat
	select {
	case <-lost:
		return // another runner has the task now
	default:
	}
	// Settle the task even though ctx may be done: a stopping runner puts
	// its tasks back at once rather than leaving them to their leases.
	sctx, stop := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer stop()
	max := t.MaxAttempts
	if max <= 0 {
		max = r.opt.MaxAttempts
	}
	var serr error
	switch {
	case err == nil:
		serr = r.q.Complete(sctx, t.ID, r.owner)
	case ctx.Err() != nil:
		log.InfoContext(sctx, "task interrupted; put back", "error", err)
		serr = r.q.Retry(sctx, t.ID, r.owner, r.opt.Now(), "interrupted: "+err.Error())
	case IsPermanent(err) || t.Attempt >= max:
		log.ErrorContext(sctx, "task failed for good", "error", err)
		serr = r.q.Fail(sctx, t.ID, r.owner, err.Error())
	default:
		wait := r.opt.Backoff(t.Attempt)
		log.WarnContext(sctx, "task failed; will retry", "error", err, "in", wait)
		serr = r.q.Retry(sctx, t.ID, r.owner, r.opt.Now().Add(wait), err.Error())
	}
	if serr != nil && !errors.Is(serr, ErrLeaseLost) {
		log.WarnContext(sctx, "task outcome not saved; its lease will run out", "error", serr)
	}
}

// safely runs h, turning a panic into an error.
func safely(ctx context.Context, t *Task, h Handler) (err error) {
	if h == nil {
		return Permanent(fmt.Errorf("no handler for tasks of kind %q", t.Kind))
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return h(ctx, t)
}

package jobs

import (
	"context"
	"errors"
	"time"
)

// A Task is one unit of queued work.
type Task struct {
	// ID names the task; enqueueing an ID that is queued already does
	// nothing.
	ID string
	// Kind selects the handler.
	Kind string
	// Args are the handler's input, as the caller encoded them.
	Args []byte
	// Attempt counts the claims of the task, this one included.
	Attempt int
	// MaxAttempts is how many times the task may run; 0 takes the
	// runner's default.
	MaxAttempts int
	// RunAt is when the task becomes due.
	RunAt time.Time
	// LastError is the error of the previous attempt, if any.
	LastError string
}

// A Queue keeps tasks durably. sqlstore implements it over the system
// database.
type Queue interface {
	// Enqueue adds tasks; those whose ID is already queued are left as
	// they are.
	Enqueue(ctx context.Context, tasks ...Task) error
	// Claim takes the next due task of one of kinds for owner, leased
	// until until: a task that is available and due, or one whose lease
	// ran out. It returns nil when no task is due.
	Claim(ctx context.Context, kinds []string, owner string, now, until time.Time) (*Task, error)
	// Extend renews owner's lease of a task; ErrLeaseLost if the task is
	// no longer owner's.
	Extend(ctx context.Context, id, owner string, until time.Time) error
	// Complete removes a finished task.
	Complete(ctx context.Context, id, owner string) error
	// Retry makes the task available again at runAt, keeping errText.
	Retry(ctx context.Context, id, owner string, runAt time.Time, errText string) error
	// Fail gives up on a task for good, keeping errText.
	Fail(ctx context.Context, id, owner string, errText string) error
}

// ErrLeaseLost says a task's lease ran out and another runner claimed it.
var ErrLeaseLost = errors.New("jobs: lease lost")

// Permanent marks a handler's error as not worth a retry.
func Permanent(err error) error { return &permanent{err} }

type permanent struct{ err error }

func (p *permanent) Error() string { return p.err.Error() }
func (p *permanent) Unwrap() error { return p.err }

// IsPermanent reports whether err was marked by Permanent.
func IsPermanent(err error) bool {
	var p *permanent
	return errors.As(err, &p)
}

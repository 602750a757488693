package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/jobs"
	"github.com/rapportcrm/rapport/metadata"
)

// queueTables is the system migration that adds the job queue
// (queue_tasks) and the bulk API's jobs and stored files (bulk_jobs,
// bulk_blobs). Times are Unix milliseconds.
func queueTables(b Backend) []string {
	text := b.ColumnType(metadata.StoreText, 0, 0)
	return []string{
		"CREATE TABLE " + b.SystemTable("queue_tasks") + " (id " + text + " PRIMARY KEY, kind " + text + " NOT NULL, args " + text + " NOT NULL, state " + text + " NOT NULL, attempt BIGINT NOT NULL, max_attempts BIGINT NOT NULL, run_at BIGINT NOT NULL, owner " + text + ", lease_until BIGINT, last_error " + text + ", created_at BIGINT NOT NULL)",
		"CREATE INDEX queue_tasks_due ON " + b.SystemTable("queue_tasks") + " (state, run_at)",
		"CREATE TABLE " + b.SystemTable("bulk_jobs") + " (id " + text + " PRIMARY KEY, org_id " + text + " NOT NULL, kind " + text + " NOT NULL, state " + text + " NOT NULL, created_at BIGINT NOT NULL, hash " + text + ", doc " + text + " NOT NULL)",
		"CREATE INDEX bulk_jobs_org ON " + b.SystemTable("bulk_jobs") + " (org_id, kind, created_at)",
		"CREATE TABLE " + b.SystemTable("bulk_blobs") + " (job_id " + text + " NOT NULL, name " + text + " NOT NULL, seq BIGINT NOT NULL, data " + blobType(b) + " NOT NULL, PRIMARY KEY (job_id, name, seq))",
	}
}

func blobType(b Backend) string {
	if b.Name() == "postgres" {
		return "BYTEA"
	}
	return "BLOB"
}

func millis(t time.Time) int64 { return t.UnixMilli() }

// Enqueue implements jobs.Queue.
func (db *DB) Enqueue(ctx context.Context, tasks ...jobs.Task) error {
	q := "INSERT INTO " + db.b.SystemTable("queue_tasks") + " (id, kind, args, state, attempt, max_attempts, run_at, created_at) VALUES (" +
		db.b.Placeholder(1) + ", " + db.b.Placeholder(2) + ", " + db.b.Placeholder(3) + ", 'available', 0, " +
		db.b.Placeholder(4) + ", " + db.b.Placeholder(5) + ", " + db.b.Placeholder(6) + ") ON CONFLICT (id) DO NOTHING"
	now := millis(time.Now())
	for _, t := range tasks {
		runAt := now
		if !t.RunAt.IsZero() {
			runAt = millis(t.RunAt)
		}
		if _, err := db.system.ExecContext(ctx, q, t.ID, t.Kind, string(t.Args), t.MaxAttempts, runAt, now); err != nil {
			return fmt.Errorf("enqueue %s: %w", t.ID, err)
		}
	}
	return nil
}

// Claim implements jobs.Queue. It picks candidates, then claims one with a
// conditional update, so that two processes never both win a task.
func (db *DB) Claim(ctx context.Context, kinds []string, owner string, now, until time.Time) (*jobs.Task, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	table := db.b.SystemTable("queue_tasks")
	p := db.b.Placeholder
	in := make([]string, len(kinds))
	args := []any{millis(now), millis(now)}
	for i, k := range kinds {
		in[i] = p(i + 3)
		args = append(args, k)
	}
	due := "((state = 'available' AND run_at <= " + p(1) + ") OR (state = 'running' AND lease_until < " + p(2) + "))"
	rows, err := db.system.QueryContext(ctx, "SELECT id FROM "+table+" WHERE "+due+" AND kind IN ("+strings.Join(in, ", ")+") ORDER BY run_at, id LIMIT 8", args...)
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		res, err := db.system.ExecContext(ctx, "UPDATE "+table+" SET state = 'running', owner = "+p(3)+", lease_until = "+p(4)+", attempt = attempt + 1 WHERE id = "+p(5)+" AND "+due,
			millis(now), millis(now), owner, millis(until), id)
		if err != nil {
			return nil, fmt.Errorf("claim %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue // another runner took it
		}
		t := &jobs.Task{ID: id}
		var args string
		var lastErr sql.NullString
		err = db.system.QueryRowContext(ctx, "SELECT kind, args, attempt, max_attempts, run_at, last_error FROM "+table+" WHERE id = "+p(1), id).
			Scan(&t.Kind, &args, &t.Attempt, &t.MaxAttempts, new(int64), &lastErr)
		if err != nil {
			return nil, fmt.Errorf("claim %s: %w", id, err)
		}
		t.Args, t.LastError = []byte(args), lastErr.String
		return t, nil
	}
	return nil, nil
}

// owned runs an update of a task that owner holds.
func (db *DB) owned(ctx context.Context, set string, id, owner string, args ...any) error {
	p := db.b.Placeholder
	n := len(args)
	q := "UPDATE " + db.b.SystemTable("queue_tasks") + " SET " + set + " WHERE id = " + p(n+1) + " AND owner = " + p(n+2) + " AND state = 'running'"
	res, err := db.system.ExecContext(ctx, q, append(args, id, owner)...)
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return jobs.ErrLeaseLost
	}
	return nil
}

// Extend implements jobs.Queue.
func (db *DB) Extend(ctx context.Context, id, owner string, until time.Time) error {
	return db.owned(ctx, "lease_until = "+db.b.Placeholder(1), id, owner, millis(until))
}

// Complete implements jobs.Queue.
func (db *DB) Complete(ctx context.Context, id, owner string) error {
	p := db.b.Placeholder
	res, err := db.system.ExecContext(ctx, "DELETE FROM "+db.b.SystemTable("queue_tasks")+" WHERE id = "+p(1)+" AND owner = "+p(2)+" AND state = 'running'", id, owner)
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return jobs.ErrLeaseLost
	}
	return nil
}

// Retry implements jobs.Queue.
func (db *DB) Retry(ctx context.Context, id, owner string, runAt time.Time, errText string) error {
	p := db.b.Placeholder
	return db.owned(ctx, "state = 'available', owner = NULL, lease_until = NULL, run_at = "+p(1)+", last_error = "+p(2), id, owner, millis(runAt), errText)
}

// Fail implements jobs.Queue.
func (db *DB) Fail(ctx context.Context, id, owner string, errText string) error {
	return db.owned(ctx, "state = 'failed', owner = NULL, lease_until = NULL, last_error = "+db.b.Placeholder(1), id, owner, errText)
}

// QueuedTasks counts the tasks of the queue by state, for tests and
// monitoring.
func (db *DB) QueuedTasks(ctx context.Context) (map[string]int, error) {
	rows, err := db.system.QueryContext(ctx, "SELECT state, COUNT(*) FROM "+db.b.SystemTable("queue_tasks")+" GROUP BY state")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

var _ jobs.Queue = (*DB)(nil)

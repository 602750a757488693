// Package jobs runs heavy work (bulk ingest and query jobs, and later
// email, flows' asynchronous steps and roll-up rebuilds) on a persistent
// queue kept in the system database, so that work survives restarts and
// crashes and is retried.
//
// A [Queue] holds [Task]s. A [Runner] claims due tasks with a lease, keeps
// the lease alive while its handler runs (a heartbeat extends it), and on
// the handler's return completes the task, or puts it back with a backoff,
// or gives up after the task's last attempt. A process that dies (SIGKILL,
// power loss) stops renewing its leases; once a lease runs out any runner
// may claim the task again. Every claim has an owner token, and a runner
// whose lease was taken over can no longer complete, retry or extend the
// task: the token fences it out.
//
// The queue gives at-least-once delivery: a handler may run again after a
// crash, or after a lease it failed to renew. Handlers make that harmless:
// bulk ingest commits each chunk's records together with the chunk's
// results in one org transaction, so a chunk that ran already is recognised
// and skipped.
//
// Why not River: River (riverqueue/river, with its riversqlite and
// riverpgxv5 drivers) was the first choice. It rescues a job left "running"
// by a dead process only after RescueStuckJobsAfter (an hour by default),
// judging by the time the attempt started, with no heartbeat and no fencing
// token; a short setting re-runs jobs that are still running, a long one
// leaves a crashed import waiting. It also keeps its own tables and
// migrations beside ours and wants a pgx pool where the store has
// database/sql. The queue here is small (one table, four statements) and
// has leases with heartbeats, which a crash-safe bulk import needs.
//
// Tasks are named by a key chosen by the caller ("bulk.chunk:750…:12"):
// enqueueing a key that is already queued does nothing, so a step that is
// retried may enqueue its follow-up tasks again.
package jobs

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// This file keeps the bulk API's state: its jobs (bulk_jobs, one JSON
// document each, with the columns listings and state changes need), the
// files jobs store in the system database (bulk_blobs, in numbered pieces)
// and, in each org's namespace, the results of each chunk of an ingest job
// (_bulk_chunk), written in the same transaction as the chunk's records.

// bulkChunkTable is the org migration that adds _bulk_chunk.
func bulkChunkTable(b Backend, p string) []string {
	text := b.ColumnType(metadata.StoreText, 0, 0)
	return []string{
		"CREATE TABLE " + p + "_bulk_chunk (job_id " + text + " NOT NULL, chunk BIGINT NOT NULL, processed BIGINT NOT NULL, failed BIGINT NOT NULL, results " + blobType(b) + " NOT NULL, PRIMARY KEY (job_id, chunk))",
	}
}

// InsertBulkJob adds a bulk job.
func (db *DB) InsertBulkJob(ctx context.Context, id, org, kind, state string, created int64, hash string, doc []byte) error {
	_, err := db.system.ExecContext(ctx, "INSERT INTO "+db.b.SystemTable("bulk_jobs")+" (id, org_id, kind, state, created_at, hash, doc) VALUES ("+db.sysParams(7)+")",
		id, org, kind, state, created, nullString(hash), string(doc))
	return err
}

// BulkJob returns a bulk job's org, state and document;
// rapport.NotFound if there is none.
func (db *DB) BulkJob(ctx context.Context, id string) (org, state string, doc []byte, err error) {
	var d string
	err = db.system.QueryRowContext(ctx, "SELECT org_id, state, doc FROM "+db.b.SystemTable("bulk_jobs")+" WHERE id = "+db.b.Placeholder(1), id).Scan(&org, &state, &d)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil, rapport.Errorf(rapport.NotFound, "no bulk job %s", id)
	}
	return org, state, []byte(d), err
}

// SwapBulkJob sets a bulk job's state and document if its state is still
// from, and reports whether it was.
func (db *DB) SwapBulkJob(ctx context.Context, id, from, state string, doc []byte) (bool, error) {
	p := db.b.Placeholder
	res, err := db.system.ExecContext(ctx, "UPDATE "+db.b.SystemTable("bulk_jobs")+" SET state = "+p(1)+", doc = "+p(2)+" WHERE id = "+p(3)+" AND state = "+p(4),
		state, string(doc), id, from)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// BulkJobs calls fn with the documents of an org's jobs of one kind, oldest
// first, from the one after (created, id) on, at most limit of them.
func (db *DB) BulkJobs(ctx context.Context, org, kind string, afterCreated int64, afterID string, limit int, fn func(doc []byte) error) error {
	p := db.b.Placeholder
	rows, err := db.system.QueryContext(ctx, "SELECT doc FROM "+db.b.SystemTable("bulk_jobs")+" WHERE org_id = "+p(1)+" AND kind = "+p(2)+
		" AND (created_at > "+p(3)+" OR (created_at = "+p(4)+" AND id > "+p(5)+")) ORDER BY created_at, id LIMIT "+fmt.Sprint(limit),
		org, kind, afterCreated, afterCreated, afterID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return err
		}
		if err := fn([]byte(d)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// BulkJobsByHash returns the documents of an org's jobs whose content hash
// is hash, newest first.
func (db *DB) BulkJobsByHash(ctx context.Context, org, hash string) ([][]byte, error) {
	p := db.b.Placeholder
	rows, err := db.system.QueryContext(ctx, "SELECT doc FROM "+db.b.SystemTable("bulk_jobs")+" WHERE org_id = "+p(1)+" AND hash = "+p(2)+" ORDER BY created_at DESC, id DESC", org, hash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, []byte(d))
	}
	return out, rows.Err()
}

// DeleteBulkJob removes a bulk job and its stored pieces.
func (db *DB) DeleteBulkJob(ctx context.Context, id string) error {
	if err := db.DeleteBulkPieces(ctx, id); err != nil {
		return err
	}
	_, err := db.system.ExecContext(ctx, "DELETE FROM "+db.b.SystemTable("bulk_jobs")+" WHERE id = "+db.b.Placeholder(1), id)
	return err
}

// PutBulkPiece stores piece seq of a job's file name.
func (db *DB) PutBulkPiece(ctx context.Context, job, name string, seq int, data []byte) error {
	t := db.b.SystemTable("bulk_blobs")
	p := db.b.Placeholder
	_, err := db.system.ExecContext(ctx, "INSERT INTO "+t+" (job_id, name, seq, data) VALUES ("+db.sysParams(4)+") ON CONFLICT (job_id, name, seq) DO UPDATE SET data = "+p(5),
		job, name, seq, data, data)
	return err
}

// BulkPieces returns the pieces from through to of a job's file, in order;
// missing pieces are left out.
func (db *DB) BulkPieces(ctx context.Context, job, name string, from, to int) ([][]byte, error) {
	p := db.b.Placeholder
	rows, err := db.system.QueryContext(ctx, "SELECT data FROM "+db.b.SystemTable("bulk_blobs")+" WHERE job_id = "+p(1)+" AND name = "+p(2)+" AND seq >= "+p(3)+" AND seq <= "+p(4)+" ORDER BY seq",
		job, name, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var d []byte
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeleteBulkPieces removes the stored pieces of a job's files; with names,
// only of those files.
func (db *DB) DeleteBulkPieces(ctx context.Context, job string, names ...string) error {
	p := db.b.Placeholder
	q := "DELETE FROM " + db.b.SystemTable("bulk_blobs") + " WHERE job_id = " + p(1)
	if len(names) == 0 {
		_, err := db.system.ExecContext(ctx, q, job)
		return err
	}
	for _, n := range names {
		if _, err := db.system.ExecContext(ctx, q+" AND name = "+p(2), job, n); err != nil {
			return err
		}
	}
	return nil
}

// PutBulkChunk records, within the transaction of a chunk's records, that
// chunk of job ran, with its counts and results. A chunk recorded already
// makes it fail with a unique violation (rolling the transaction back).
func (t *tx) PutBulkChunk(ctx context.Context, job string, chunk, processed, failed int, results []byte) error {
	_, err := t.q.ExecContext(ctx, "INSERT INTO "+t.own("_bulk_chunk")+" (job_id, chunk, processed, failed, results) VALUES ("+t.params(1, 5)+")",
		job, chunk, processed, failed, results)
	if err != nil {
		if _, dup := t.db.b.UniqueViolation(err); dup {
			return rapport.Errorf(rapport.DuplicateValue, "chunk %d of bulk job %s ran already", chunk, job)
		}
	}
	return err
}

// BulkChunkDone reports whether chunk of job ran.
func (t *tx) BulkChunkDone(ctx context.Context, job string, chunk int) (bool, error) {
	var n int
	err := t.q.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t.own("_bulk_chunk")+" WHERE job_id = "+t.ph(1)+" AND chunk = "+t.ph(2), job, chunk).Scan(&n)
	return n > 0, err
}

// BulkChunkCounts sums the chunks of job that ran: how many, and their
// processed and failed records.
func (t *tx) BulkChunkCounts(ctx context.Context, job string) (chunks, processed, failed int, err error) {
	err = t.q.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(SUM(processed), 0), COALESCE(SUM(failed), 0) FROM "+t.own("_bulk_chunk")+" WHERE job_id = "+t.ph(1), job).
		Scan(&chunks, &processed, &failed)
	return
}

// BulkChunks calls fn with each chunk of job that ran, in order.
func (t *tx) BulkChunks(ctx context.Context, job string, fn func(chunk int, results []byte) error) error {
	rows, err := t.q.QueryContext(ctx, "SELECT chunk, results FROM "+t.own("_bulk_chunk")+" WHERE job_id = "+t.ph(1)+" ORDER BY chunk", job)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c int
		var r []byte
		if err := rows.Scan(&c, &r); err != nil {
			return err
		}
		if err := fn(c, r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DeleteBulkChunks forgets the chunks of job.
func (t *tx) DeleteBulkChunks(ctx context.Context, job string) error {
	_, err := t.q.ExecContext(ctx, "DELETE FROM "+t.own("_bulk_chunk")+" WHERE job_id = "+t.ph(1), job)
	return err
}

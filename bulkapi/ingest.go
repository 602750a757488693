package bulkapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/jobs"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// chunkArgs are the arguments of a chunk task.
type chunkArgs struct {
	Job   string `json:"job"`
	Chunk int    `json:"chunk"`
}

// asUser is ctx acting as the job's user.
func asUser(ctx context.Context, j *Job) context.Context {
	return rapport.WithPrincipal(ctx, rapport.Principal{OrgID: j.Org, UserID: j.User})
}

// lastAttempt reports whether t may not run again.
func lastAttempt(t *jobs.Task) bool { return t.MaxAttempts > 0 && t.Attempt >= t.MaxAttempts }

// runIngest starts an ingest job: it scans the data once, checking the
// header and the CSV syntax, splits the rows into chunks and queues them.
// Nothing is written before the whole file has been read, so malformed
// data fails the job with nothing half-written.
func (s *Service) runIngest(ctx context.Context, t *jobs.Task) error {
	id := string(t.Args)
	j, err := s.update(ctx, id, func(j *Job) (bool, error) {
		if j.State != StateUploadComplete {
			return false, nil
		}
		j.State, j.Started = StateInProgress, s.now()
		return true, nil
	})
	if rapport.ErrorCode(err) == rapport.NotFound {
		return nil // deleted
	}
	if err != nil {
		return err
	}
	if j.State != StateInProgress {
		return nil // aborted, or done by an earlier attempt
	}
	if !j.Prepared {
		began := time.Now()
		err := s.prepare(ctx, j)
		s.opt.Logger.DebugContext(ctx, "bulk job scanned", "job", j.ID, "rows", j.Rows, "chunks", len(j.Chunks), "took", time.Since(began), "error", err)
		if err != nil {
			var re *rapport.Error
			if errors.As(err, &re) {
				return s.fail(ctx, id, re.Message)
			}
			if lastAttempt(t) {
				return s.fail(ctx, id, "InternalServerError : "+err.Error())
			}
			return err
		}
		j, err = s.update(ctx, id, func(cur *Job) (bool, error) {
			if cur.State != StateInProgress {
				return false, nil
			}
			cur.Header, cur.Rows, cur.Chunks, cur.Prepared = j.Header, j.Rows, j.Chunks, true
			return true, nil
		})
		if err != nil {
			return err
		}
		if j.State != StateInProgress {
			return nil
		}
	}
	if len(j.Chunks) == 0 {
		return s.finish(ctx, j)
	}
	tasks := make([]jobs.Task, len(j.Chunks))
	for i := range j.Chunks {
		args, _ := json.Marshal(chunkArgs{Job: j.ID, Chunk: i})
		tasks[i] = jobs.Task{ID: fmt.Sprintf("%s:%s:%d", TaskChunk, j.ID, i), Kind: TaskChunk, Args: args, MaxAttempts: 5}
	}
	return s.queue.Enqueue(ctx, tasks...)
}

// prepare reads the job's data: the header (checked against the object)
// and every row (checked for CSV syntax), cutting chunks of ChunkSize rows.
func (s *Service) prepare(ctx context.Context, j *Job) error {
	if !j.Uploaded {
		return rapport.Errorf(codeClientInputError, "ClientInputError : No data was uploaded for the job")
	}
	b, err := s.blobs.Open(ctx, j.ID, "data.csv")
	if err != nil {
		return err
	}
	defer b.Close()
	head := make([]byte, min(b.Size(), 64<<10))
	if _, err := b.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if err := j.checkLineEnding(head); err != nil {
		return err
	}
	sr := io.NewSectionReader(b, 0, b.Size())
	cr := j.csvReader(sr)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return rapport.Errorf(codeClientInputError, "ClientInputError : The data has no header row")
	}
	if err != nil {
		return rapport.Errorf(codeClientInputError, "ClientInputError : Invalid CSV: %s", describeParseError(err))
	}
	j.Header = append([]string(nil), header...)
	sch, err := s.records.Schema(ctx, j.Org)
	if err != nil {
		return err
	}
	obj := sch.Object(j.Object)
	if obj == nil {
		return rapport.Errorf(codeInvalidJob, "InvalidJob : Unable to find object: %s", j.Object)
	}
	if _, err := plan(sch, obj, j.Operation, j.ExternalID, j.Header); err != nil {
		return err
	}
	j.Chunks, j.Rows = nil, 0
	cur := Chunk{Offset: cr.InputOffset()}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rapport.Errorf(codeClientInputError, "ClientInputError : Invalid CSV at %s", describeParseError(err))
		}
		cur.Rows++
		j.Rows++
		if cur.Rows == s.opt.ChunkSize {
			cur.End = cr.InputOffset()
			j.Chunks = append(j.Chunks, cur)
			cur = Chunk{Offset: cur.End, First: j.Rows}
		}
	}
	if cur.Rows > 0 {
		cur.End = cr.InputOffset()
		j.Chunks = append(j.Chunks, cur)
	}
	return nil
}

// readChunk reads the rows of a chunk.
func (s *Service) readChunk(ctx context.Context, j *Job, b Blob, c Chunk) ([][]string, error) {
	cr := j.csvReader(io.NewSectionReader(b, c.Offset, c.End-c.Offset))
	out := make([][]string, 0, c.Rows)
	for len(out) < c.Rows {
		rec, err := cr.Read()
		if err != nil {
			return nil, fmt.Errorf("chunk at %d: row %d: %w", c.Offset, len(out), err)
		}
		out = append(out, rec)
	}
	return out, nil
}

// errChunkDone says a chunk had run already: its transaction was rolled
// back and its first results stand.
var errChunkDone = errors.New("bulkapi: chunk ran already")

// runChunk writes one chunk of an ingest job: its records and its results
// in one transaction of the org, as the job's user.
func (s *Service) runChunk(ctx context.Context, t *jobs.Task) error {
	var a chunkArgs
	if err := json.Unmarshal(t.Args, &a); err != nil {
		return jobs.Permanent(err)
	}
	j, err := s.load(ctx, a.Job)
	if rapport.ErrorCode(err) == rapport.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if j.State != StateInProgress || a.Chunk >= len(j.Chunks) {
		return nil
	}
	began := time.Now()
	err = s.writeChunk(ctx, j, a.Chunk)
	s.opt.Logger.DebugContext(ctx, "bulk chunk written", "job", j.ID, "chunk", a.Chunk, "rows", j.Chunks[a.Chunk].Rows, "took", time.Since(began), "error", err)
	if err != nil && !errors.Is(err, errChunkDone) {
		if ctx.Err() != nil || !lastAttempt(t) {
			return err
		}
		s.opt.Logger.ErrorContext(ctx, "bulk chunk failed", "job", j.ID, "chunk", a.Chunk, "error", err)
		return s.fail(ctx, j.ID, fmt.Sprintf("InternalServerError : chunk %d (rows %d to %d) could not be written", a.Chunk, j.Chunks[a.Chunk].First+1, j.Chunks[a.Chunk].First+j.Chunks[a.Chunk].Rows))
	}
	chunks, processed, failed, err := s.counts(ctx, j)
	if err != nil {
		return err
	}
	if chunks == len(j.Chunks) {
		return s.complete(ctx, j.ID, processed, failed)
	}
	return nil
}

// writeChunk converts and writes chunk c of j.
func (s *Service) writeChunk(ctx context.Context, j *Job, c int) error {
	uctx := asUser(ctx, j)
	var done bool
	err := s.org.Read(ctx, j.Org, func(r record.Reader) error {
		ct, ok := r.(chunkTx)
		if !ok {
			return errors.New("bulkapi: the store keeps no chunk results")
		}
		var err error
		done, err = ct.BulkChunkDone(ctx, j.ID, c)
		return err
	})
	if err != nil || done {
		if done {
			return errChunkDone
		}
		return err
	}
	sch, err := s.records.Schema(ctx, j.Org)
	if err != nil {
		return err
	}
	obj := sch.Object(j.Object)
	if obj == nil {
		return jobs.Permanent(rapport.Errorf(codeInvalidJob, "InvalidJob : Unable to find object: %s", j.Object))
	}
	cols, err := plan(sch, obj, j.Operation, j.ExternalID, j.Header)
	if err != nil {
		return err
	}
	b, err := s.blobs.Open(ctx, j.ID, "data.csv")
	if err != nil {
		return err
	}
	values, err := s.readChunk(ctx, j, b, j.Chunks[c])
	b.Close()
	if err != nil {
		return err
	}
	rows := make([]*row, len(values))
	for i, v := range values {
		rows[i] = &row{values: v}
	}
	if err := s.convert(uctx, j, obj, cols, rows); err != nil {
		return err
	}
	var recs []map[string]any
	var ids []string
	for _, r := range rows {
		if r.err != nil {
			continue
		}
		if j.Operation == OpDelete || j.Operation == OpHardDelete {
			ids = append(ids, r.rec[metadata.FieldID].(string))
		} else {
			recs = append(recs, r.rec)
		}
	}
	then := func(ctx context.Context, tx record.Tx, res []record.Result) error {
		ct, ok := tx.(chunkTx)
		if !ok {
			return errors.New("bulkapi: the store keeps no chunk results")
		}
		data, processed, failed, err := s.encodeResults(rows, res)
		if err != nil {
			return err
		}
		err = ct.PutBulkChunk(ctx, j.ID, c, processed, failed, data)
		if rapport.ErrorCode(err) == rapport.DuplicateValue {
			return errChunkDone
		}
		return err
	}
	opt := record.WriteOptions{Then: then}
	if len(recs) == 0 && len(ids) == 0 {
		// Every row failed before the record service: record the results
		// alone.
		return s.org.Write(ctx, j.Org, func(tx record.Tx) error { return then(ctx, tx, nil) })
	}
	switch j.Operation {
	case OpInsert:
		_, err = s.records.Create(uctx, j.Object, recs, opt)
	case OpUpdate:
		_, err = s.records.Update(uctx, j.Object, recs, opt)
	case OpUpsert:
		_, err = s.records.Upsert(uctx, j.Object, j.ExternalID, recs, opt)
	case OpDelete:
		_, err = s.records.Delete(uctx, ids, opt)
	case OpHardDelete:
		_, err = s.records.HardDelete(uctx, ids, opt)
	}
	return err
}

// Result statuses as chunk results keep them.
const (
	resCreated = "C"
	resUpdated = "U"
	resFailed  = "F"
)

// encodeResults renders a chunk's results, one CSV line a row: status,
// Id, sf__Error.
func (s *Service) encodeResults(rows []*row, res []record.Result) ([]byte, int, int, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	k, failed := 0, 0
	for _, r := range rows {
		var line []string
		switch {
		case r.err != nil:
			line = []string{resFailed, "", sfError(s.opt.ErrorCode, r.err)}
		case k >= len(res):
			return nil, 0, 0, fmt.Errorf("bulkapi: %d results for more rows", len(res))
		default:
			x := res[k]
			k++
			switch {
			case x.Err != nil:
				line = []string{resFailed, string(x.ID), sfError(s.opt.ErrorCode, x.Err)}
			case x.Created:
				line = []string{resCreated, string(x.ID), ""}
			default:
				line = []string{resUpdated, string(x.ID), ""}
			}
		}
		if line[0] == resFailed {
			failed++
		}
		if err := w.Write(line); err != nil {
			return nil, 0, 0, err
		}
	}
	w.Flush()
	return buf.Bytes(), len(rows), failed, w.Error()
}

// complete ends an ingest job whose chunks all ran.
func (s *Service) complete(ctx context.Context, id string, processed, failed int) error {
	_, err := s.update(ctx, id, func(j *Job) (bool, error) {
		if j.State != StateInProgress {
			return false, nil
		}
		j.State, j.Processed, j.Failed, j.Finished = StateJobComplete, int64(processed), int64(failed), s.now()
		return true, nil
	})
	return err
}

// finish ends an ingest job that has no rows.
func (s *Service) finish(ctx context.Context, j *Job) error {
	return s.complete(ctx, j.ID, 0, 0)
}

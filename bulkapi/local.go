package bulkapi

import (
	"context"
	"encoding/json"
	"io"

	"github.com/rapportcrm/rapport/jobs"
)

// An Import is an ingest job made for a local file by rapport import.
type Import struct {
	Request IngestRequest
	// Key identifies the file and the request (a hash of both): an
	// unfinished import with the same key is resumed, not started again.
	Key string
	// Data is the file's content; it is read only for a new job.
	Data io.Reader
}

// StartImport creates, fills and closes an ingest job for a local file as
// the principal in ctx, or finds the unfinished job an earlier run made
// for the same key and sees it through: its chunks that were written stay
// written, and the rest are queued again. It reports whether the job was
// resumed.
func (s *Service) StartImport(ctx context.Context, version string, imp Import) (*Job, bool, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, false, err
	}
	docs, err := s.store.BulkJobsByHash(ctx, string(p.OrgID), imp.Key)
	if err != nil {
		return nil, false, err
	}
	for _, doc := range docs {
		j := &Job{}
		if err := json.Unmarshal(doc, j); err != nil {
			return nil, false, err
		}
		if j.Source != "cli" || j.Kind != KindIngest || Finished(j.State) {
			continue
		}
		j, err := s.push(ctx, j, imp.Data)
		return j, true, err
	}
	j, err := s.createIngest(ctx, version, imp.Request, "cli", imp.Key)
	if err != nil {
		return nil, false, err
	}
	j, err = s.push(ctx, j, imp.Data)
	return j, false, err
}

// push moves an import's job on from where it stands: uploads the data
// if it has none, closes it, and (re)queues its processing, which skips
// what was done already.
func (s *Service) push(ctx context.Context, j *Job, data io.Reader) (*Job, error) {
	var err error
	if j.State == StateOpen && !j.Uploaded {
		if err := s.Upload(ctx, j.ID, data); err != nil {
			return nil, err
		}
	}
	if j.State == StateOpen {
		if j, err = s.SetState(ctx, KindIngest, j.ID, StateUploadComplete); err != nil {
			return nil, err
		}
		return j, nil
	}
	return j, s.queue.Enqueue(ctx, jobs.Task{ID: TaskIngest + ":" + j.ID, Kind: TaskIngest, Args: []byte(j.ID), MaxAttempts: 5})
}

// Remove deletes a job of the principal's org whatever its state (for
// rapport export, which deletes its query job once the rows are out).
func (s *Service) Remove(ctx context.Context, kind, id string) error {
	j, err := s.Job(ctx, kind, id)
	if err != nil {
		return err
	}
	return s.remove(ctx, j)
}

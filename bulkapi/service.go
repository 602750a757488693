package bulkapi

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/jobs"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/soql"
)

// Task kinds this package runs on the job queue.
const (
	TaskIngest = "bulk.ingest" // scan an ingest job's data and queue its chunks
	TaskChunk  = "bulk.chunk"  // write one chunk
	TaskQuery  = "bulk.query"  // run a query job
)

// A Querier runs SOQL for the principal in ctx (query.Service is one).
type Querier interface {
	Run(ctx context.Context, soql string, opt query.Options) (*query.Result, error)
	More(ctx context.Context, locator string) (*query.Result, error)
	Columns(ctx context.Context, soql string) ([]query.Column, error)
}

// An Enqueuer adds tasks to the job queue (jobs.Runner is one).
type Enqueuer interface {
	Enqueue(ctx context.Context, tasks ...jobs.Task) error
}

// Options tune the service; zero values take defaults.
type Options struct {
	// ChunkSize is how many rows one transaction writes; 5,000.
	ChunkSize int
	// MaxUpload bounds the data of one ingest job; 150 MB.
	MaxUpload int64
	// CanHardDelete decides whether the principal may create hardDelete
	// jobs; by default everyone may.
	CanHardDelete func(ctx context.Context, p rapport.Principal) (bool, error)
	// ErrorCode turns Rapport's codes into Salesforce's errorCode strings
	// for sf__Error (restapi.ErrorCode); by default the code itself.
	ErrorCode func(rapport.Code) string
	Now       func() time.Time
	Logger    *slog.Logger
}

// Service runs Bulk API 2.0 jobs.
type Service struct {
	store   Store
	blobs   Blobs
	records *record.Service
	org     record.Store
	query   Querier
	queue   Enqueuer
	opt     Options
	ids     *rapport.IDGenerator
}

// New returns the bulk service. org is the store of org data (its
// transactions keep chunk results); queue takes the tasks that do the work.
func New(store Store, blobs Blobs, records *record.Service, org record.Store, q Querier, queue Enqueuer, opt Options) *Service {
	if opt.ChunkSize <= 0 {
		opt.ChunkSize = 5000
	}
	if opt.MaxUpload <= 0 {
		opt.MaxUpload = 150 << 20
	}
	if opt.ErrorCode == nil {
		opt.ErrorCode = func(c rapport.Code) string { return string(c) }
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, blobs: blobs, records: records, org: org, query: q, queue: queue, opt: opt, ids: records.IDs()}
}

// Register registers the service's task handlers with a runner.
func (s *Service) Register(r interface {
	Handle(kind string, h jobs.Handler)
}) {
	r.Handle(TaskIngest, s.runIngest)
	r.Handle(TaskChunk, s.runChunk)
	r.Handle(TaskQuery, s.runQuery)
}

func (s *Service) now() time.Time { return s.opt.Now().UTC().Truncate(time.Millisecond) }

func principal(ctx context.Context) (rapport.Principal, error) {
	p, ok := rapport.PrincipalFrom(ctx)
	if !ok || p.OrgID == "" {
		return p, errors.New("bulkapi: no principal in context")
	}
	return p, nil
}

// IngestRequest is the body of POST /jobs/ingest.
type IngestRequest struct {
	Object          string `json:"object"`
	Operation       string `json:"operation"`
	ExternalIDField string `json:"externalIdFieldName"`
	ContentType     string `json:"contentType"`
	ColumnDelimiter string `json:"columnDelimiter"`
	LineEnding      string `json:"lineEnding"`
	AssignmentRule  string `json:"assignmentRuleId"`
}

// QueryRequest is the body of POST /jobs/query.
type QueryRequest struct {
	Operation       string `json:"operation"`
	Query           string `json:"query"`
	ContentType     string `json:"contentType"`
	ColumnDelimiter string `json:"columnDelimiter"`
	LineEnding      string `json:"lineEnding"`
}

func checkFormat(contentType, delim, eol string) (string, string, error) {
	if contentType != "" && !strings.EqualFold(contentType, "CSV") {
		return "", "", rapport.Errorf(codeInvalidJob, "InvalidJob : contentType %s is not supported: use CSV", contentType)
	}
	if delim == "" {
		delim = "COMMA"
	}
	if _, ok := delimiters[delim]; !ok {
		return "", "", rapport.Errorf(codeInvalidJob, "InvalidJob : columnDelimiter %s is not one of COMMA, TAB, PIPE, SEMICOLON, CARET, BACKQUOTE", delim)
	}
	if eol == "" {
		eol = "LF"
	}
	if eol != "LF" && eol != "CRLF" {
		return "", "", rapport.Errorf(codeInvalidJob, "InvalidJob : lineEnding %s is not LF or CRLF", eol)
	}
	return delim, eol, nil
}

// newJob fills what every job has.
func (s *Service) newJob(p rapport.Principal, kind, version string) *Job {
	now := s.now()
	return &Job{
		ID: string(s.ids.New("750")), Kind: kind, Org: p.OrgID, User: p.UserID,
		APIVersion: version, Created: now, Modstamp: now, Source: "api",
	}
}

// CreateIngest creates an ingest job in state Open. version is the API
// version of the request ("58.0").
func (s *Service) CreateIngest(ctx context.Context, version string, req IngestRequest) (*Job, error) {
	return s.createIngest(ctx, version, req, "api", "")
}

func (s *Service) createIngest(ctx context.Context, version string, req IngestRequest, source, key string) (*Job, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	op := req.Operation
	switch op {
	case OpInsert, OpUpdate, OpUpsert, OpDelete, OpHardDelete:
	case "":
		return nil, rapport.Errorf(codeInvalidJob, "InvalidJob : operation is required")
	default:
		return nil, rapport.Errorf(codeInvalidJob, "InvalidJob : Invalid operation: %s", op)
	}
	delim, eol, err := checkFormat(req.ContentType, req.ColumnDelimiter, req.LineEnding)
	if err != nil {
		return nil, err
	}
	sch, err := s.records.Schema(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	obj := sch.Object(req.Object)
	if obj == nil {
		return nil, rapport.Errorf(codeInvalidJob, "InvalidJob : Unable to find object: %s", req.Object)
	}
	j := s.newJob(p, KindIngest, version)
	j.Operation, j.Object, j.Delimiter, j.LineEnding, j.State = op, obj.Name, delim, eol, StateOpen
	j.Source, j.Hash = source, key
	switch op {
	case OpUpsert:
		f := obj.Field(req.ExternalIDField)
		if req.ExternalIDField == "" {
			return nil, rapport.Errorf(codeInvalidJob, "InvalidJob : External ID was blank for %s. An External ID must be specified for upsert.", obj.Name)
		}
		if f == nil || !(f.ExternalID || f.Type.IsText() && f.Unique || f.Name == "Id") {
			return nil, rapport.Errorf(codeInvalidJob, "InvalidJob : Field %s is not an external ID field of %s", req.ExternalIDField, obj.Name)
		}
		j.ExternalID = f.Name
	case OpHardDelete:
		if s.opt.CanHardDelete != nil {
			ok, err := s.opt.CanHardDelete(ctx, p)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, rapport.Errorf(codeFeatureDisabled, "hardDelete needs the Bulk API Hard Delete permission")
			}
		}
	}
	return j, s.insert(ctx, j)
}

// CreateQuery creates a query job in state UploadComplete and queues it.
func (s *Service) CreateQuery(ctx context.Context, version string, req QueryRequest) (*Job, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	op := req.Operation
	if op == "" {
		op = OpQuery
	}
	if op != OpQuery && op != OpQueryAll {
		return nil, rapport.Errorf(codeInvalidJob, "InvalidJob : Invalid operation: %s", op)
	}
	delim, eol, err := checkFormat(req.ContentType, req.ColumnDelimiter, req.LineEnding)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(req.Query) == "" {
		return nil, rapport.Errorf(codeInvalidJob, "InvalidJob : query is required")
	}
	cols, err := s.query.Columns(ctx, req.Query)
	if err != nil {
		return nil, err
	}
	ast, err := soql.Parse(req.Query)
	if err != nil {
		return nil, rapport.Errorf(rapport.MalformedQuery, "%v", err)
	}
	if ast.Offset != nil || ast.GroupBy != nil {
		return nil, rapport.Errorf(codeFeatureDisabled, "FeatureNotEnabled : Bulk API 2.0 does not support OFFSET, GROUP BY or aggregate queries")
	}
	header, err := queryHeader("", cols)
	if err != nil {
		return nil, err
	}
	j := s.newJob(p, KindQuery, version)
	j.Operation, j.Query, j.Object, j.Delimiter, j.LineEnding, j.State = op, req.Query, ast.From.Object.Name, delim, eol, StateUploadComplete
	j.ResultHeader = header
	if sch, err := s.records.Schema(ctx, p.OrgID); err == nil {
		if obj := sch.Object(j.Object); obj != nil {
			j.Object = obj.Name
		}
	}
	if err := s.insert(ctx, j); err != nil {
		return nil, err
	}
	return j, s.queue.Enqueue(ctx, jobs.Task{ID: TaskQuery + ":" + j.ID, Kind: TaskQuery, Args: []byte(j.ID), MaxAttempts: 3})
}

// queryHeader lists a query's result columns as Bulk CSV names them:
// Id, Name, Account.Name, Account.Owner.Email.
func queryHeader(prefix string, cols []query.Column) ([]string, error) {
	var out []string
	for _, c := range cols {
		switch {
		case c.Aggregate:
			return nil, rapport.Errorf(codeFeatureDisabled, "FeatureNotEnabled : Bulk API 2.0 does not support subqueries or aggregate functions: %s", c.Name)
		case c.Join != nil:
			sub, err := queryHeader(prefix+c.Name+".", c.Join)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		default:
			out = append(out, prefix+c.Name)
		}
	}
	if len(out) == 0 && prefix == "" {
		return nil, rapport.Errorf(codeFeatureDisabled, "FeatureNotEnabled : Bulk API 2.0 does not support COUNT() queries")
	}
	return out, nil
}

func (s *Service) insert(ctx context.Context, j *Job) error {
	doc, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return s.store.InsertBulkJob(ctx, j.ID, string(j.Org), j.Kind, j.State, j.Created.UnixMilli(), j.Hash, doc)
}

// load reads a job.
func (s *Service) load(ctx context.Context, id string) (*Job, error) {
	_, _, doc, err := s.store.BulkJob(ctx, id)
	if err != nil {
		return nil, err
	}
	j := &Job{}
	if err := json.Unmarshal(doc, j); err != nil {
		return nil, fmt.Errorf("bulk job %s: %w", id, err)
	}
	return j, nil
}

// swap saves j if its stored state is still from.
func (s *Service) swap(ctx context.Context, j *Job, from string) (bool, error) {
	j.Modstamp = s.now()
	doc, err := json.Marshal(j)
	if err != nil {
		return false, err
	}
	return s.store.SwapBulkJob(ctx, j.ID, from, j.State, doc)
}

// update applies fn to the job and saves it, retrying when another
// process changed the job in between. fn returns false to leave the job
// as it is.
func (s *Service) update(ctx context.Context, id string, fn func(j *Job) (bool, error)) (*Job, error) {
	for range 20 {
		j, err := s.load(ctx, id)
		if err != nil {
			return nil, err
		}
		from := j.State
		change, err := fn(j)
		if err != nil || !change {
			return j, err
		}
		ok, err := s.swap(ctx, j, from)
		if err != nil {
			return nil, err
		}
		if ok {
			return j, nil
		}
	}
	return nil, fmt.Errorf("bulk job %s keeps changing", id)
}

// Job returns a job of the principal's org, with its progress.
func (s *Service) Job(ctx context.Context, kind, id string) (*Job, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	j, err := s.load(ctx, id)
	if rapport.ErrorCode(err) == rapport.NotFound || err == nil && (j.Org != p.OrgID || j.Kind != kind) {
		return nil, jobNotFound()
	}
	if err != nil {
		return nil, err
	}
	if j.Kind == KindIngest && j.Prepared && j.State != StateJobComplete {
		_, processed, failed, err := s.counts(ctx, j)
		if err != nil {
			return nil, err
		}
		j.Processed, j.Failed = int64(processed), int64(failed)
	}
	return j, nil
}

// counts sums the chunks of an ingest job that ran.
func (s *Service) counts(ctx context.Context, j *Job) (chunks, processed, failed int, err error) {
	err = s.org.Read(ctx, j.Org, func(r record.Reader) error {
		ct, ok := r.(chunkTx)
		if !ok {
			return errors.New("bulkapi: the store keeps no chunk results")
		}
		chunks, processed, failed, err = ct.BulkChunkCounts(ctx, j.ID)
		return err
	})
	return
}

// Upload stores an ingest job's data. A job takes one upload.
func (s *Service) Upload(ctx context.Context, id string, body io.Reader) error {
	j, err := s.Job(ctx, KindIngest, id)
	if err != nil {
		return err
	}
	if j.State != StateOpen {
		return wrongState(j, "Uploading data")
	}
	if j.Uploaded {
		return rapport.Errorf(codeInvalidJob, "Found multiple contents for job: <%s>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.", j.ID)
	}
	n, err := s.blobs.Put(ctx, j.ID, "data.csv", body, s.opt.MaxUpload)
	if errors.Is(err, ErrTooLarge) {
		return rapport.Errorf(codeTooLarge, "The data of one job may be at most %d MB", s.opt.MaxUpload>>20)
	}
	if err != nil {
		return err
	}
	_, err = s.update(ctx, id, func(j *Job) (bool, error) {
		if j.State != StateOpen {
			return false, wrongState(j, "Uploading data")
		}
		if j.Uploaded {
			return false, rapport.Errorf(codeInvalidJob, "Found multiple contents for job: <%s>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.", j.ID)
		}
		j.Uploaded, j.Size = true, n
		return true, nil
	})
	return err
}

// codeTooLarge is restapi's code for a body over the limit.
const codeTooLarge rapport.Code = "REQUEST_ENTITY_TOO_LARGE"

// SetState changes a job's state as PATCH /jobs/…/{id} asks:
// UploadComplete (ingest, from Open) or Aborted.
func (s *Service) SetState(ctx context.Context, kind, id, state string) (*Job, error) {
	if _, err := s.Job(ctx, kind, id); err != nil {
		return nil, err
	}
	j, err := s.update(ctx, id, func(j *Job) (bool, error) {
		switch {
		case state == StateUploadComplete && kind == KindIngest && j.State == StateOpen:
		case state == StateAborted && (j.State == StateOpen || j.State == StateUploadComplete || j.State == StateInProgress):
			j.Finished = s.now()
		case state == StateUploadComplete || state == StateAborted:
			return false, wrongState(j, "Changing the state to "+state)
		default:
			return false, rapport.Errorf(codeInvalidJobState, "Invalid state: %s (use UploadComplete or Aborted)", state)
		}
		j.State = state
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if state == StateUploadComplete {
		err = s.queue.Enqueue(ctx, jobs.Task{ID: TaskIngest + ":" + j.ID, Kind: TaskIngest, Args: []byte(j.ID), MaxAttempts: 5})
	}
	return j, err
}

// Delete deletes a finished job (or an ingest job not started) with its
// data and results.
func (s *Service) Delete(ctx context.Context, kind, id string) error {
	j, err := s.Job(ctx, kind, id)
	if err != nil {
		return err
	}
	switch j.State {
	case StateJobComplete, StateAborted, StateFailed:
	case StateUploadComplete:
		if kind != KindIngest {
			return wrongState(j, "Deleting the job")
		}
	default:
		return wrongState(j, "Deleting the job")
	}
	return s.remove(ctx, j)
}

func (s *Service) remove(ctx context.Context, j *Job) error {
	if j.Kind == KindIngest {
		err := s.org.Write(ctx, j.Org, func(tx record.Tx) error {
			ct, ok := tx.(chunkTx)
			if !ok {
				return nil
			}
			return ct.DeleteBulkChunks(ctx, j.ID)
		})
		if err != nil {
			return err
		}
	}
	if err := s.blobs.Remove(ctx, j.ID); err != nil {
		return err
	}
	return s.store.DeleteBulkJob(ctx, j.ID)
}

// A Page is one page of a job listing.
type Page struct {
	Jobs []*Job
	// Next names the next page, "" on the last.
	Next string
}

const listPage = 1000

// List lists the org's jobs of a kind, oldest first; locator names a page
// after the first.
func (s *Service) List(ctx context.Context, kind, locator string) (*Page, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var after int64 = -1
	afterID := ""
	if locator != "" {
		raw, err := hex.DecodeString(locator)
		ms, id, ok := strings.Cut(string(raw), "/")
		if err != nil || !ok {
			return nil, rapport.Errorf(rapport.InvalidQueryLocator, "invalid query locator")
		}
		if _, err := fmt.Sscan(ms, &after); err != nil {
			return nil, rapport.Errorf(rapport.InvalidQueryLocator, "invalid query locator")
		}
		afterID = id
	}
	page := &Page{}
	err = s.store.BulkJobs(ctx, string(p.OrgID), kind, after, afterID, listPage+1, func(doc []byte) error {
		j := &Job{}
		if err := json.Unmarshal(doc, j); err != nil {
			return err
		}
		page.Jobs = append(page.Jobs, j)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(page.Jobs) > listPage {
		page.Jobs = page.Jobs[:listPage]
		last := page.Jobs[listPage-1]
		page.Next = hex.EncodeToString([]byte(fmt.Sprintf("%d/%s", last.Created.UnixMilli(), last.ID)))
	}
	return page, nil
}

// fail ends a job in state Failed with message.
func (s *Service) fail(ctx context.Context, id, message string) error {
	_, err := s.update(ctx, id, func(j *Job) (bool, error) {
		if Finished(j.State) {
			return false, nil
		}
		j.State, j.Error, j.Finished = StateFailed, message, s.now()
		return true, nil
	})
	return err
}

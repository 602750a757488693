package restapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// maxSubrequests is the most subrequests of a composite or batch request.
const maxSubrequests = 25

// recorder keeps a subrequest's response.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (rec *recorder) Header() http.Header { return rec.header }
func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.body.Write(b)
}
func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
}

// subrequest runs one subrequest of a composite or batch request through
// the server's own handlers, as the principal of the outer request.
func (a *API) subrequest(ctx context.Context, method, url string, body []byte) (*recorder, error) {
	if a.dispatch == nil {
		return nil, fmt.Errorf("restapi: no dispatcher for subrequests")
	}
	ctx = context.WithValue(ctx, subrequestKey, true)
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := newRecorder()
	a.dispatch.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec, nil
}

// subrequestPath checks a subrequest URL: it must name a resource under
// /services/data/vNN.0/ and not another composite request.
func subrequestPath(url string) error {
	path, _, _ := strings.Cut(url, "?")
	rest, ok := strings.CutPrefix(path, "/services/data/")
	if !ok {
		return newError(codeInvalidBatchReq, "the url of a subrequest must start with /services/data/vNN.0/: %s", url)
	}
	ver, rest, _ := strings.Cut(rest, "/")
	if _, ok := parseVersion(ver); !ok {
		return newError(rapport.NotFound, "The requested resource does not exist")
	}
	if strings.HasPrefix(rest, "composite") && !strings.HasPrefix(rest, "composite/sobjects") {
		return newError(codeInvalidBatchReq, "a composite request cannot contain another composite request: %s", url)
	}
	return nil
}

// errorBody is a subrequest's error response body.
func errorBody(code rapport.Code, msg string) json.RawMessage {
	b, _ := json.Marshal([]apiError{{Message: msg, ErrorCode: wireOf(code).errorCode, Fields: []string{}}})
	return b
}

// compositeItem is one subrequest of POST /composite.
type compositeItem struct {
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	ReferenceID string            `json:"referenceId"`
	Body        json.RawMessage   `json:"body"`
	HTTPHeaders map[string]string `json:"httpHeaders"`
}

type compositeResult struct {
	Body        json.RawMessage   `json:"body"`
	HTTPHeaders map[string]string `json:"httpHeaders"`
	Status      int               `json:"httpStatusCode"`
	ReferenceID string            `json:"referenceId"`
}

var (
	referencePattern = regexp.MustCompile(`@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[[0-9]+\])+)\}`)
	referenceID      = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,79}$`)
	pathStep         = regexp.MustCompile(`\.([A-Za-z0-9_]+)|\[([0-9]+)\]`)
)

// resolve replaces @{ref.path} in s with values from earlier responses;
// inJSON quotes string values when the reference is a whole JSON string.
func resolve(s string, done map[string]any, inJSON bool) (string, error) {
	var firstErr error
	out := referencePattern.ReplaceAllStringFunc(s, func(m string) string {
		parts := referencePattern.FindStringSubmatch(m)
		v, ok := done[parts[1]]
		if !ok {
			if firstErr == nil {
				firstErr = fmt.Errorf("Invalid reference specified. No value for %s%s found in %s. Provided referenceId ('%s') must be a valid referenceId", parts[1], parts[2], parts[1], parts[1])
			}
			return m
		}
		for _, step := range pathStep.FindAllStringSubmatch(parts[2], -1) {
			switch x := v.(type) {
			case map[string]any:
				v, ok = lookupFold(x, step[1])
			case []any:
				i, err := strconv.Atoi(step[2])
				ok = err == nil && step[2] != "" && i < len(x)
				if ok {
					v = x[i]
				}
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if !ok || v == nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("Invalid reference specified. No value for %s%s found in %s", parts[1], parts[2], parts[1])
			}
			return m
		}
		switch x := v.(type) {
		case string:
			if inJSON {
				b, _ := json.Marshal(x)
				return string(b[1 : len(b)-1])
			}
			return x
		case json.Number:
			return x.String()
		default:
			b, _ := json.Marshal(x)
			return string(b)
		}
	})
	return out, firstErr
}

func lookupFold(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// undo is how to reverse one subrequest of an all-or-none composite.
type undo struct {
	created rapport.ID     // hard-delete it
	deleted rapport.ID     // undelete it
	object  string         // restore before's values
	before  map[string]any // with Id
}

// Composite serves POST /composite: subrequests run in order; references
// name earlier results; allOrNone undoes the earlier subrequests when one
// fails (creates are removed, deletes undeleted, updates restored: see the
// package comment for what this does not cover).
func (a *API) Composite() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			AllOrNone          bool            `json:"allOrNone"`
			CollateSubrequests bool            `json:"collateSubrequests"`
			CompositeRequest   []compositeItem `json:"compositeRequest"`
		}
		if err := decodeJSON(r, &req); err != nil {
			a.writeError(w, r, err)
			return
		}
		n := len(req.CompositeRequest)
		if n == 0 || n > maxSubrequests {
			a.writeError(w, r, newError(codeInvalidBatchReq, "a composite request has 1 to %d subrequests, not %d", maxSubrequests, n))
			return
		}
		seen := map[string]bool{}
		for _, it := range req.CompositeRequest {
			if !referenceID.MatchString(it.ReferenceID) || seen[it.ReferenceID] {
				a.writeError(w, r, newError(codeInvalidBatchReq, "each subrequest needs a unique referenceId of letters, digits and underscores: %q", it.ReferenceID))
				return
			}
			seen[it.ReferenceID] = true
		}
		ctx := r.Context()
		results := make([]compositeResult, n)
		done := map[string]any{}
		var undos []undo
		failedAt := -1
		for i, it := range req.CompositeRequest {
			results[i] = a.runComposite(ctx, it, done, &undos, req.AllOrNone)
			if results[i].Status >= 400 && req.AllOrNone {
				failedAt = i
				break
			}
		}
		if failedAt >= 0 {
			a.undo(ctx, undos)
			halted := errorBody(codeProcessingHalted, "The transaction was rolled back since another operation in the same transaction failed.")
			for i := range results {
				if i != failedAt {
					results[i] = compositeResult{Body: halted, HTTPHeaders: map[string]string{}, Status: http.StatusBadRequest, ReferenceID: req.CompositeRequest[i].ReferenceID}
				}
			}
		}
		writeJSON(w, http.StatusOK, object{{"compositeResponse", results}})
	}
}

func (a *API) runComposite(ctx context.Context, it compositeItem, done map[string]any, undos *[]undo, allOrNone bool) compositeResult {
	res := compositeResult{HTTPHeaders: map[string]string{}, ReferenceID: it.ReferenceID}
	halt := func(msg string) compositeResult {
		res.Status, res.Body = http.StatusBadRequest, errorBody(codeProcessingHalted, msg)
		return res
	}
	url, err := resolve(it.URL, done, false)
	if err != nil {
		return halt(err.Error())
	}
	body := []byte(nil)
	if len(it.Body) > 0 && string(it.Body) != "null" {
		s, err := resolve(string(it.Body), done, true)
		if err != nil {
			return halt(err.Error())
		}
		body = []byte(s)
	}
	if err := subrequestPath(url); err != nil {
		_, e := a.classify(ctx, err)
		res.Status, res.Body = wireOf(rapport.ErrorCode(err)).status, errorBody(rapport.Code(e.ErrorCode), e.Message)
		return res
	}
	method := strings.ToUpper(it.Method)
	var u undo
	if allOrNone {
		u = a.prepareUndo(ctx, method, url)
	}
	rec, err := a.subrequest(ctx, method, url, body)
	if err != nil {
		_, e := a.classify(ctx, err)
		res.Status, res.Body = http.StatusInternalServerError, errorBody(rapport.Internal, e.Message)
		return res
	}
	res.Status = rec.status
	if rec.body.Len() > 0 {
		res.Body = json.RawMessage(bytes.TrimSpace(rec.body.Bytes()))
		var parsed any
		dec := json.NewDecoder(bytes.NewReader(rec.body.Bytes()))
		dec.UseNumber()
		if dec.Decode(&parsed) == nil && rec.status < 400 {
			done[it.ReferenceID] = parsed
		}
	} else if rec.status < 400 {
		done[it.ReferenceID] = map[string]any{}
	}
	if rec.status == http.StatusCreated {
		if m, ok := done[it.ReferenceID].(map[string]any); ok {
			if id, ok := m["id"].(string); ok {
				res.HTTPHeaders["Location"] = strings.TrimSuffix(strings.SplitN(url, "?", 2)[0], "/") + "/" + id
				u.created = rapport.ID(id)
			}
		}
	}
	if rec.status < 400 && allOrNone {
		if method == http.MethodDelete || method == http.MethodPatch {
			*undos = append(*undos, u)
		} else if u.created != "" {
			*undos = append(*undos, undo{created: u.created})
		}
	}
	return res
}

// prepareUndo notes what a PATCH or DELETE of /sobjects/{object}/{id}
// changes, so that it can be reversed.
func (a *API) prepareUndo(ctx context.Context, method, url string) undo {
	if method != http.MethodPatch && method != http.MethodDelete {
		return undo{}
	}
	path, _, _ := strings.Cut(url, "?")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	// services data vNN.0 sobjects {object} {id}
	if len(parts) != 6 || parts[3] != "sobjects" {
		return undo{}
	}
	id, err := rapport.ParseID(parts[5])
	if err != nil {
		return undo{}
	}
	if method == http.MethodDelete {
		return undo{deleted: id}
	}
	recs, err := a.records.Get(ctx, parts[4], []string{string(id)}, nil, false)
	if err != nil || recs[0] == nil {
		return undo{}
	}
	before := map[string]any{metadata.FieldID: string(id)}
	for _, f := range recs[0].Object.LiveFields() {
		if f.Writable(false) {
			before[f.Name] = recs[0].Values[f.Name]
		}
	}
	return undo{object: recs[0].Object.Name, before: before}
}

// undo reverses, newest first, what an all-or-none composite did.
func (a *API) undo(ctx context.Context, undos []undo) {
	for i := len(undos) - 1; i >= 0; i-- {
		u := undos[i]
		var rs []record.Result
		var err error
		switch {
		case u.created != "":
			rs, err = a.records.HardDelete(ctx, []string{string(u.created)}, record.WriteOptions{})
		case u.deleted != "":
			rs, err = a.records.Undelete(ctx, []string{string(u.deleted)}, record.WriteOptions{})
		case u.object != "":
			rs, err = a.records.Update(ctx, u.object, []map[string]any{u.before}, record.WriteOptions{})
		default:
			continue
		}
		if err == nil && len(rs) == 1 {
			err = rs[0].Err
		}
		if err != nil {
			a.logger(ctx).WarnContext(ctx, "composite rollback step failed", "error", err)
		}
	}
}

// Batch serves POST /composite/batch: independent subrequests, URLs
// relative to /services/data; with haltOnError the ones after a failure
// are not run (412 BATCH_PROCESSING_HALTED).
func (a *API) Batch() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			HaltOnError   bool `json:"haltOnError"`
			BatchRequests []struct {
				Method    string          `json:"method"`
				URL       string          `json:"url"`
				RichInput json.RawMessage `json:"richInput"`
			} `json:"batchRequests"`
		}
		if err := decodeJSON(r, &req); err != nil {
			a.writeError(w, r, err)
			return
		}
		n := len(req.BatchRequests)
		if n == 0 || n > maxSubrequests {
			a.writeError(w, r, newError(codeInvalidBatchReq, "a batch has 1 to %d requests, not %d", maxSubrequests, n))
			return
		}
		type result struct {
			StatusCode int             `json:"statusCode"`
			Result     json.RawMessage `json:"result"`
		}
		ctx := r.Context()
		results := make([]result, n)
		hasErrors, halted := false, false
		for i, br := range req.BatchRequests {
			if halted {
				results[i] = result{http.StatusPreconditionFailed, errorBody(codeBatchHalted, "Batch processing halted per request")}
				continue
			}
			url := "/services/data/" + strings.TrimPrefix(br.URL, "/")
			if strings.HasPrefix(br.URL, "/services/data/") {
				url = br.URL
			}
			var st int
			var body json.RawMessage
			if err := subrequestPath(url); err != nil {
				_, e := a.classify(ctx, err)
				st, body = wireOf(rapport.ErrorCode(err)).status, errorBody(rapport.Code(e.ErrorCode), e.Message)
			} else {
				var in []byte
				if len(br.RichInput) > 0 && string(br.RichInput) != "null" {
					in = br.RichInput
				}
				rec, err := a.subrequest(ctx, strings.ToUpper(br.Method), url, in)
				if err != nil {
					_, e := a.classify(ctx, err)
					st, body = http.StatusInternalServerError, errorBody(rapport.Internal, e.Message)
				} else {
					st = rec.status
					if rec.body.Len() > 0 {
						body = json.RawMessage(bytes.TrimSpace(rec.body.Bytes()))
					}
				}
			}
			results[i] = result{st, body}
			if st >= 400 {
				hasErrors = true
				halted = req.HaltOnError
			}
		}
		writeJSON(w, http.StatusOK, object{{"hasErrors", hasErrors}, {"results", results}})
	}
}

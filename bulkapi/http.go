package bulkapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport"
)

// An ErrorWriter writes an error as the REST API does: Salesforce's
// error array, [{"errorCode","message"}], with the code's status.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, err error)

// Handlers serve the Bulk API 2.0 endpoints.
type Handlers struct {
	s          *Service
	writeError ErrorWriter
}

// Handlers returns the service's HTTP handlers; they expect the
// principal in the request context and leave authentication to the
// caller's middleware.
func (s *Service) Handlers(writeError ErrorWriter) *Handlers {
	return &Handlers{s: s, writeError: writeError}
}

// Routes registers every endpoint under /services/data/{version}/jobs
// with add; maxBody is the most a request body may carry.
func (h *Handlers) Routes(add func(pattern string, handler http.Handler, maxBody int64)) {
	const v = "/services/data/{version}/jobs"
	small := int64(1 << 20)
	add("POST "+v+"/ingest", http.HandlerFunc(h.createIngest), small)
	add("POST "+v+"/ingest/{$}", http.HandlerFunc(h.createIngest), small)
	add("GET "+v+"/ingest", h.list(KindIngest), small)
	add("GET "+v+"/ingest/{$}", h.list(KindIngest), small)
	add("GET "+v+"/ingest/{id}", h.get(KindIngest), small)
	add("PATCH "+v+"/ingest/{id}", h.patch(KindIngest), small)
	add("DELETE "+v+"/ingest/{id}", h.remove(KindIngest), small)
	add("PUT "+v+"/ingest/{id}/batches", http.HandlerFunc(h.upload), h.s.opt.MaxUpload+1)
	for _, which := range []string{Successful, FailedRows, Unprocessed} {
		add("GET "+v+"/ingest/{id}/"+which, h.results(which), small)
	}
	add("POST "+v+"/query", http.HandlerFunc(h.createQuery), small)
	add("POST "+v+"/query/{$}", http.HandlerFunc(h.createQuery), small)
	add("GET "+v+"/query", h.list(KindQuery), small)
	add("GET "+v+"/query/{$}", h.list(KindQuery), small)
	add("GET "+v+"/query/{id}", h.get(KindQuery), small)
	add("PATCH "+v+"/query/{id}", h.patch(KindQuery), small)
	add("DELETE "+v+"/query/{id}", h.remove(KindQuery), small)
	add("GET "+v+"/query/{id}/results", http.HandlerFunc(h.queryResults), small)
}

// codeJSON is the code of a body that is not the JSON expected.
const codeJSON rapport.Code = "JSON_PARSER_ERROR"

func version(r *http.Request) string {
	return strings.TrimPrefix(r.PathValue("version"), "v")
}

func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return rapport.Errorf(codeJSON, "%v", err)
	}
	return nil
}

func (h *Handlers) createIngest(w http.ResponseWriter, r *http.Request) {
	var req IngestRequest
	if err := decode(r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	j, err := h.s.CreateIngest(r.Context(), version(r), req)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, j.info())
}

func (h *Handlers) createQuery(w http.ResponseWriter, r *http.Request) {
	var req QueryRequest
	if err := decode(r, &req); err != nil {
		h.writeError(w, r, err)
		return
	}
	j, err := h.s.CreateQuery(r.Context(), version(r), req)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, j.info())
}

func (h *Handlers) list(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, err := h.s.List(r.Context(), kind, r.URL.Query().Get("queryLocator"))
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		recs := make([]object, len(page.Jobs))
		for i, j := range page.Jobs {
			recs[i] = j.info()
		}
		var next any
		if page.Next != "" {
			next = "/services/data/" + r.PathValue("version") + "/jobs/" + kind + "?queryLocator=" + page.Next
		}
		writeJSON(w, http.StatusOK, object{{"done", page.Next == ""}, {"records", recs}, {"nextRecordsUrl", next}})
	}
}

func (h *Handlers) get(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		j, err := h.s.Job(r.Context(), kind, r.PathValue("id"))
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, j.info())
	}
}

func (h *Handlers) patch(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			State string `json:"state"`
		}
		if err := decode(r, &req); err != nil {
			h.writeError(w, r, err)
			return
		}
		j, err := h.s.SetState(r.Context(), kind, r.PathValue("id"), req.State)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, j.info())
	}
}

func (h *Handlers) remove(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h.s.Delete(r.Context(), kind, r.PathValue("id")); err != nil {
			h.writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (h *Handlers) upload(w http.ResponseWriter, r *http.Request) {
	if err := h.s.Upload(r.Context(), r.PathValue("id"), r.Body); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = rapport.Errorf(codeTooLarge, "The data of one job may be at most %d MB", h.s.opt.MaxUpload>>20)
		}
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// csvWriter sends the status and Content-Type on the first write, so
// that an error found before any output can still be reported as JSON.
type csvWriter struct {
	w       http.ResponseWriter
	started bool
}

func (c *csvWriter) Write(p []byte) (int, error) {
	if !c.started {
		c.started = true
		c.w.Header().Set("Content-Type", "text/csv")
		c.w.WriteHeader(http.StatusOK)
	}
	return c.w.Write(p)
}

func (h *Handlers) results(which string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cw := &csvWriter{w: w}
		err := h.s.WriteResults(r.Context(), r.PathValue("id"), which, cw)
		if err != nil && !cw.started {
			h.writeError(w, r, err)
			return
		}
		if err != nil {
			h.s.opt.Logger.WarnContext(r.Context(), "bulk results cut short", "error", err)
			return
		}
		if !cw.started {
			cw.Write(nil)
		}
	}
}

func (h *Handlers) queryResults(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	max := 0
	if s := q.Get("maxRecords"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			h.writeError(w, r, rapport.Errorf(rapport.InvalidArgument, "maxRecords must be a positive number: %s", s))
			return
		}
		max = n
	}
	page, err := h.s.Page(r.Context(), r.PathValue("id"), q.Get("locator"), max)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	defer page.Close()
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Sforce-Locator", page.Locator)
	w.Header().Set("Sforce-NumberOfRecords", strconv.Itoa(page.Records))
	w.WriteHeader(http.StatusOK)
	if err := page.WriteHeader(w); err != nil {
		return
	}
	if _, err := io.Copy(w, page.Body); err != nil {
		h.s.opt.Logger.WarnContext(r.Context(), "bulk query results cut short", "error", err)
	}
}

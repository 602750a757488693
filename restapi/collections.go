package restapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// maxCollection is the most records of one sObject Collections call.
const maxCollection = 200

// collectionBody is the body of POST and PATCH /composite/sobjects and of
// the collection upsert.
type collectionBody struct {
	AllOrNone bool             `json:"allOrNone"`
	Records   []map[string]any `json:"records"`
}

func readCollection(r *http.Request) (collectionBody, error) {
	var b collectionBody
	if err := decodeJSON(r, &b); err != nil {
		return b, err
	}
	if len(b.Records) > maxCollection {
		return b, newError(codeLimitExceeded, "The number of records in the request exceeds the limit of %d", maxCollection)
	}
	return b, nil
}

// recordType returns attributes.type of a record in a collection.
func recordType(rec map[string]any) string {
	for k, v := range rec {
		if strings.EqualFold(k, "attributes") {
			if attrs, ok := v.(map[string]any); ok {
				t, _ := attrs["type"].(string)
				return t
			}
		}
	}
	return ""
}

// chunk is a run of records of one object in a collection.
type chunk struct {
	obj     *metadata.Object
	index   []int // positions in the request
	records []map[string]any
}

// collectionResults accumulates a collection's SaveResults.
type collectionResults struct {
	a       *API
	ctx     context.Context
	out     []saveResult
	created []rapport.ID // records this call created, for an all-or-none undo
}

func newResults(ctx context.Context, a *API, n int) *collectionResults {
	return &collectionResults{a: a, ctx: ctx, out: make([]saveResult, n)}
}

func (c *collectionResults) fail(i int, err error) {
	c.out[i] = saveResult{Success: false, Errors: []saveError{c.a.saveErrorOf(c.ctx, err)}}
}

func (c *collectionResults) failed() bool {
	for _, r := range c.out {
		if len(r.Errors) > 0 {
			return true
		}
	}
	return false
}

// rollBack undoes what an all-or-none collection wrote in earlier chunks
// and marks every record that did not fail as rolled back.
func (c *collectionResults) rollBack(undo func() error) error {
	if err := undo(); err != nil {
		return err
	}
	for i, r := range c.out {
		if r.Success || len(r.Errors) == 0 {
			c.fail(i, rapport.Errorf(rapport.AllOrNoneOperationRolledBack, "Record rolled back because not all records were valid and the request was using AllOrNone header"))
		}
	}
	return nil
}

// chunks groups records by object, in order of first appearance. Records
// whose type is missing or unknown fail in res.
func (a *API) chunks(sch *metadata.Schema, recs []map[string]any, typeOf func(map[string]any) string, res *collectionResults) []*chunk {
	var out []*chunk
	byObj := map[*metadata.Object]*chunk{}
	for i, rec := range recs {
		if rec == nil {
			res.fail(i, newError(codeJSONParser, "a record is null"))
			continue
		}
		t := typeOf(rec)
		if t == "" {
			res.fail(i, newError(rapport.InvalidType, "No SObject Type defined in JSON"))
			continue
		}
		o := sch.Object(t)
		if o == nil {
			res.fail(i, newError(rapport.InvalidType, "sObject type '%s' is not supported.", t))
			continue
		}
		c := byObj[o]
		if c == nil {
			c = &chunk{obj: o}
			byObj[o] = c
			out = append(out, c)
		}
		c.index = append(c.index, i)
		c.records = append(c.records, rec)
	}
	return out
}

func (a *API) schema(ctx context.Context) (*metadata.Schema, error) {
	p, _ := rapport.PrincipalFrom(ctx)
	return a.records.Schema(ctx, p.OrgID)
}

// writeChunks writes a collection chunk by chunk with write, keeping
// all-or-none across chunks by undoing earlier chunks' creations.
func (a *API) writeChunks(ctx context.Context, body collectionBody, typeOf func(map[string]any) string,
	write func(c *chunk) ([]record.Result, error)) ([]saveResult, error) {
	sch, err := a.schema(ctx)
	if err != nil {
		return nil, err
	}
	res := newResults(ctx, a, len(body.Records))
	chunks := a.chunks(sch, body.Records, typeOf, res)
	if body.AllOrNone && res.failed() {
		return res.out, res.rollBack(func() error { return nil })
	}
	for _, c := range chunks {
		rs, err := write(c)
		if err != nil {
			if rapport.ErrorCode(err) == rapport.Internal {
				return nil, err
			}
			for _, i := range c.index {
				res.fail(i, err)
			}
		}
		for j, r := range rs {
			i := c.index[j]
			if r.Err != nil {
				res.fail(i, r.Err)
				continue
			}
			res.out[i] = saveResult{ID: string(r.ID), Success: true, Errors: []saveError{}}
			if r.Created {
				res.created = append(res.created, r.ID)
			}
		}
		if err == nil {
			if aerr := a.afterWrite(ctx, c.obj, c.records, idsOf(rs)); aerr != nil {
				return nil, aerr
			}
		}
		if body.AllOrNone && res.failed() {
			return res.out, res.rollBack(func() error { return a.undoCreates(ctx, res.created) })
		}
	}
	return res.out, nil
}

func idsOf(rs []record.Result) []rapport.ID {
	out := make([]rapport.ID, len(rs))
	for i, r := range rs {
		if r.Err == nil {
			out[i] = r.ID
		}
	}
	return out
}

// undoCreates removes records created earlier in an all-or-none request.
func (a *API) undoCreates(ctx context.Context, ids []rapport.ID) error {
	if len(ids) == 0 {
		return nil
	}
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[len(ids)-1-i] = string(id) // children before parents
	}
	rs, err := a.records.HardDelete(ctx, strs, record.WriteOptions{})
	if err != nil {
		return err
	}
	for _, r := range rs {
		if r.Err != nil && rapport.ErrorCode(r.Err) != rapport.NotFound {
			a.logger(ctx).WarnContext(ctx, "undo create failed", "record_id", r.ID, "error", r.Err)
		}
	}
	return nil
}

// CollectionCreate serves POST /composite/sobjects.
func (a *API) CollectionCreate() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := readCollection(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		ctx := r.Context()
		out, err := a.writeChunks(ctx, body, recordType, func(c *chunk) ([]record.Result, error) {
			for _, rec := range c.records {
				for k := range rec {
					if strings.EqualFold(k, metadata.FieldID) {
						return nil, rapport.FieldErrorf(rapport.InvalidFieldForInsertUpdate, []string{metadata.FieldID}, "cannot specify Id in an insert call")
					}
				}
			}
			return a.records.Create(ctx, c.obj.Name, c.records, record.WriteOptions{AllOrNone: body.AllOrNone})
		})
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// updateType is the object of a record to update: attributes.type, or
// the object its Id names.
func updateType(sch *metadata.Schema) func(map[string]any) string {
	return func(rec map[string]any) string {
		if t := recordType(rec); t != "" {
			return t
		}
		for k, v := range rec {
			if strings.EqualFold(k, metadata.FieldID) {
				if s, ok := v.(string); ok {
					if id, err := rapport.ParseID(s); err == nil {
						if o := sch.ByPrefix(id.Prefix()); o != nil {
							return o.Name
						}
					}
				}
			}
		}
		return ""
	}
}

// CollectionUpdate serves PATCH /composite/sobjects.
func (a *API) CollectionUpdate() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := readCollection(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		ctx := r.Context()
		sch, err := a.schema(ctx)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if body.AllOrNone {
			// One object per transaction: an all-or-none update spanning
			// several objects cannot undo the objects written first.
			seen := map[string]bool{}
			for _, rec := range body.Records {
				if rec != nil {
					seen[strings.ToLower(updateType(sch)(rec))] = true
				}
			}
			if len(seen) > 1 {
				a.writeError(w, r, newError(codeInvalidOperation, "allOrNone updates must carry records of one object type"))
				return
			}
		}
		out, err := a.writeChunks(ctx, body, updateType(sch), func(c *chunk) ([]record.Result, error) {
			return a.records.Update(ctx, c.obj.Name, c.records, record.WriteOptions{AllOrNone: body.AllOrNone})
		})
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// CollectionDelete serves DELETE /composite/sobjects?ids=…[&allOrNone=].
func (a *API) CollectionDelete() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		ids := fieldNames(q.Get("ids"))
		if len(ids) == 0 {
			a.writeError(w, r, rapport.FieldErrorf(rapport.MalformedID, []string{"ids"}, "no ids given"))
			return
		}
		if len(ids) > maxCollection {
			a.writeError(w, r, newError(codeLimitExceeded, "The number of records in the request exceeds the limit of %d", maxCollection))
			return
		}
		rs, err := a.records.Delete(r.Context(), ids, record.WriteOptions{AllOrNone: strings.EqualFold(q.Get("allOrNone"), "true")})
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		out := make([]saveResult, len(rs))
		for i, res := range rs {
			if res.Err != nil {
				out[i] = saveResult{ID: string(res.ID), Errors: []saveError{a.saveErrorOf(r.Context(), res.Err)}}
				continue
			}
			out[i] = saveResult{ID: string(res.ID), Success: true, Errors: []saveError{}}
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// CollectionRetrieve serves GET ?ids=&fields= and POST {ids, fields}
// /composite/sobjects/{object}: records in the order of ids, null for
// those missing.
func (a *API) CollectionRetrieve() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		var req struct {
			IDs    []string `json:"ids"`
			Fields []string `json:"fields"`
		}
		if r.Method == http.MethodPost {
			if err := decodeJSON(r, &req); err != nil {
				a.writeError(w, r, err)
				return
			}
		} else {
			req.IDs = fieldNames(r.URL.Query().Get("ids"))
			req.Fields = fieldNames(r.URL.Query().Get("fields"))
		}
		if len(req.IDs) > 2000 {
			a.writeError(w, r, newError(codeLimitExceeded, "The number of ids in the request exceeds the limit of 2000"))
			return
		}
		var only []*metadata.Field
		for _, n := range req.Fields {
			f := o.Field(n)
			if f == nil {
				a.writeError(w, r, record.UnknownField(o, n))
				return
			}
			only = append(only, f)
		}
		recs, err := a.records.Get(r.Context(), o.Name, req.IDs, storedNames(only), false)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		out := make([]any, len(recs))
		for i, rec := range recs {
			if rec != nil {
				out[i] = recordJSON(r.PathValue("version"), rec, only)
			}
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// CollectionUpsert serves PATCH /composite/sobjects/{object}/{field}.
func (a *API) CollectionUpsert() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		body, err := readCollection(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		ctx := r.Context()
		res := newResults(ctx, a, len(body.Records))
		var recs []map[string]any
		var index []int
		for i, rec := range body.Records {
			if t := recordType(rec); rec == nil || (t != "" && !strings.EqualFold(t, o.Name)) {
				res.fail(i, newError(rapport.InvalidType, "the record's type must be %s", o.Name))
				continue
			}
			recs = append(recs, rec)
			index = append(index, i)
		}
		if body.AllOrNone && res.failed() {
			res.rollBack(func() error { return nil })
			writeJSON(w, http.StatusOK, res.out)
			return
		}
		rs, err := a.records.Upsert(ctx, o.Name, r.PathValue("field"), recs, record.WriteOptions{AllOrNone: body.AllOrNone})
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		for j, rr := range rs {
			i := index[j]
			if rr.Err != nil {
				res.fail(i, rr.Err)
				continue
			}
			created := rr.Created
			res.out[i] = saveResult{ID: string(rr.ID), Success: true, Errors: []saveError{}, Created: &created}
		}
		if err := a.afterWrite(ctx, o, recs, idsOf(rs)); err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res.out)
	}
}

// rawJSON is a JSON value kept undecoded.
type rawJSON = json.RawMessage

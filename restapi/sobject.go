package restapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// saveResult is the body of a create, and an element of a collection's
// response.
type saveResult struct {
	ID      string      `json:"id,omitempty"`
	Success bool        `json:"success"`
	Errors  []saveError `json:"errors"`
	Created *bool       `json:"created,omitempty"`
}

// readObject decodes a request body that must be one JSON object.
func readObject(r *http.Request) (map[string]any, error) {
	var m map[string]any
	if err := decodeJSON(r, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, newError(codeJSONParser, "Cannot deserialize instance of SObject from null")
	}
	return m, nil
}

// withoutKey returns m without key (matched case-insensitively).
func withoutKey(m map[string]any, key string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !strings.EqualFold(k, key) {
			out[k] = v
		}
	}
	return out
}

func versionNumber(r *http.Request) int {
	v, _ := parseVersion(r.PathValue("version"))
	return v
}

// single returns the error of a one-record write.
func single(rs []record.Result, err error) (record.Result, error) {
	if err != nil {
		return record.Result{}, err
	}
	if len(rs) != 1 {
		return record.Result{}, errors.New("restapi: write returned no result")
	}
	return rs[0], rs[0].Err
}

// Create serves POST /sobjects/{object} (and with a trailing slash, and
// POST /sobjects/{object}/Id).
func (a *API) Create() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f := r.PathValue("field"); f != "" && !strings.EqualFold(f, metadata.FieldID) {
			a.writeError(w, r, notFound())
			return
		}
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		body, err := readObject(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		res, err := single(a.records.Create(r.Context(), o.Name, []map[string]any{body}, record.WriteOptions{AllOrNone: true}))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, saveResult{ID: string(res.ID), Success: true, Errors: []saveError{}})
	}
}

// recordID parses the {id} of a path for object o: anything but an ID of
// o is 404, as Salesforce reads it as an unknown external ID.
func recordID(o *metadata.Object, s string) (rapport.ID, error) {
	id, err := rapport.ParseID(s)
	if err != nil || id.Prefix() != o.KeyPrefix {
		return "", rapport.Errorf(rapport.NotFound, "Provided external ID field does not exist or is not accessible: %s", s)
	}
	return id, nil
}

// Retrieve serves GET (and HEAD) /sobjects/{object}/{id}[?fields=].
func (a *API) Retrieve() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		id, err := recordID(o, r.PathValue("id"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		a.writeRecord(w, r, o, id)
	}
}

// writeRecord reads one record and writes it as JSON: 404 NOT_FOUND when
// absent, ENTITY_IS_DELETED when in the recycle bin.
func (a *API) writeRecord(w http.ResponseWriter, r *http.Request, o *metadata.Object, id rapport.ID) {
	names := fieldNames(r.URL.Query().Get("fields"))
	var only []*metadata.Field
	for _, n := range names {
		f := o.Field(n)
		if f == nil {
			a.writeError(w, r, record.UnknownField(o, n))
			return
		}
		only = append(only, f)
	}
	recs, err := a.records.Get(r.Context(), o.Name, []string{string(id)}, storedNames(only), true)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	rec := recs[0]
	switch {
	case rec == nil:
		a.writeError(w, r, notFound())
	case rec.Deleted:
		a.writeError(w, r, rapport.Errorf(rapport.EntityIsDeleted, "entity is deleted"))
	default:
		writeJSON(w, http.StatusOK, recordJSON(r.PathValue("version"), rec, only))
	}
}

// storedNames lists the names of the stored fields among fs.
func storedNames(fs []*metadata.Field) []string {
	var out []string
	for _, f := range fs {
		if f.Stored() {
			out = append(out, f.Name)
		}
	}
	if fs != nil && out == nil {
		out = []string{metadata.FieldID}
	}
	return out
}

// Update serves PATCH /sobjects/{object}/{id}.
func (a *API) Update() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		id, err := recordID(o, r.PathValue("id"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		body, err := readObject(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		body = withoutKey(body, metadata.FieldID)
		body[metadata.FieldID] = string(id)
		if _, err := single(a.records.Update(r.Context(), o.Name, []map[string]any{body}, record.WriteOptions{AllOrNone: true})); err != nil {
			a.writeError(w, r, err)
			return
		}
		if err := a.afterWrite(r.Context(), o, []map[string]any{body}, []rapport.ID{id}); err != nil {
			a.writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// Delete serves DELETE /sobjects/{object}/{id}.
func (a *API) Delete() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		id, err := recordID(o, r.PathValue("id"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if _, err := single(a.records.Delete(r.Context(), []string{string(id)}, record.WriteOptions{AllOrNone: true})); err != nil {
			a.writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// RetrieveByExternalID serves GET /sobjects/{object}/{field}/{value}.
func (a *API) RetrieveByExternalID() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		ids, err := a.records.FindByExternalID(r.Context(), o.Name, r.PathValue("field"), r.PathValue("value"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		switch len(ids) {
		case 0:
			a.writeError(w, r, notFound())
		case 1:
			a.writeRecord(w, r, o, ids[0])
		default:
			a.writeChoices(w, r, o, ids)
		}
	}
}

// writeChoices answers 300 with the URLs of the records an external ID
// matched.
func (a *API) writeChoices(w http.ResponseWriter, r *http.Request, o *metadata.Object, ids []rapport.ID) {
	urls := make([]string, len(ids))
	for i, id := range ids {
		urls[i] = recordURL(r.PathValue("version"), o.Name, string(id))
	}
	writeJSON(w, http.StatusMultipleChoices, urls)
}

// Upsert serves PATCH /sobjects/{object}/{field}/{value}: 201 when it
// creates, 200 {created:false} when it updates (204 before v46.0), 300 when
// several records match, 404 for a field that is not an external ID.
func (a *API) Upsert() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		field, value := r.PathValue("field"), r.PathValue("value")
		key := o.Field(field)
		if key == nil {
			a.writeError(w, r, rapport.FieldErrorf(rapport.NotFound, []string{field}, "Provided external ID field does not exist or is not accessible: %s", field))
			return
		}
		body, err := readObject(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		body = withoutKey(body, key.Name)
		body[key.Name] = value
		if strings.EqualFold(r.URL.Query().Get("updateOnly"), "true") {
			ids, err := a.records.FindByExternalID(r.Context(), o.Name, key.Name, value)
			if err != nil {
				a.writeError(w, r, err)
				return
			}
			if len(ids) == 0 {
				a.writeError(w, r, notFound())
				return
			}
		}
		res, err := single(a.records.Upsert(r.Context(), o.Name, key.Name, []map[string]any{body}, record.WriteOptions{AllOrNone: true}))
		if rapport.ErrorCode(err) == rapport.MultipleChoices {
			ids, ferr := a.records.FindByExternalID(r.Context(), o.Name, key.Name, value)
			if ferr == nil && len(ids) > 1 {
				a.writeChoices(w, r, o, ids)
				return
			}
		}
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if err := a.afterWrite(r.Context(), o, []map[string]any{body}, []rapport.ID{res.ID}); err != nil {
			a.writeError(w, r, err)
			return
		}
		created := res.Created
		switch {
		case created:
			writeJSON(w, http.StatusCreated, saveResult{ID: string(res.ID), Success: true, Errors: []saveError{}, Created: &created})
		case versionNumber(r) >= 46:
			writeJSON(w, http.StatusOK, saveResult{ID: string(res.ID), Success: true, Errors: []saveError{}, Created: &created})
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

// afterWrite keeps what the system database holds in step with records
// written through the API: a User's IsActive turns its login on or off.
func (a *API) afterWrite(ctx context.Context, o *metadata.Object, bodies []map[string]any, ids []rapport.ID) error {
	if o.Name != "User" {
		return nil
	}
	for i, body := range bodies {
		if i >= len(ids) || ids[i] == "" {
			continue
		}
		for k := range body {
			if !strings.EqualFold(k, "IsActive") {
				continue
			}
			recs, err := a.records.Get(ctx, "User", []string{string(ids[i])}, []string{"IsActive"}, false)
			if err != nil {
				return err
			}
			if recs[0] != nil {
				active, _ := recs[0].Values["IsActive"].(bool)
				if err := a.auth.SetUserActive(ctx, ids[i], active); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

package restapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/sosl"
)

// A Searcher runs SOSL for the principal in ctx. Package search provides
// one; server wires it.
type Searcher interface {
	// Search runs a SOSL statement.
	Search(ctx context.Context, sosl string) ([]*query.Record, error)
	// Parameterized runs a search given as parameters.
	Parameterized(ctx context.Context, ps *sosl.Parameterized) ([]*query.Record, error)
}

// HasSearch reports whether searches are served.
func (a *API) HasSearch() bool { return a.search != nil }

// searchJSON renders a search result: {"searchRecords":[record…]}, the
// records of every object in one list, shaped as query records.
func searchJSON(version string, recs []*query.Record) object {
	out := make([]any, len(recs))
	for i, rec := range recs {
		out[i] = queryRecordJSON(version, rec)
	}
	return object{{"searchRecords", out}}
}

// Search serves GET /search?q=SOSL.
func (a *API) Search() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		if strings.TrimSpace(q) == "" {
			a.writeError(w, r, newError(rapport.MalformedSearch, "No search term found. The search term must be enclosed in braces."))
			return
		}
		recs, err := a.search.Search(r.Context(), q)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, searchJSON(r.PathValue("version"), recs))
	}
}

// ParameterizedSearch serves GET /parameterizedSearch?q=…&sobject=…
// and POST /parameterizedSearch with the parameters as a JSON body.
func (a *API) ParameterizedSearch() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var ps sosl.Parameterized
		if r.Method == http.MethodPost {
			if err := decodeJSON(r, &ps); err != nil {
				a.writeError(w, r, err)
				return
			}
		} else if err := paramsFromQuery(r.URL.Query(), &ps); err != nil {
			a.writeError(w, r, err)
			return
		}
		if strings.TrimSpace(ps.Q) == "" {
			a.writeError(w, r, newError(rapport.MalformedSearch, "A search string has to be specified in q"))
			return
		}
		recs, err := a.search.Parameterized(r.Context(), &ps)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, searchJSON(r.PathValue("version"), recs))
	}
}

// paramsFromQuery reads the GET form of a parameterized search: q, fields,
// in, overallLimit, defaultLimit, division, metadata, pricebookId,
// spellCorrection, netWorkIds, updateTracking, updateViewStat, and for each
// sobject=Name, Name.fields, Name.where, Name.orderBy and Name.limit.
// Lists are comma-separated.
func paramsFromQuery(v url.Values, ps *sosl.Parameterized) error {
	ps.Q = v.Get("q")
	ps.Fields = commaList(v.Get("fields"))
	ps.In = v.Get("in")
	ps.Division = v.Get("division")
	ps.Metadata = v.Get("metadata")
	ps.PricebookID = v.Get("pricebookId")
	ps.NetworkIDs = commaList(v.Get("netWorkIds"))
	var err error
	number := func(key string) sosl.Number {
		s := v.Get(key)
		if s == "" || err != nil {
			return 0
		}
		n, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil || n < 0 {
			err = newError(rapport.MalformedSearch, "%s must be a non-negative integer, not %s", key, s)
			return 0
		}
		return sosl.Number(n)
	}
	flag := func(key string) *bool {
		s := v.Get(key)
		if s == "" || err != nil {
			return nil
		}
		b, perr := strconv.ParseBool(s)
		if perr != nil {
			err = newError(rapport.MalformedSearch, "%s must be true or false, not %s", key, s)
			return nil
		}
		return &b
	}
	ps.OverallLimit = number("overallLimit")
	ps.DefaultLimit = number("defaultLimit")
	ps.SpellCorrection = flag("spellCorrection")
	if b := flag("updateTracking"); b != nil {
		ps.UpdateTracking = *b
	}
	if b := flag("updateViewStat"); b != nil {
		ps.UpdateViewStat = *b
	}
	for _, list := range v["sobject"] {
		for _, name := range commaList(list) {
			ps.SObjects = append(ps.SObjects, sosl.ParamObject{
				Name:    name,
				Fields:  commaList(v.Get(name + ".fields")),
				Where:   v.Get(name + ".where"),
				OrderBy: v.Get(name + ".orderBy"),
				Limit:   number(name + ".limit"),
			})
		}
	}
	return err
}

// commaList splits a comma-separated list, dropping empty items.
func commaList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

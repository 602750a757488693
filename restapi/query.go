package restapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/rapportcrm/rapport/query"
)

// A Querier runs SOQL for the principal in ctx. Package query provides
// one; server wires it.
type Querier interface {
	// Run runs a query and returns its first page.
	Run(ctx context.Context, soql string, opt query.Options) (*query.Result, error)
	// More returns the page a locator names.
	More(ctx context.Context, locator string) (*query.Result, error)
	// Columns describes the columns of a query (columns=true).
	Columns(ctx context.Context, soql string) ([]query.Column, error)
}

// resultJSON renders a query result: {totalSize, done, records,
// nextRecordsUrl?}, nested parents and child results included.
func resultJSON(version string, res *query.Result) object {
	records := make([]any, len(res.Records))
	for i, rec := range res.Records {
		records[i] = queryRecordJSON(version, rec)
	}
	out := object{{"totalSize", res.TotalSize}, {"done", res.Done}}
	if !res.Done && res.Locator != "" {
		out = append(out, member{"nextRecordsUrl", "/services/data/" + version + "/query/" + res.Locator})
	}
	return append(out, member{"records", records})
}

func queryRecordJSON(version string, rec *query.Record) object {
	attrs := object{{"type", rec.Type}}
	if rec.ID != "" {
		attrs = append(attrs, member{"url", recordURL(version, rec.Type, string(rec.ID))})
	}
	out := make(object, 0, len(rec.Fields)+1)
	out = append(out, member{"attributes", attrs})
	for _, v := range rec.Fields {
		out = append(out, member{v.Name, queryValueJSON(version, v)})
	}
	return out
}

func queryValueJSON(version string, v query.Value) any {
	switch x := v.Value.(type) {
	case *query.Record:
		if x == nil {
			return nil
		}
		return queryRecordJSON(version, x)
	case *query.Result:
		if x == nil {
			return nil
		}
		return resultJSON(version, x)
	case int64:
		return x
	case int:
		return x
	}
	return valueJSON(v.Field, v.Value)
}

// columnsJSON renders columnMetadata for sf data query.
func columnsJSON(cols []query.Column) object {
	out := make([]object, len(cols))
	for i, c := range cols {
		out[i] = columnJSON(c)
	}
	return object{{"columnMetadata", out}}
}

func columnJSON(c query.Column) object {
	joins := make([]object, len(c.Join))
	for i, j := range c.Join {
		joins[i] = columnJSON(j)
	}
	var apex, fk, display any
	if c.Type != "" {
		apex = c.Type
	}
	if c.ForeignKey != "" {
		fk = c.ForeignKey
	}
	display = c.DisplayName
	if c.DisplayName == "" {
		display = c.Name
	}
	return object{
		{"aggregate", c.Aggregate}, {"apexType", apex}, {"booleanType", c.Boolean}, {"columnName", c.Name},
		{"custom", c.Custom}, {"displayName", display}, {"foreignKeyName", fk}, {"insertable", c.Insertable},
		{"joinColumns", joins}, {"numberType", c.Numeric}, {"textType", c.Text}, {"updatable", c.Updatable},
	}
}

// Query serves GET /query and /queryAll (all includes deleted rows):
// ?q=SOQL, ?q=…&columns=true, and the Sforce-Query-Options batch size.
func (a *API) Query(all bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		soql := q.Get("q")
		if soql == "" {
			if q.Has("explain") {
				a.writeError(w, r, newError(codeInvalidOperation, "explain is not supported"))
				return
			}
			a.writeError(w, r, newError(codeMalformedSearch, "A query string has to be specified"))
			return
		}
		if strings.EqualFold(q.Get("columns"), "true") {
			cols, err := a.query.Columns(r.Context(), soql)
			if err != nil {
				a.writeError(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, columnsJSON(cols))
			return
		}
		opt := query.Options{All: all, BatchSize: batchSize(r.Header.Get("Sforce-Query-Options"))}
		res, err := a.query.Run(r.Context(), soql, opt)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, resultJSON(r.PathValue("version"), res))
	}
}

// QueryMore serves GET /query/{locator}.
func (a *API) QueryMore() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		res, err := a.query.More(r.Context(), r.PathValue("locator"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, resultJSON(r.PathValue("version"), res))
	}
}

// batchSize reads batchSize=N from Sforce-Query-Options; 0 if absent.
func batchSize(h string) int {
	for _, part := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "batchSize") {
			n := 0
			for _, c := range strings.TrimSpace(v) {
				if c < '0' || c > '9' || n > 1e6 {
					return 0
				}
				n = n*10 + int(c-'0')
			}
			return n
		}
	}
	return 0
}

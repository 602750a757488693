package rest

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/metadata"
)

// A bare handler answers the three requests with one hand-written SQL
// statement each on the org's namespace, and nothing else: no
// authentication, no metadata, no validation, no access checks. It is the
// baseline Rapport is measured against.
type bare struct {
	get, insert *sql.Stmt
	lists       map[string]*sql.Stmt // by SOQL
	patterns    map[string]string    // by SOQL
	names       []string             // field names of the columns get reads
	template    []any                // a new contact's row, as Rapport wrote one
	pos         struct{ id, name, first, last, email, phone, title, dept, city, source int }
	stamps      []int // positions of CreatedDate, LastModifiedDate, SystemModstamp
	newID       func() string
	now         func() any
}

// newBare prepares the bare handler's statements: reads on the handle the
// query service reads with, writes on the namespace's writer (for SQLite a
// writer connection of its own on the org's file, opened as the store
// opens its own; for PostgreSQL the pool).
func newBare(b *testing.B, e *env) http.Handler {
	b.Helper()
	ctx := context.Background()
	obj, fields := e.contactObject(b)
	reader, prefix, err := e.db.QueryConn(ctx, e.org.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	ns, err := e.db.Backend().OpenNamespace(ctx, e.org.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	if ns.Close != nil {
		b.Cleanup(func() { ns.Close() })
	}
	table := e.bk.Table(prefix, obj.Table)
	lite := e.name == "sqlite"
	mark := func(n int) string {
		if lite {
			return "?"
		}
		return "$" + strconv.Itoa(n)
	}
	col := func(name string) string {
		f := obj.Field(name)
		if f == nil {
			b.Fatalf("Contact has no field %s", name)
		}
		return `"` + f.Column + `"`
	}

	h := &bare{}
	var cols, marks []string
	at := map[string]int{}
	for i, f := range fields {
		cols = append(cols, `"`+f.Column+`"`)
		marks = append(marks, mark(i+1))
		h.names = append(h.names, f.Name)
		at[f.Name] = i
	}
	prepare := func(db *sql.DB, q string) *sql.Stmt {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			b.Fatalf("prepare %s: %v", q, err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}
	h.get = prepare(reader, "SELECT "+strings.Join(cols, ", ")+" FROM "+table+" WHERE "+col("Id")+" = "+mark(1))
	// SOQL sorts nulls first: PostgreSQL needs it said to read the name
	// index in order (SQLite's default).
	h.lists, h.patterns = map[string]*sql.Stmt{}, map[string]string{}
	for _, l := range lists {
		h.lists[l.soql] = prepare(reader, "SELECT "+col("Id")+", "+col("FirstName")+", "+col("LastName")+", "+col("Email")+
			" FROM "+table+" WHERE NOT "+col("IsDeleted")+" AND lower("+col(l.field)+") LIKE "+mark(1)+` ESCAPE '\'`+
			" ORDER BY lower("+col(l.field)+") NULLS FIRST, "+col("Id")+" LIMIT 50")
		h.patterns[l.soql] = l.pattern
	}
	h.insert = prepare(ns.Writer, "INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES ("+strings.Join(marks, ", ")+")")

	h.pos.id, h.pos.name = at["Id"], at["Name"]
	h.pos.first, h.pos.last, h.pos.email, h.pos.phone = at["FirstName"], at["LastName"], at["Email"], at["Phone"]
	h.pos.title, h.pos.dept, h.pos.city, h.pos.source = at["Title"], at["Department"], at["MailingCity"], at["LeadSource"]
	h.stamps = []int{at["CreatedDate"], at["LastModifiedDate"], at["SystemModstamp"]}
	// The template is the row of a contact Rapport created, so that both
	// sides write the same columns with the same defaults and owners.
	h.template = make([]any, len(fields))
	dest := make([]any, len(fields))
	for i := range dest {
		dest[i] = &h.template[i]
	}
	if err := h.get.QueryRowContext(ctx, e.ids[0]).Scan(dest...); err != nil {
		b.Fatalf("read template row: %v", err)
	}
	ids := e.records.IDs()
	h.newID = func() string { return string(ids.New(obj.KeyPrefix)) }
	h.now = func() any {
		return e.bk.Encode(metadata.StoreDateTime, time.Now().UTC().Truncate(time.Millisecond))
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /services/data/{version}/sobjects/Contact/{id}", h.serveGet)
	mux.HandleFunc("POST /services/data/{version}/sobjects/Contact", h.serveCreate)
	mux.HandleFunc("GET /services/data/{version}/query", h.serveList)
	return mux
}

func (h *bare) serveGet(w http.ResponseWriter, r *http.Request) {
	vals := make([]any, len(h.names))
	dest := make([]any, len(vals))
	for i := range dest {
		dest[i] = &vals[i]
	}
	err := h.get.QueryRowContext(r.Context(), r.PathValue("id")).Scan(dest...)
	if err == sql.ErrNoRows {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out := make(map[string]any, len(vals))
	for i, v := range vals {
		out[h.names[i]] = v
	}
	answer(w, http.StatusOK, out)
}

func (h *bare) serveCreate(w http.ResponseWriter, r *http.Request) {
	var c struct {
		FirstName, LastName, Email, Phone, Title, Department, MailingCity, LeadSource string
	}
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	row := make([]any, len(h.template))
	copy(row, h.template)
	id := h.newID()
	now := h.now()
	for _, i := range h.stamps {
		row[i] = now
	}
	p := &h.pos
	row[p.id] = id
	row[p.name] = c.FirstName + " " + c.LastName
	row[p.first], row[p.last], row[p.email], row[p.phone] = c.FirstName, c.LastName, c.Email, c.Phone
	row[p.title], row[p.dept], row[p.city], row[p.source] = c.Title, c.Department, c.MailingCity, c.LeadSource
	if _, err := h.insert.ExecContext(r.Context(), row...); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	answer(w, http.StatusCreated, map[string]any{"id": id, "success": true, "errors": []any{}})
}

// listRecord is one row of the list.
type listRecord struct {
	ID        string  `json:"Id"`
	FirstName *string `json:"FirstName"`
	LastName  *string `json:"LastName"`
	Email     *string `json:"Email"`
}

// serveList runs the statement of one of the lists, which it knows by
// their SOQL.
func (h *bare) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	st := h.lists[q]
	if st == nil {
		http.NotFound(w, r)
		return
	}
	rows, err := st.QueryContext(r.Context(), h.patterns[q])
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	recs := make([]listRecord, 0, 50)
	for rows.Next() {
		var rec listRecord
		if err := rows.Scan(&rec.ID, &rec.FirstName, &rec.LastName, &rec.Email); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		recs = append(recs, rec)
	}
	if err := rows.Err(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	answer(w, http.StatusOK, map[string]any{"totalSize": len(recs), "done": true, "records": recs})
}

// answer writes v as a JSON response.
func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

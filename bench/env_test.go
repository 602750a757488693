// Package bench holds the benchmarks behind the figures in DESIGN.md: the
// record layer measured against hand-written SQL on the same database in
// the same run, on SQLite always and on PostgreSQL when
// RAPPORT_TEST_POSTGRES is set.
//
//	go test -run '^$' -bench . -benchtime=1x -count=5 ./bench/
//
// One op inserts 170,000 contacts, so -benchtime=1x; with PostgreSQL the
// whole run takes longer than go test's default ten-minute timeout: add
// -timeout 30m. After each baseline's last run the record layer's median
// rate over the baseline's is logged.
package bench

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

// A store is one backend opened for a benchmark, with the services over it.
type store struct {
	db      *sqlstore.DB
	records *record.Service
	tenants *tenant.Service
}

func (s *store) name() string { return s.db.Backend().Name() }

func newStore(tb testing.TB, b sqlstore.Backend) *store {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), b, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	recs := record.NewService(db, record.Options{})
	return &store{db: db, records: recs, tenants: tenant.NewService(db, recs, nil, nil)}
}

func openSQLite(tb testing.TB) *store {
	tb.Helper()
	b, err := sqlite.New(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return newStore(tb, b)
}

func openPostgres(tb testing.TB) *store {
	tb.Helper()
	if os.Getenv(pgtest.TestEnv) == "" {
		tb.Skip(pgtest.TestEnv + " is not set: PostgreSQL skipped (set it to a server URL to measure PostgreSQL)")
	}
	return newStore(tb, postgres.New(pgtest.Database(tb)))
}

// eachBackend runs fn as a sub-benchmark per backend.
func eachBackend(b *testing.B, fn func(b *testing.B, s *store)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, openSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, openPostgres(b)) })
}

var orgSeq atomic.Int64

// An org is a fresh org with accounts for contacts to point at.
type org struct {
	id, user rapport.ID
	accounts []string
}

// ctx carries the org's administrator, acting as an ordinary API user.
func (o *org) ctx() context.Context {
	return rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: o.id, UserID: o.user})
}

// newOrg creates an org with all standard objects.
func newOrg(tb testing.TB, s *store) *org {
	tb.Helper()
	n := orgSeq.Add(1)
	o, err := s.tenants.CreateOrg(context.Background(), tenant.OrgParams{
		Name:     fmt.Sprintf("Bench Org %d", n),
		Username: fmt.Sprintf("admin%d.%d@bench.example", n, time.Now().UnixNano()),
		Password: "correct horse 9",
	})
	if err != nil {
		tb.Fatalf("CreateOrg: %v", err)
	}
	return &org{id: o.OrgID, user: o.UserID}
}

// newOrgWithAccounts creates an org and its accounts through the record
// layer.
func newOrgWithAccounts(tb testing.TB, s *store) *org {
	tb.Helper()
	o := newOrg(tb, s)
	recs := make([]map[string]any, 0, batchSize)
	for i := 0; i < accountCount; i++ {
		recs = append(recs, map[string]any{
			"Name":     fmt.Sprintf("Account %04d", i),
			"Industry": "Technology",
			"Phone":    fmt.Sprintf("+1 415-555-%04d", i),
		})
		if len(recs) == batchSize || i == accountCount-1 {
			o.accounts = append(o.accounts, create(tb, s, o, "Account", recs)...)
			recs = recs[:0]
		}
	}
	return o
}

// create writes records through the record layer and fails on any error.
func create(tb testing.TB, s *store, o *org, object string, recs []map[string]any) []string {
	tb.Helper()
	rs, err := s.records.Create(o.ctx(), object, recs, record.WriteOptions{})
	if err != nil {
		tb.Fatalf("Create %s: %v", object, err)
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		if r.Err != nil {
			tb.Fatalf("Create %s %v: %v", object, recs[i], r.Err)
		}
		ids[i] = string(r.ID)
	}
	return ids
}

// dropOrg removes an org and its namespace.
func dropOrg(tb testing.TB, s *store, o *org) {
	tb.Helper()
	ctx := context.Background()
	s.records.Forget(o.id)
	if err := s.db.DropNamespace(ctx, o.id); err != nil {
		tb.Fatal(err)
	}
	if err := s.db.DeleteOrg(ctx, o.id); err != nil {
		tb.Fatal(err)
	}
}

// A table is the Contact table of one org as the raw paths see it: its
// physical name and the columns the record layer writes, in its order.
type table struct {
	ns       *sqlstore.Namespace
	backend  sqlstore.Backend
	name     string // qualified and quoted
	prefix   string // key prefix of IDs
	fields   []*metadata.Field
	template []any // driver values of a new row before a contact goes in
	pos      positions
	user     rapport.ID
}

// positions are the indexes in a row of the columns the raw paths set.
type positions struct {
	id, created, lastModified, modstamp                 int
	name, first, last, email, phone, title, department  int
	street, city, state, postalCode, country, birthdate int
	leadSource, description, account                    int
}

// openTable opens the org's namespace on a connection of its own and reads
// the Contact table's layout from the org's metadata.
func openTable(tb testing.TB, s *store, o *org) *table {
	tb.Helper()
	ctx := context.Background()
	sch, err := s.records.Schema(ctx, o.id)
	if err != nil {
		tb.Fatal(err)
	}
	obj := sch.Object("Contact")
	ns, err := s.db.Backend().OpenNamespace(ctx, o.id)
	if err != nil {
		tb.Fatal(err)
	}
	t := &table{ns: ns, backend: s.db.Backend(), name: ns.Prefix + quote(obj.Table), prefix: obj.KeyPrefix, user: o.user}
	idx := map[string]int{}
	for _, f := range obj.LiveFields() {
		if f.Stored() {
			idx[f.Name] = len(t.fields)
			t.fields = append(t.fields, f)
		}
	}
	at := func(name string) int {
		i, ok := idx[name]
		if !ok {
			tb.Fatalf("Contact has no stored field %s", name)
		}
		return i
	}
	t.pos = positions{
		id: at("Id"), created: at("CreatedDate"), lastModified: at("LastModifiedDate"), modstamp: at("SystemModstamp"),
		name: at("Name"), first: at("FirstName"), last: at("LastName"), email: at("Email"), phone: at("Phone"),
		title: at("Title"), department: at("Department"), street: at("MailingStreet"), city: at("MailingCity"),
		state: at("MailingState"), postalCode: at("MailingPostalCode"), country: at("MailingCountry"),
		birthdate: at("Birthdate"), leadSource: at("LeadSource"), description: at("Description"), account: at("AccountId"),
	}
	// What a new record holds in the fields a contact leaves out: the
	// defaults of its fields and the system fields of its creator.
	t.template = make([]any, len(t.fields))
	for i, f := range t.fields {
		var v any
		switch {
		case f.DefaultValue != "":
			if c, err := record.Coerce(f, f.DefaultValue); err == nil {
				v = c
			}
		case f.Type == metadata.TypePicklist || f.Type == metadata.TypeMultiPicklist:
			if d, ok := f.Picklist.DefaultValue(); ok {
				v = d
			}
		case f.Type == metadata.TypeCheckbox:
			v = false
		}
		switch f.Name {
		case metadata.FieldOwnerID, metadata.FieldCreatedByID, metadata.FieldLastModifiedByID:
			v = o.user
		}
		t.template[i] = t.driver(v)
	}
	return t
}

func (t *table) close() {
	if t.ns.Close != nil {
		t.ns.Close()
	}
}

func quote(name string) string { return `"` + name + `"` }

// driver turns a canonical value into what the driver is given.
func (t *table) driver(v any) any {
	lite := t.backend.Name() == "sqlite"
	switch x := v.(type) {
	case rapport.ID:
		return string(x)
	case bool:
		if !lite {
			return x
		}
		if x {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		if lite {
			return x.UTC().Format(sqlite.DateTimeLayout)
		}
		return x.UTC()
	}
	return v
}

// columns returns the quoted column list.
func (t *table) columns() string {
	var out []byte
	for i, f := range t.fields {
		if i > 0 {
			out = append(out, ", "...)
		}
		out = append(out, quote(f.Column)...)
	}
	return string(out)
}

// placeholders returns rows groups of bind markers.
func (t *table) placeholders(rows int) string {
	var out []byte
	n := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			out = append(out, ", "...)
		}
		out = append(out, '(')
		for i := range t.fields {
			if i > 0 {
				out = append(out, ", "...)
			}
			out = append(out, t.mark(n)...)
			n++
		}
		out = append(out, ')')
	}
	return string(out)
}

// mark returns the n-th bind marker as one would write it by hand: "?" for
// SQLite, whose numbered markers (?NNN) make binding each parameter cost
// time in proportion to the statement's parameter count, and "$n" for
// PostgreSQL.
func (t *table) mark(n int) string {
	if t.backend.Name() == "sqlite" {
		return "?"
	}
	return t.backend.Placeholder(n)
}

// fill sets row to the stored values of a new contact c.
func (t *table) fill(row []any, c *contact, id rapport.ID, now any, accounts []string) {
	copy(row, t.template)
	p := &t.pos
	row[p.id] = string(id)
	row[p.created], row[p.lastModified], row[p.modstamp] = now, now, now
	row[p.name] = c.FirstName + " " + c.LastName
	row[p.first] = c.FirstName
	row[p.last] = c.LastName
	row[p.email] = c.Email
	row[p.phone] = c.Phone
	row[p.title] = c.Title
	row[p.department] = c.Department
	row[p.street] = c.Street
	row[p.city] = c.City
	row[p.state] = c.State
	row[p.postalCode] = c.PostalCode
	row[p.country] = c.Country
	row[p.birthdate] = c.Birthdate
	row[p.leadSource] = c.LeadSource
	row[p.description] = c.Description
	row[p.account] = accounts[c.Account]
}

// now returns the creation time the rows of one batch share, as the record
// layer stamps a batch.
func (t *table) now() any { return t.driver(time.Now().UTC().Truncate(time.Millisecond)) }

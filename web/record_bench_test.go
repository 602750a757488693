package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/search"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

// BenchmarkRecordPage measures GET /r/{id} of an account with contacts,
// opportunities, cases, tasks and notes, served in process, against a
// baseline measured in the same run on the same database: the same reads
// (the record with its referenced names, the first rows of each related
// list and a count where there are more, the timeline's activities) as
// hand-written SQL. It reports both times and their ratio (x-sql).
func BenchmarkRecordPage(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		bk, err := sqlite.New(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		benchRecordPage(b, bk)
	})
	b.Run("postgres", func(b *testing.B) {
		benchRecordPage(b, postgres.New(pgtest.Database(b)))
	})
}

type tabler interface {
	Table(prefix, table string) string
}

func benchRecordPage(b *testing.B, bk sqlstore.Backend) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, bk, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	recs := record.NewService(db, record.Options{})
	tenants := tenant.NewService(db, recs, nil, nil)
	username := fmt.Sprintf("bench%d@web.example", time.Now().UnixNano())
	org, err := tenants.CreateOrg(ctx, tenant.OrgParams{Name: "Bench", Username: username, Password: password})
	if err != nil {
		b.Fatal(err)
	}
	actx := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org.OrgID, UserID: org.UserID})
	create := func(object string, vs ...map[string]any) []rapport.ID {
		res, err := recs.Create(actx, object, vs, record.WriteOptions{AllOrNone: true})
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]rapport.ID, len(res))
		for i, r := range res {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
			ids[i] = r.ID
		}
		return ids
	}
	acc := create("Account", map[string]any{"Name": "Dreamforce", "Type": "Customer - Direct", "Phone": "+1 415 555 0100", "BillingCity": "San Francisco"})[0]
	var many []map[string]any
	for i := 0; i < 12; i++ {
		many = append(many, map[string]any{"LastName": fmt.Sprintf("Speaker %02d", i), "AccountId": string(acc), "Email": fmt.Sprintf("s%d@df.example", i)})
	}
	create("Contact", many...)
	many = nil
	for i := 0; i < 8; i++ {
		many = append(many, map[string]any{"Name": fmt.Sprintf("Sponsorship %d", i), "AccountId": string(acc), "StageName": "Prospecting", "CloseDate": "2031-01-01", "Amount": 1000 * i})
	}
	create("Opportunity", many...)
	create("Case", map[string]any{"Subject": "Badge printer", "AccountId": string(acc)})
	many = nil
	for i := 0; i < 10; i++ {
		st := "Not Started"
		if i%2 == 0 {
			st = "Completed"
		}
		many = append(many, map[string]any{"Subject": fmt.Sprintf("Follow-up %d", i), "WhatId": string(acc), "Status": st})
	}
	create("Task", many...)
	create("Note", map[string]any{"Title": "Venue", "ParentId": string(acc)})

	access := record.Access{S: recs}
	q := query.NewService(db, bk.(query.Dialect), recs, query.Config{Access: access})
	srch := search.NewService(db, q, recs, search.Config{Access: access})
	au := auth.New(db, recs.IDs(), auth.Options{}, nil, nil)
	h := server.NewServer(server.Deps{Records: recs, Tenants: tenants, Auth: au, Query: q, Search: srch})
	form := url.Values{"username": {username}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var cookie *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "rapport_sid" {
			cookie = c
		}
	}
	if cookie == nil {
		b.Fatalf("sign in: %d", rec.Code)
	}
	page := func() {
		req := httptest.NewRequest(http.MethodGet, "/r/"+string(acc), nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Speaker 11") {
			b.Fatalf("GET /r/%s: %d", acc, rec.Code)
		}
	}

	sch, err := recs.Schema(actx, org.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	conn, prefix, err := db.QueryConn(ctx, org.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	raw := rawRecordReads(b, conn, bk.(tabler), prefix, sch, acc)

	page()
	raw()
	var pageTime, rawTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		page()
		t1 := time.Now()
		raw()
		pageTime += t1.Sub(t0)
		rawTime += time.Since(t1)
	}
	b.StopTimer()
	pageNs := float64(pageTime.Nanoseconds()) / float64(b.N)
	rawNs := float64(rawTime.Nanoseconds()) / float64(b.N)
	b.ReportMetric(pageNs, "page-ns/op")
	b.ReportMetric(rawNs, "sql-ns/op")
	b.ReportMetric(pageNs/rawNs, "x-sql")
}

// rawRecordReads returns a function doing a record page's reads as
// hand-written SQL: the account with its referenced users' names, each
// related list's first six rows with a count when there are more, and the
// activities of the timeline.
func rawRecordReads(b *testing.B, conn *sql.DB, bk tabler, prefix string, sch *metadata.Schema, id rapport.ID) func() {
	ctx := context.Background()
	table := func(o *metadata.Object) string { return bk.Table(prefix, o.Table) }
	col := func(o *metadata.Object, f string) string { return `"` + o.Field(f).Column + `"` }
	user := sch.Object("User")
	// sel selects fields of o (aliased t) with the names of single-target
	// and owner references, joined.
	sel := func(o *metadata.Object, fields []*metadata.Field) (string, string) {
		var cols, joins []string
		for i, f := range fields {
			if f.Type.Storage() == metadata.StoreNone {
				continue
			}
			cols = append(cols, "t."+`"`+f.Column+`"`)
			if f.Type.IsReference() && f.RelationshipName != "" {
				target := sch.Object(f.ReferenceTo[0])
				if f.Name == metadata.FieldOwnerID {
					target = user
				}
				if target == nil || target.NameField == "" {
					continue
				}
				alias := fmt.Sprintf("r%d", i)
				joins = append(joins, " LEFT JOIN "+table(target)+" "+alias+" ON "+alias+"."+col(target, "Id")+" = t."+`"`+f.Column+`"`)
				cols = append(cols, alias+"."+col(target, target.NameField))
			}
		}
		return strings.Join(cols, ", "), strings.Join(joins, "")
	}
	type stmt struct {
		st    *sql.Stmt
		args  int
		count *sql.Stmt
	}
	var stmts []stmt
	prepare := func(q string) *sql.Stmt {
		st, err := conn.PrepareContext(ctx, q)
		if err != nil {
			b.Fatalf("prepare %s: %v", q, err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}
	ph := func(n int) string {
		if _, ok := bk.(*postgres.Backend); ok {
			return fmt.Sprintf("$%d", n)
		}
		return "?"
	}
	acc := sch.Object("Account")
	cols, joins := sel(acc, acc.LiveFields())
	stmts = append(stmts, stmt{st: prepare("SELECT " + cols + " FROM " + table(acc) + " t" + joins + " WHERE t." + col(acc, "Id") + " = " + ph(1)), args: 1})
	for _, cr := range sch.ChildRelationships(acc) {
		switch cr.Child.Name {
		case "Contact", "Opportunity", "Case", "Contract":
		default:
			if cr.Name != "ChildAccounts" {
				continue
			}
		}
		var fs []*metadata.Field
		for _, f := range cr.Child.LiveFields() {
			if !f.System && f != cr.Field && len(fs) < 4 {
				fs = append(fs, f)
			}
		}
		cols, joins := sel(cr.Child, fs)
		where := " FROM " + table(cr.Child) + " t" + joins + " WHERE t.\"" + cr.Field.Column + "\" = " + ph(1) + " AND NOT t." + col(cr.Child, "IsDeleted")
		stmts = append(stmts, stmt{
			st:    prepare("SELECT t." + col(cr.Child, "Id") + ", " + cols + where + " ORDER BY t." + col(cr.Child, "CreatedDate") + " DESC, t." + col(cr.Child, "Id") + " DESC LIMIT 6"),
			args:  1,
			count: prepare("SELECT COUNT(*) FROM " + table(cr.Child) + " t WHERE t.\"" + cr.Field.Column + "\" = " + ph(1) + " AND NOT t." + col(cr.Child, "IsDeleted")),
		})
	}
	for _, a := range []struct {
		object string
		links  []string
		fields []string
	}{
		{"Task", []string{"WhatId", "WhoId", "AccountId"}, []string{"Subject", "ActivityDate", "Status", "IsClosed", "Priority", "Description", "TaskSubtype", "Type", "WhoId", "WhatId", "OwnerId", "CreatedDate"}},
		{"Event", []string{"WhatId", "WhoId", "AccountId"}, []string{"Subject", "StartDateTime", "EndDateTime", "Location", "Description", "WhoId", "OwnerId", "CreatedDate"}},
		{"EmailMessage", []string{"RelatedToId", "ParentId"}, []string{"Subject", "MessageDate", "FromName", "FromAddress", "ToAddress", "TextBody", "CreatedDate"}},
		{"Note", []string{"ParentId"}, []string{"Title", "Body", "OwnerId", "CreatedDate"}},
	} {
		o := sch.Object(a.object)
		var fs []*metadata.Field
		for _, n := range a.fields {
			fs = append(fs, o.Field(n))
		}
		cols, joins := sel(o, fs)
		var conds []string
		n := 0
		for _, l := range a.links {
			if f := o.Field(l); f != nil && (l != "ParentId" || a.object == "Note") {
				n++
				conds = append(conds, "t.\""+f.Column+"\" = "+ph(n))
			}
		}
		stmts = append(stmts, stmt{st: prepare("SELECT t." + col(o, "Id") + ", " + cols + " FROM " + table(o) + " t" + joins +
			" WHERE (" + strings.Join(conds, " OR ") + ") AND NOT t." + col(o, "IsDeleted") +
			" ORDER BY t." + col(o, "CreatedDate") + " DESC, t." + col(o, "Id") + " DESC LIMIT 50"), args: n})
	}
	return func() {
		for _, s := range stmts {
			args := make([]any, s.args)
			for i := range args {
				args[i] = string(id)
			}
			rows, err := s.st.QueryContext(ctx, args...)
			if err != nil {
				b.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			n := 0
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			if s.count != nil && n > 5 {
				var c int
				if err := s.count.QueryRowContext(ctx, string(id)).Scan(&c); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
)

// A panel is one box of the home page: rows of one object.
type panel struct {
	Title   string
	Object  *metadata.Object
	Columns []*metadata.Field
	Rows    []row
	// Err says why the panel could not be filled (no access, …).
	Err  string
	More string // URL of the whole list
}

// A row is one record of a list: its ID, name and cells in column order.
type row struct {
	ID    rapport.ID
	Name  string
	Cells []cell
}

type homeData struct {
	Greeting string
	Tasks    panel
	Events   panel
	Opps     panel
	Recent   []recentItem
}

type recentItem struct {
	ID     rapport.ID
	Name   string
	Object string // label
	At     time.Time
}

func (a *App) home(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	me := soqlString(string(s.Principal.UserID))
	d := homeData{Greeting: greeting(a.now().In(s.User.Location), s.User.Name)}
	d.Tasks = a.panel(ctx, s, "My open tasks", "Task",
		"SELECT Id, Subject, ActivityDate, Priority, Status, WhoId, Who.Name, WhatId, What.Name FROM Task WHERE OwnerId = "+me+" AND IsClosed = false ORDER BY ActivityDate ASC NULLS LAST, Id LIMIT 10",
		[]string{"Subject", "ActivityDate", "Priority", "WhoId", "WhatId"}, "/o/Task?view=my")
	d.Events = a.panel(ctx, s, "My upcoming events", "Event",
		"SELECT Id, Subject, StartDateTime, Location, WhoId, Who.Name, WhatId, What.Name FROM Event WHERE OwnerId = "+me+" AND EndDateTime >= "+a.now().UTC().Format("2006-01-02T15:04:05Z")+" ORDER BY StartDateTime, Id LIMIT 10",
		[]string{"Subject", "StartDateTime", "Location", "WhatId"}, "/o/Event?view=my")
	d.Opps = a.panel(ctx, s, "My open opportunities", "Opportunity",
		"SELECT Id, Name, AccountId, Account.Name, StageName, Amount, CloseDate FROM Opportunity WHERE OwnerId = "+me+" AND IsClosed = false ORDER BY CloseDate ASC NULLS LAST, Id LIMIT 10",
		[]string{"Name", "AccountId", "StageName", "Amount", "CloseDate"}, "/o/Opportunity?view=my")
	d.Recent, _ = a.recent(ctx, s, "", 10)
	a.render(w, r, s, http.StatusOK, "home", "Home", d)
}

func greeting(now time.Time, name string) string {
	first, _, _ := strings.Cut(name, " ")
	switch h := now.Hour(); {
	case h < 12:
		return "Good morning, " + first
	case h < 18:
		return "Good afternoon, " + first
	}
	return "Good evening, " + first
}

// panel runs a query for a home page box. An object the user cannot read
// leaves the panel out; other failures say so in it.
func (a *App) panel(ctx context.Context, s *session, title, object, soql string, columns []string, more string) panel {
	p := panel{Title: title, More: more}
	sch, err := a.records.Schema(ctx, s.Principal.OrgID)
	if err != nil {
		p.Err = "Could not load this list."
		return p
	}
	obj := sch.Object(object)
	if obj == nil || (s.Policy != nil && !s.Policy.Object(object).Read) {
		return panel{}
	}
	p.Object = obj
	for _, c := range columns {
		if f := obj.Field(c); f != nil && readable(s, obj, f) {
			p.Columns = append(p.Columns, f)
		}
	}
	res, err := a.query.Run(ctx, soql, query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		a.log.WarnContext(ctx, "home panel", "object", object, "error", err)
		p.Err = "Could not load this list."
		return p
	}
	p.Rows = rowsOf(sch, s, obj, p.Columns, res.Records)
	return p
}

// rowsOf turns query records into rows of cells for the given columns,
// with the names of referenced records when the query read them
// (Account.Name for AccountId).
func rowsOf(sch *metadata.Schema, s *session, obj *metadata.Object, columns []*metadata.Field, recs []*query.Record) []row {
	rows := make([]row, 0, len(recs))
	for _, rec := range recs {
		rw := row{ID: rec.ID, Cells: make([]cell, len(columns))}
		if obj.NameField != "" {
			if v, ok := pathValue(rec, obj.NameField); ok && v != nil {
				rw.Name = displayString(v)
			}
		}
		for i, f := range columns {
			v, _ := pathValue(rec, f.Name)
			ref := ""
			if p := refPath(sch, f); p != "" {
				if n, ok := pathValue(rec, p); ok && n != nil {
					ref = displayString(n)
				}
			}
			rw.Cells[i] = newCell(s, f, v, ref)
		}
		rows = append(rows, rw)
	}
	return rows
}

// pathValue reads a field of a record or, through a dotted path, of its
// parents (Account.Owner.Name).
func pathValue(rec *query.Record, path string) (any, bool) {
	for {
		head, rest, more := strings.Cut(path, ".")
		v, ok := rec.Get(head)
		if !more || !ok {
			return v, ok
		}
		parent, _ := v.(*query.Record)
		if parent == nil {
			return nil, ok
		}
		rec, path = parent, rest
	}
}

func displayString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return newCell(nil, &metadata.Field{Type: metadata.TypeText}, v, "").text()
}

// soqlString quotes s as a SOQL string literal.
func soqlString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s) + "'"
}

// soqlLike quotes s as a LIKE pattern that matches it literally, between
// the given wildcards.
func soqlLike(prefix, s, suffix string) string {
	// Quote first, then escape the wildcards: quoting after would turn
	// \% into an escaped backslash followed by a wildcard.
	q := soqlString(s)
	q = strings.NewReplacer(`%`, `\%`, `_`, `\_`).Replace(q[1 : len(q)-1])
	return "'" + prefix + q + suffix + "'"
}

// viewed remembers that the user opened a record, for Recently Viewed.
// It runs after the page is written and never fails the page.
func (a *App) viewed(s *session, obj *metadata.Object, id rapport.ID, name string) {
	select {
	case a.viewSlots <- struct{}{}:
	default:
		return // too busy: a missed stamp costs less than a slow page
	}
	go func() {
		defer func() { <-a.viewSlots }()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ctx = rapport.WithPrincipal(ctx, rapport.Principal{OrgID: s.Principal.OrgID, UserID: s.Principal.UserID, System: true})
		if len(name) > 255 {
			name = name[:255]
		}
		rec := map[string]any{
			"ViewKey": string(s.Principal.UserID) + string(id), "RecordId": string(id),
			"SobjectType": obj.Name, "Name": name, "LastViewedDate": a.now().UTC(),
			"OwnerId": string(s.Principal.UserID),
		}
		res, err := a.records.Upsert(ctx, "RecentView", "ViewKey", []map[string]any{rec}, recordOptions())
		if err == nil && len(res) == 1 {
			err = res[0].Err
		}
		if err != nil {
			a.log.WarnContext(ctx, "record a recent view", "error", err)
		}
	}()
}

// recent returns the records the user viewed last, newest first, of one
// object or of all when object is "".
func (a *App) recent(ctx context.Context, s *session, object string, limit int) ([]recentItem, error) {
	sys := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: s.Principal.OrgID, UserID: s.Principal.UserID, System: true})
	q := "SELECT RecordId, Name, SobjectType, LastViewedDate FROM RecentView WHERE OwnerId = " + soqlString(string(s.Principal.UserID))
	if object != "" {
		q += " AND SobjectType = " + soqlString(object)
	}
	q += " ORDER BY LastViewedDate DESC LIMIT " + itoa(limit)
	res, err := a.query.Run(sys, q, query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		return nil, err
	}
	sch, err := a.records.Schema(ctx, s.Principal.OrgID)
	if err != nil {
		return nil, err
	}
	var out []recentItem
	for _, rec := range res.Records {
		id, _ := rec.Get("RecordId")
		name, _ := rec.Get("Name")
		typ, _ := rec.Get("SobjectType")
		at, _ := rec.Get("LastViewedDate")
		o := sch.Object(displayString(typ))
		if o == nil || (s.Policy != nil && !s.Policy.Object(o.Name).Read) {
			continue
		}
		it := recentItem{ID: rapport.ID(displayString(id)), Name: displayString(name), Object: o.Label}
		it.At, _ = asTime(at)
		out = append(out, it)
	}
	return out, nil
}

package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
)

// timelineLimit is the most activities of each kind a timeline shows.
const timelineLimit = 50

// A timelineItem is one activity of a record's timeline.
type timelineItem struct {
	Kind  string // Task, Call, Event, Email, Note
	ID    rapport.ID
	Title string
	When  string
	Meta  []string
	Body  string
	at    time.Time
}

// A timeline is a record's activities, open ones apart, newest first, with
// the forms that add to it.
type timeline struct {
	RecID    rapport.ID
	Upcoming []timelineItem
	Past     []timelineItem
	// CanCall, CanTask and CanNote offer the forms that log a call, add a
	// task and add a note.
	CanCall, CanTask, CanNote bool
	// Error is the message of a failed add; Form names the form it came
	// from, and Values keeps what was entered.
	Error  string
	Form   string
	Values map[string]string
	Err    string
}

// activityLink is the field of obj (Task, Event, Note, EmailMessage) that
// links its records to records of parent, or nil.
func activityLink(obj, parent *metadata.Object, names ...string) *metadata.Field {
	for _, n := range names {
		if f := obj.Field(n); f != nil && slices.Contains(f.ReferenceTo, parent.Name) {
			return f
		}
	}
	return nil
}

// activityWhere is the condition that finds an activity object's records
// linked to the record through any of the named fields.
func activityWhere(s *session, obj, parent *metadata.Object, id rapport.ID, names ...string) string {
	var conds []string
	for _, n := range names {
		f := obj.Field(n)
		if f == nil || !readable(s, obj, f) || !slices.Contains(f.ReferenceTo, parent.Name) {
			continue
		}
		conds = append(conds, f.Name+" = "+soqlString(string(id)))
	}
	return strings.Join(conds, " OR ")
}

// emailRelationWhere finds the emails a contact, lead or user sent or
// received, through EmailMessageRelation.
func emailRelationWhere(s *session, sch *metadata.Schema, l *loaded) string {
	rel := sch.Object("EmailMessageRelation")
	if rel == nil || (s.Policy != nil && !s.Policy.Object(rel.Name).Read) {
		return ""
	}
	cond := activityWhere(s, rel, l.Obj, l.ID, "RelationId")
	if cond == "" || len(readableFields(s, rel, "EmailMessageId")) == 0 {
		return ""
	}
	return "Id IN (SELECT EmailMessageId FROM EmailMessageRelation WHERE " + cond + ")"
}

// accountEmails reads the emails related to an account's opportunities
// and cases; ok is false when a query failed.
func (a *App) accountEmails(ctx context.Context, s *session, sch *metadata.Schema, l *loaded, fields []string) ([]*query.Record, bool) {
	email := sch.Object("EmailMessage")
	if l.Obj.Name != "Account" || email == nil || (s.Policy != nil && !s.Policy.Object(email.Name).Read) {
		return nil, true
	}
	var out []*query.Record
	for _, link := range []struct{ field, parent string }{{"RelatedToId", "Opportunity"}, {"RelatedToId", "Case"}, {"ParentId", "Case"}} {
		f, parent := email.Field(link.field), sch.Object(link.parent)
		if f == nil || parent == nil || !readable(s, email, f) || (s.Policy != nil && !s.Policy.Object(parent.Name).Read) {
			continue
		}
		if acc := parent.Field("AccountId"); acc == nil || !readable(s, parent, acc) {
			continue
		}
		where := f.Name + " IN (SELECT Id FROM " + parent.Name + " WHERE AccountId = " + soqlString(string(l.ID)) + ")"
		_, recs, ok := a.activitiesWhere(ctx, s, sch, email, where, fields)
		if !ok {
			return out, false
		}
		out = append(out, recs...)
	}
	return out, true
}

// readableFields are those of names the user may read in obj.
func readableFields(s *session, obj *metadata.Object, names ...string) []*metadata.Field {
	var out []*metadata.Field
	for _, n := range names {
		if f := obj.Field(n); f != nil && readable(s, obj, f) {
			out = append(out, f)
		}
	}
	return out
}

// activityQuery reads the activities of one kind linked to a record.
func (a *App) activityQuery(ctx context.Context, s *session, sch *metadata.Schema, object string, l *loaded, links []string, fields []string) (*metadata.Object, []*query.Record, bool) {
	obj := sch.Object(object)
	if obj == nil || (s.Policy != nil && !s.Policy.Object(object).Read) {
		return nil, nil, true
	}
	where := activityWhere(s, obj, l.Obj, l.ID, links...)
	if where == "" && object == "EmailMessage" {
		where = emailRelationWhere(s, sch, l)
	}
	if where == "" {
		return nil, nil, true
	}
	return a.activitiesWhere(ctx, s, sch, obj, where, fields)
}

// activitiesWhere reads the newest activities of obj that match where.
func (a *App) activitiesWhere(ctx context.Context, s *session, sch *metadata.Schema, obj *metadata.Object, where string, fields []string) (*metadata.Object, []*query.Record, bool) {
	object := obj.Name
	fs := readableFields(s, obj, append(fields, metadata.FieldCreatedDate)...)
	soql := "SELECT " + strings.Join(selectList(s, sch, fs), ", ") + " FROM " + object + " WHERE " + where +
		" ORDER BY CreatedDate DESC, Id DESC LIMIT " + itoa(timelineLimit)
	res, err := a.query.Run(ctx, soql, query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		a.log.WarnContext(ctx, "timeline", "object", object, "error", err)
		return obj, nil, false
	}
	return obj, res.Records, true
}

// timeline reads a record's activities: tasks and events linked by WhoId
// or WhatId (and an account's through AccountId), emails by RelatedToId
// or ParentId (a person's by EmailMessageRelation), notes by ParentId.
func (a *App) timeline(ctx context.Context, s *session, sch *metadata.Schema, l *loaded, canEdit bool) *timeline {
	t := &timeline{RecID: l.ID}
	now := a.now()
	loc := s.User.Location
	if loc == nil {
		loc = time.UTC
	}
	str := func(rec *query.Record, path string) string {
		v, _ := pathValue(rec, path)
		if v == nil {
			return ""
		}
		return displayString(v)
	}
	created := func(rec *query.Record) time.Time {
		v, _ := rec.Get(metadata.FieldCreatedDate)
		at, _ := asTime(v)
		return at
	}
	failed := false
	links := []string{"WhatId", "WhoId"}
	if l.Obj.Name == "Account" {
		links = append(links, "AccountId")
	}

	if _, recs, ok := a.activityQuery(ctx, s, sch, "Task", l, links,
		[]string{"Subject", "ActivityDate", "Status", "IsClosed", "Priority", "Description", "TaskSubtype", "Type", "WhoId", "WhatId", "OwnerId"}); ok {
		for _, rec := range recs {
			it := timelineItem{Kind: "Task", ID: rec.ID, Title: str(rec, "Subject"), Body: str(rec, "Description"), at: created(rec)}
			if str(rec, "TaskSubtype") == "Call" || str(rec, "Type") == "Call" {
				it.Kind = "Call"
			}
			if v, _ := rec.Get("ActivityDate"); v != nil {
				if d, ok := asDate(v); ok {
					it.When = "Due " + d.Format("Jan 2, 2006")
					it.at = time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, loc)
				}
			}
			for _, p := range []string{"Status", "Priority", "Who.Name", "Owner.Name"} {
				if v := str(rec, p); v != "" {
					it.Meta = append(it.Meta, v)
				}
			}
			if closed, _ := rec.Get("IsClosed"); closed == true {
				t.Past = append(t.Past, it)
			} else {
				t.Upcoming = append(t.Upcoming, it)
			}
		}
	} else {
		failed = true
	}
	if _, recs, ok := a.activityQuery(ctx, s, sch, "Event", l, links,
		[]string{"Subject", "StartDateTime", "EndDateTime", "Location", "Description", "WhoId", "OwnerId"}); ok {
		for _, rec := range recs {
			it := timelineItem{Kind: "Event", ID: rec.ID, Title: str(rec, "Subject"), Body: str(rec, "Description"), at: created(rec)}
			start, _ := rec.Get("StartDateTime")
			if st, ok := asTime(start); ok {
				it.at = st
				it.When = st.In(loc).Format("Jan 2, 2006, 3:04 PM")
			}
			for _, p := range []string{"Location", "Who.Name", "Owner.Name"} {
				if v := str(rec, p); v != "" {
					it.Meta = append(it.Meta, v)
				}
			}
			end, _ := rec.Get("EndDateTime")
			if et, ok := asTime(end); ok && et.After(now) {
				t.Upcoming = append(t.Upcoming, it)
			} else {
				t.Past = append(t.Past, it)
			}
		}
	} else {
		failed = true
	}
	emailFields := []string{"Subject", "MessageDate", "FromName", "FromAddress", "ToAddress", "TextBody"}
	if _, recs, ok := a.activityQuery(ctx, s, sch, "EmailMessage", l, []string{"RelatedToId", "ParentId"}, emailFields); ok {
		// An account's timeline has the emails of its deals and cases too.
		if more, ok := a.accountEmails(ctx, s, sch, l, emailFields); ok {
			seen := map[rapport.ID]bool{}
			for _, r := range recs {
				seen[r.ID] = true
			}
			for _, r := range more {
				if !seen[r.ID] {
					recs = append(recs, r)
				}
			}
		} else {
			failed = true
		}
		for _, rec := range recs {
			it := timelineItem{Kind: "Email", ID: rec.ID, Title: str(rec, "Subject"), Body: str(rec, "TextBody"), at: created(rec)}
			md, _ := rec.Get("MessageDate")
			if mt, ok := asTime(md); ok {
				it.at = mt
			}
			from := str(rec, "FromName")
			if from == "" {
				from = str(rec, "FromAddress")
			}
			if from != "" {
				it.Meta = append(it.Meta, "From "+from)
			}
			if to := str(rec, "ToAddress"); to != "" {
				it.Meta = append(it.Meta, "To "+to)
			}
			t.Past = append(t.Past, it)
		}
	} else {
		failed = true
	}
	if _, recs, ok := a.activityQuery(ctx, s, sch, "Note", l, []string{"ParentId"},
		[]string{"Title", "Body", "OwnerId"}); ok {
		for _, rec := range recs {
			it := timelineItem{Kind: "Note", ID: rec.ID, Title: str(rec, "Title"), Body: str(rec, "Body"), at: created(rec)}
			if v := str(rec, "Owner.Name"); v != "" {
				it.Meta = append(it.Meta, v)
			}
			t.Past = append(t.Past, it)
		}
	} else {
		failed = true
	}
	for _, items := range [][]timelineItem{t.Upcoming, t.Past} {
		for i := range items {
			if items[i].When == "" && !items[i].at.IsZero() {
				items[i].When = items[i].at.In(loc).Format("Jan 2, 2006, 3:04 PM")
			}
		}
		slices.SortStableFunc(items, func(x, y timelineItem) int { return y.at.Compare(x.at) })
	}
	if failed {
		t.Err = "Some activities could not be loaded."
	}
	if canEdit && !l.Deleted {
		if task := sch.Object("Task"); task != nil && (s.Policy == nil || s.Policy.Object("Task").Create) {
			if f := activityLink(task, l.Obj, "WhoId", "WhatId"); f != nil && editable(s, task, f, true) {
				t.CanCall, t.CanTask = true, true
			}
		}
		if note := sch.Object("Note"); note != nil && (s.Policy == nil || s.Policy.Object("Note").Create) {
			if f := activityLink(note, l.Obj, "ParentId"); f != nil && editable(s, note, f, true) {
				t.CanNote = true
			}
		}
	}
	return t
}

// timelineFragment answers htmx with a record's timeline.
func (a *App) timelineFragment(w http.ResponseWriter, r *http.Request, s *session) {
	a.activity(w, r, s, "", nil)
}

func (a *App) logCall(w http.ResponseWriter, r *http.Request, s *session) {
	a.activity(w, r, s, "call", func(sch *metadata.Schema, l *loaded) (string, map[string]any, string) {
		task := sch.Object("Task")
		subject := strings.TrimSpace(r.PostFormValue("Subject"))
		if subject == "" {
			subject = "Call"
		}
		rec := map[string]any{
			"Subject": subject, "Status": "Completed",
			"ActivityDate": a.now().In(s.User.Location).Format("2006-01-02"),
		}
		if d := strings.TrimSpace(r.PostFormValue("Description")); d != "" {
			rec["Description"] = d
		}
		for _, n := range []string{"TaskSubtype", "Type"} {
			if f := task.Field(n); f != nil && editable(s, task, f, true) && picklistHas(f, "Call") {
				rec[n] = "Call"
			}
		}
		return "Task", rec, ""
	})
}

func (a *App) newTask(w http.ResponseWriter, r *http.Request, s *session) {
	a.activity(w, r, s, "task", func(sch *metadata.Schema, l *loaded) (string, map[string]any, string) {
		rec := map[string]any{"Subject": strings.TrimSpace(r.PostFormValue("Subject"))}
		if d := strings.TrimSpace(r.PostFormValue("ActivityDate")); d != "" {
			rec["ActivityDate"] = d
		}
		if p := strings.TrimSpace(r.PostFormValue("Priority")); p != "" {
			rec["Priority"] = p
		}
		if rec["Subject"] == "" {
			return "Task", rec, "Enter a subject for the task."
		}
		return "Task", rec, ""
	})
}

func (a *App) newNote(w http.ResponseWriter, r *http.Request, s *session) {
	a.activity(w, r, s, "note", func(sch *metadata.Schema, l *loaded) (string, map[string]any, string) {
		rec := map[string]any{"Title": strings.TrimSpace(r.PostFormValue("Title"))}
		if b := strings.TrimSpace(r.PostFormValue("Body")); b != "" {
			rec["Body"] = b
		}
		if rec["Title"] == "" {
			return "Note", rec, "Enter a title for the note."
		}
		return "Note", rec, ""
	})
}

func picklistHas(f *metadata.Field, v string) bool {
	if f.Picklist == nil {
		return false
	}
	_, ok := f.Picklist.Lookup(v)
	return ok
}

// activity adds an activity to a record from one of its timeline's forms
// (build says what to create; nil only reads), then answers with the
// timeline: to htmx the fragment, to a plain form the record page.
func (a *App) activity(w http.ResponseWriter, r *http.Request, s *session, form string, build func(*metadata.Schema, *loaded) (string, map[string]any, string)) {
	ctx := r.Context()
	sch, err := a.records.Schema(ctx, s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	l, err := a.loadRecord(ctx, s, sch, r.PathValue("id"))
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	acc := a.recordAccess(ctx, s, l)
	status := http.StatusOK
	var msg string
	if build != nil {
		if !acc.Edit || l.Deleted {
			a.renderError(w, r, s, http.StatusForbidden, "You can't add activities to this record: you don't have access to edit it.")
			return
		}
		object, rec, invalid := build(sch, l)
		obj := sch.Object(object)
		var link *metadata.Field
		if obj != nil {
			if object == "Note" {
				link = activityLink(obj, l.Obj, "ParentId")
			} else {
				link = activityLink(obj, l.Obj, "WhoId", "WhatId")
			}
		}
		if link == nil {
			a.renderError(w, r, s, http.StatusBadRequest, l.Obj.PluralLabel+" have no "+strings.ToLower(object)+"s.")
			return
		}
		rec[link.Name] = string(l.ID)
		if invalid != "" {
			msg, status = invalid, http.StatusUnprocessableEntity
		} else if err := firstErr(a.records.Create(ctx, object, []map[string]any{rec}, recordOptions())); err != nil {
			if statusOf(rapport.ErrorCode(err)) == http.StatusForbidden {
				a.failed(w, r, s, err)
				return
			}
			var re *rapport.Error
			if !asDomain(err, &re) {
				a.serverError(w, r, err)
				return
			}
			msg = message(err)
			status = http.StatusUnprocessableEntity
		} else if r.Header.Get("HX-Request") != "true" {
			a.redirect(w, r, "/r/"+string(l.ID), "")
			return
		}
	}
	t := a.timeline(ctx, s, sch, l, acc.Edit)
	if msg != "" {
		t.Error, t.Form = msg, form
		t.Values = map[string]string{}
		for k := range r.PostForm {
			if k != csrfField {
				t.Values[k] = r.PostFormValue(k)
			}
		}
		if r.Header.Get("HX-Request") != "true" {
			a.renderError(w, r, s, status, msg)
			return
		}
	}
	a.renderFragment(w, r, s, status, "record", "timeline", t)
}

package restapi

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
)

// Replication and recent items:
//
//	GET …/sobjects/{Obj}/updated?start=…&end=…   {"ids","latestDateCovered"}
//	GET …/sobjects/{Obj}/deleted?start=…&end=…   {"deletedRecords","earliestDateAvailable","latestDateCovered"}
//	GET …/recent[?limit=n]                        only when a Querier is given
//
// start and end are ISO-8601 datetimes; seconds are ignored, as Salesforce
// ignores them. The window [start, end) may span at most 30 days and start
// no earlier than 30 days ago; otherwise, or when end precedes start, the
// answer is 400 INVALID_REPLICATION_DATE. latestDateCovered is end, or now
// when end is later, truncated to the minute; a client resuming from it may
// see an ID again, never miss one.
//
// Rapport does not track record views yet, so /recent answers the records
// the user most recently modified (LastModifiedById is the user) among
// Account, Contact, Lead, Opportunity, Case and the custom objects, newest
// first.

// replicationSpan is how far back, and how wide, a replication window may
// reach.
const replicationSpan = 30 * 24 * time.Hour

// replicationLayout is how Salesforce writes the dates of replication
// answers.
const replicationLayout = "2006-01-02T15:04:00.000+0000"

// replicationDateLayouts are the forms start and end may take.
var replicationDateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999-0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04-0700",
}

func parseReplicationDate(name, s string) (time.Time, error) {
	// An unescaped + in a query string arrives as a space.
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "+")
	if s == "" {
		return time.Time{}, newError(codeReplicationDate, "The %s parameter is required: an ISO-8601 date and time such as 2026-01-01T00:00:00+00:00", name)
	}
	for _, l := range replicationDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, newError(codeReplicationDate, "The %s parameter is not an ISO-8601 date and time: %s", name, s)
}

// replicationWindow reads and checks ?start and ?end, returning them
// truncated to the minute with the latest date covered.
func (a *API) replicationWindow(r *http.Request) (start, end, latest time.Time, err error) {
	q := r.URL.Query()
	if start, err = parseReplicationDate("start", q.Get("start")); err != nil {
		return
	}
	if end, err = parseReplicationDate("end", q.Get("end")); err != nil {
		return
	}
	start, end = start.Truncate(time.Minute), end.Truncate(time.Minute)
	now := a.now().UTC()
	switch {
	case end.Before(start):
		err = newError(codeReplicationDate, "EndDate can not be before StartDate")
	case end.Sub(start) > replicationSpan:
		err = newError(codeReplicationDate, "The time span between StartDate and EndDate can not exceed 30 days")
	case start.Before(now.Add(-replicationSpan).Truncate(time.Minute)):
		err = newError(codeReplicationDate, "StartDate can not be earlier than 30 days ago")
	}
	latest = end
	if n := now.Truncate(time.Minute); latest.After(n) {
		latest = n
	}
	return
}

// Updated serves GET /sobjects/{object}/updated.
func (a *API) Updated() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		start, end, latest, err := a.replicationWindow(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		ids, err := a.records.Updated(r.Context(), o.Name, start, end)
		if err != nil {
			a.writeError(w, r, replicationObjectError(err))
			return
		}
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = string(id)
		}
		writeJSON(w, http.StatusOK, object{{"ids", out}, {"latestDateCovered", latest.Format(replicationLayout)}})
	}
}

// Deleted serves GET /sobjects/{object}/deleted.
func (a *API) Deleted() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		start, end, latest, err := a.replicationWindow(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		entries, earliest, err := a.records.Deleted(r.Context(), o.Name, start, end)
		if err != nil {
			a.writeError(w, r, replicationObjectError(err))
			return
		}
		recs := make([]any, len(entries))
		for i, e := range entries {
			recs[i] = object{{"id", string(e.ID)}, {"deletedDate", e.DeletedAt.UTC().Format("2006-01-02T15:04:05.000+0000")}}
		}
		// The bin keeps what it keeps: the earliest date available is its
		// oldest entry of the object, or latestDateCovered when it has none.
		if earliest.IsZero() {
			earliest = latest
		}
		writeJSON(w, http.StatusOK, object{
			{"deletedRecords", recs},
			{"earliestDateAvailable", earliest.UTC().Truncate(time.Minute).Format(replicationLayout)},
			{"latestDateCovered", latest.Format(replicationLayout)},
		})
	}
}

// replicationObjectError turns the record layer's "no such object for
// you" into the 404 the sobjects resources answer.
func replicationObjectError(err error) error {
	var re *rapport.Error
	if errors.As(err, &re) && re.Code == rapport.InvalidType {
		return notFound()
	}
	return err
}

// recentObjects are the standard objects /recent looks at, before the
// custom ones.
var recentObjects = []string{"Account", "Contact", "Lead", "Opportunity", "Case"}

const maxRecent = 200

// Recent serves GET /recent[?limit=n]: the records the user most recently
// modified, newest first (see the comment at the top of this file).
func (a *API) Recent() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		limit := maxRecent
		if s := r.URL.Query().Get("limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				a.writeError(w, r, newError(rapport.InvalidArgument, "limit must be a positive integer: %s", s))
				return
			}
			limit = min(n, maxRecent)
		}
		p, _ := rapport.PrincipalFrom(ctx)
		sch, err := a.records.Schema(ctx, p.OrgID)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		pol, err := a.records.Policy(ctx)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		var objs []*metadata.Object
		for _, name := range recentObjects {
			if o := sch.Object(name); o != nil {
				objs = append(objs, o)
			}
		}
		for _, o := range sch.Objects() {
			if o.Custom {
				objs = append(objs, o)
			}
		}
		type item struct {
			rec *query.Record
			at  time.Time
		}
		var items []item
		for _, o := range objs {
			if pol != nil && !pol.Object(o.Name).Read {
				continue
			}
			nameField := o.NameField
			if nameField == "" || o.Field(nameField) == nil || o.Field(metadata.FieldLastModifiedByID) == nil {
				continue
			}
			soql := "SELECT Id, " + nameField + ", LastModifiedDate FROM " + o.Name +
				" WHERE LastModifiedById = '" + string(p.UserID) + "' ORDER BY LastModifiedDate DESC, Id LIMIT " + strconv.Itoa(limit)
			res, err := a.query.Run(ctx, soql, query.Options{BatchSize: maxRecent})
			if err != nil {
				var re *rapport.Error
				if errors.As(err, &re) && re.Code != rapport.Internal {
					continue // a field the user may not read: leave the object out
				}
				a.writeError(w, r, err)
				return
			}
			for _, rec := range res.Records {
				var at time.Time
				var keep []query.Value
				for _, v := range rec.Fields {
					if v.Name == metadata.FieldLastModifiedDate {
						at, _ = v.Value.(time.Time)
						continue
					}
					keep = append(keep, v)
				}
				items = append(items, item{&query.Record{Type: rec.Type, ID: rec.ID, Fields: keep}, at})
			}
		}
		slices.SortStableFunc(items, func(x, y item) int { return y.at.Compare(x.at) })
		if len(items) > limit {
			items = items[:limit]
		}
		out := make([]any, len(items))
		for i, it := range items {
			out[i] = queryRecordJSON(r.PathValue("version"), it.rec)
		}
		writeJSON(w, http.StatusOK, out)
	}
}

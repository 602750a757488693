package web

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// historyLimit is the most field changes a record page shows.
const historyLimit = 100

// A historyItem is one change of one tracked field.
type historyItem struct {
	When   string
	Field  string
	User   string
	UserID rapport.ID
	Old    string
	New    string
	// Created marks the row that records the record's creation.
	Created bool
	// oldID and newID are the values of a lookup's change, shown by name.
	oldID, newID rapport.ID
}

// tracksHistory reports whether an object keeps the history of any field.
func tracksHistory(obj *metadata.Object) bool {
	if !obj.TrackHistory {
		return false
	}
	for _, f := range obj.LiveFields() {
		if f.TrackHistory {
			return true
		}
	}
	return false
}

// history reads a record's field history, newest first, leaving out fields
// the user may not read.
func (a *App) history(ctx context.Context, s *session, sch *metadata.Schema, l *loaded) (bool, []historyItem) {
	if !tracksHistory(l.Obj) {
		return false, nil
	}
	rows, err := a.records.History(ctx, l.Obj.Name, string(l.ID))
	if err != nil {
		a.log.WarnContext(ctx, "field history", "error", err)
		return true, nil
	}
	loc := s.User.Location
	if loc == nil {
		loc = time.UTC
	}
	var out []historyItem
	users := map[rapport.ID]string{}
	for i := len(rows) - 1; i >= 0 && len(out) < historyLimit; i-- {
		h := rows[i]
		it := historyItem{When: h.CreatedAt.In(loc).Format("Jan 2, 2006, 3:04 PM"), UserID: h.CreatedBy}
		if h.Field == "created" {
			it.Created, it.Field = true, "Created."
		} else {
			f := l.Obj.AnyField(h.Field)
			if f == nil || !readable(s, l.Obj, f) {
				continue
			}
			it.Field = fieldLabel(f)
			it.Old, it.New = historyValue(s, f, h.OldValue), historyValue(s, f, h.NewValue)
			if f.Type.IsReference() {
				it.oldID, it.newID = rapport.ID(h.OldValue), rapport.ID(h.NewValue)
			}
		}
		users[h.CreatedBy] = ""
		out = append(out, it)
	}
	if len(users) > 0 {
		ids := make([]string, 0, len(users))
		for id := range users {
			ids = append(ids, string(id))
		}
		slices.Sort(ids)
		if recs, err := a.records.Get(ctx, "User", ids, []string{"Name"}, true); err == nil {
			for _, r := range recs {
				if r != nil {
					users[r.ID] = displayString(r.Values["Name"])
				}
			}
		} else if !errors.Is(err, context.Canceled) {
			a.log.WarnContext(ctx, "field history users", "error", err)
		}
		for i := range out {
			if out[i].User = users[out[i].UserID]; out[i].User == "" {
				out[i].User = string(out[i].UserID)
			}
		}
	}
	a.historyNames(ctx, sch, out)
	return true, out
}

// historyNames shows the records a lookup's change points at by name, for
// those the user may read; the others keep their IDs.
func (a *App) historyNames(ctx context.Context, sch *metadata.Schema, items []historyItem) {
	byObject := map[*metadata.Object]map[string]bool{}
	for _, it := range items {
		for _, id := range []rapport.ID{it.oldID, it.newID} {
			if o := sch.ByPrefix(id.Prefix()); id != "" && o != nil && o.NameField != "" {
				if byObject[o] == nil {
					byObject[o] = map[string]bool{}
				}
				byObject[o][string(id)] = true
			}
		}
	}
	names := map[rapport.ID]string{}
	for o, set := range byObject {
		ids := make([]string, 0, len(set))
		for id := range set {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		recs, err := a.records.Get(ctx, o.Name, ids, []string{o.NameField}, true)
		if err != nil {
			continue // not readable: the IDs stay
		}
		for _, r := range recs {
			if r != nil {
				names[r.ID] = displayString(r.Values[o.NameField])
			}
		}
	}
	for i := range items {
		if n := names[items[i].oldID]; n != "" {
			items[i].Old = n
		}
		if n := names[items[i].newID]; n != "" {
			items[i].New = n
		}
	}
}

// historyValue shows a value as a history row stored it.
func historyValue(s *session, f *metadata.Field, v string) string {
	if v == "" {
		return ""
	}
	var val any = v
	if f.Type == metadata.TypeCheckbox {
		val = v == "true"
	}
	return newCell(s, f, val, "").text()
}

package record

import (
	"context"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// derive sets the fields that standard objects compute from others, as
// Salesforce does: compound names, opportunity stage attributes, closed
// cases and tasks, contract end dates, campaign member responses.
func derive(sch *metadata.Schema, obj *metadata.Object, it *item, now time.Time) error {
	if obj.Custom {
		return nil
	}
	switch obj.Name {
	case "Contact", "Lead", "User":
		deriveName(obj, it)
	}
	switch obj.Name {
	case "Opportunity":
		deriveStage(obj, it)
	case "Case":
		deriveClosed(obj, it, "Status", "IsClosed", "ClosedDate", now)
	case "Task":
		deriveClosed(obj, it, "Status", "IsClosed", "", now)
	case "Lead":
		deriveFlag(obj, it, "Status", "IsConverted", func(v metadata.PicklistValue) bool { return v.Converted })
	case "CampaignMember":
		deriveFlag(obj, it, "Status", "HasResponded", func(v metadata.PicklistValue) bool {
			return strings.EqualFold(v.Value, "Responded")
		})
		deriveMemberPerson(obj, it)
	case "Contract":
		deriveContractEnd(obj, it)
	case "Event":
		deriveEventTimes(obj, it)
	case "EmailMessageRelation":
		deriveRelationType(sch, obj, it)
	}
	if it.create {
		// A new master's standard roll-ups start at zero.
		for _, r := range standardRollups {
			if r.master == obj.Name && get(obj, it, r.field) == nil {
				set(obj, it, r.field, 0.0)
			}
		}
	}
	return nil
}

// deriveMemberPerson sets a campaign member's LeadOrContactId and Type:
// its contact, or else its lead.
func deriveMemberPerson(obj *metadata.Object, it *item) {
	if !touched(obj, it, "ContactId", "LeadId") {
		return
	}
	switch {
	case get(obj, it, "ContactId") != nil:
		set(obj, it, "LeadOrContactId", get(obj, it, "ContactId"))
		set(obj, it, "Type", "Contact")
	case get(obj, it, "LeadId") != nil:
		set(obj, it, "LeadOrContactId", get(obj, it, "LeadId"))
		set(obj, it, "Type", "Lead")
	default:
		set(obj, it, "LeadOrContactId", nil)
		set(obj, it, "Type", nil)
	}
}

// deriveRelationType names the object of an email relation's RelationId.
func deriveRelationType(sch *metadata.Schema, obj *metadata.Object, it *item) {
	if !touched(obj, it, "RelationId") {
		return
	}
	var name any
	if id, ok := get(obj, it, "RelationId").(rapport.ID); ok {
		if o := sch.ByPrefix(id.Prefix()); o != nil {
			name = o.Name
		}
	}
	set(obj, it, "RelationObjectType", name)
}

func set(obj *metadata.Object, it *item, name string, v any) {
	if f := obj.Field(name); f != nil {
		it.state[f] = v
	}
}

func get(obj *metadata.Object, it *item, name string) any {
	if f := obj.Field(name); f != nil {
		return it.state[f]
	}
	return nil
}

func touched(obj *metadata.Object, it *item, names ...string) bool {
	if it.create {
		return true
	}
	for _, n := range names {
		if f := obj.Field(n); f != nil && it.touch[f] {
			return true
		}
	}
	return false
}

// deriveName builds the compound Name of people: "First Middle Last Suffix".
func deriveName(obj *metadata.Object, it *item) {
	if !touched(obj, it, "FirstName", "MiddleName", "LastName", "Suffix") {
		return
	}
	var parts []string
	for _, n := range []string{"FirstName", "MiddleName", "LastName", "Suffix"} {
		if s, _ := get(obj, it, n).(string); s != "" {
			parts = append(parts, s)
		}
	}
	name := strings.Join(parts, " ")
	if f := obj.Field("Name"); f != nil {
		if r := []rune(name); f.Length > 0 && len(r) > f.Length {
			name = string(r[:f.Length])
		}
		if name == "" {
			it.state[f] = nil
		} else {
			it.state[f] = name
		}
	}
}

func picked(obj *metadata.Object, it *item, field string) (metadata.PicklistValue, bool) {
	f := obj.Field(field)
	if f == nil {
		return metadata.PicklistValue{}, false
	}
	s, _ := it.state[f].(string)
	if s == "" {
		return metadata.PicklistValue{}, false
	}
	return f.Picklist.Lookup(s)
}

// deriveStage keeps IsClosed, IsWon, ForecastCategory(Name) and Probability
// in step with StageName.
func deriveStage(obj *metadata.Object, it *item) {
	if !touched(obj, it, "StageName") {
		return
	}
	stage, ok := picked(obj, it, "StageName")
	set(obj, it, "IsClosed", ok && stage.Closed)
	set(obj, it, "IsWon", ok && stage.Won)
	if !ok {
		return
	}
	if stage.ForecastCategory != "" {
		set(obj, it, "ForecastCategory", forecastAPIValue(stage.ForecastCategory))
		if f := obj.Field("ForecastCategoryName"); f != nil && !it.touch[f] {
			it.state[f] = stage.ForecastCategory
		}
	}
	if f := obj.Field("Probability"); f != nil && !it.touch[f] && stage.Probability != nil {
		it.state[f] = float64(*stage.Probability)
	}
}

// forecastAPIValue maps a forecast category name to the ForecastCategory
// field's API value ("Best Case" → "BestCase").
func forecastAPIValue(name string) string {
	return strings.ReplaceAll(name, " ", "")
}

func deriveClosed(obj *metadata.Object, it *item, status, closed, closedDate string, now time.Time) {
	if !touched(obj, it, status) {
		return
	}
	v, ok := picked(obj, it, status)
	isClosed := ok && v.Closed
	wasClosed, _ := get(obj, it, closed).(bool)
	set(obj, it, closed, isClosed)
	if closedDate == "" {
		return
	}
	switch {
	case isClosed && (!wasClosed || get(obj, it, closedDate) == nil):
		set(obj, it, closedDate, now)
	case !isClosed:
		set(obj, it, closedDate, nil)
	}
}

func deriveFlag(obj *metadata.Object, it *item, status, flag string, pred func(metadata.PicklistValue) bool) {
	if !touched(obj, it, status) {
		return
	}
	v, ok := picked(obj, it, status)
	set(obj, it, flag, ok && pred(v))
}

// deriveContractEnd sets EndDate to StartDate plus ContractTerm months, less
// a day.
func deriveContractEnd(obj *metadata.Object, it *item) {
	if !touched(obj, it, "StartDate", "ContractTerm") {
		return
	}
	start, _ := get(obj, it, "StartDate").(string)
	term, ok := get(obj, it, "ContractTerm").(float64)
	if start == "" || !ok {
		set(obj, it, "EndDate", nil)
		return
	}
	t, err := time.Parse(DateLayout, start)
	if err != nil {
		return
	}
	set(obj, it, "EndDate", t.AddDate(0, int(term), -1).Format(DateLayout))
}

// deriveEventTimes keeps an event's EndDateTime, DurationInMinutes and
// ActivityDate consistent.
func deriveEventTimes(obj *metadata.Object, it *item) {
	if !touched(obj, it, "StartDateTime", "EndDateTime", "DurationInMinutes", "IsAllDayEvent") {
		return
	}
	start, ok := get(obj, it, "StartDateTime").(time.Time)
	if !ok {
		return
	}
	if get(obj, it, "ActivityDate") == nil || touched(obj, it, "StartDateTime") {
		set(obj, it, "ActivityDate", start.Format(DateLayout))
	}
	end, hasEnd := get(obj, it, "EndDateTime").(time.Time)
	dur, hasDur := get(obj, it, "DurationInMinutes").(float64)
	endTouched := touched(obj, it, "EndDateTime") && hasEnd
	switch {
	case endTouched || (hasEnd && !hasDur):
		set(obj, it, "DurationInMinutes", float64(int64(end.Sub(start)/time.Minute)))
	case hasDur:
		set(obj, it, "EndDateTime", start.Add(time.Duration(dur)*time.Minute))
	}
}

// mustID is for values known to be IDs.
func mustID(v any) rapport.ID {
	id, _ := v.(rapport.ID)
	return id
}

// accountParents are the objects whose records carry the account an
// activity related to them belongs to.
var accountParents = map[string]bool{"Opportunity": true, "Case": true, "Contract": true, "Contact": true}

// deriveActivityAccount sets a task's or event's AccountId, as Salesforce
// does: the account it is related to (WhatId), or the account of the
// opportunity, case or contract it is related to, or else of its contact
// (WhoId). It reads the related records, so it runs once the references
// are checked.
func deriveActivityAccount(ctx context.Context, tx Tx, sch *metadata.Schema, obj *metadata.Object, items []*item) error {
	if obj.Custom || (obj.Name != "Task" && obj.Name != "Event") {
		return nil
	}
	acc, what, who := obj.Field("AccountId"), obj.Field("WhatId"), obj.Field("WhoId")
	if acc == nil || what == nil || who == nil {
		return nil
	}
	// source is the record each item takes its account from.
	source := map[*item]rapport.ID{}
	byObject := map[*metadata.Object][]rapport.ID{}
	for _, it := range items {
		if it.err != nil || !touched(obj, it, "WhatId", "WhoId") {
			continue
		}
		var from rapport.ID
		for _, v := range []any{it.state[what], it.state[who]} {
			id, _ := v.(rapport.ID)
			if id == "" {
				continue
			}
			if o := sch.ByPrefix(id.Prefix()); o != nil && (o.Name == "Account" || accountParents[o.Name]) {
				from = id
				break
			}
		}
		it.state[acc] = nil
		if from == "" {
			continue
		}
		source[it] = from
		if o := sch.ByPrefix(from.Prefix()); o.Name != "Account" {
			byObject[o] = append(byObject[o], from)
		}
	}
	accountOf := map[rapport.ID]any{}
	for o, ids := range byObject {
		f := o.Field("AccountId")
		if f == nil {
			continue
		}
		rows, err := tx.Rows(ctx, o, []*metadata.Field{o.Field(metadata.FieldID), f}, ids)
		if err != nil {
			return err
		}
		for _, r := range rows {
			accountOf[r[0].(rapport.ID)] = r[1]
		}
	}
	for it, from := range source {
		if sch.ByPrefix(from.Prefix()).Name == "Account" {
			it.state[acc] = from
		} else {
			it.state[acc] = accountOf[from]
		}
	}
	return nil
}

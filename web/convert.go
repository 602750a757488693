package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
)

// Lead conversion turns a lead into an account (new or existing), a
// contact and, unless declined, an opportunity with the contact as its
// primary contact role, then marks the lead converted and moves its tasks
// and events to the contact. The record service has no transaction across objects, so the
// steps run in order and a failure deletes, for good, what the earlier
// steps created. The lead's conversion fields are read-only to users (as
// in Salesforce, only conversion sets them): that one update runs as the
// system, after the user's own right to edit the lead was checked.

// canConvert reports whether the user may convert leads: create accounts,
// contacts and opportunities.
func (a *App) canConvert(s *session, sch *metadata.Schema) bool {
	for _, o := range []string{"Account", "Contact"} {
		if sch.Object(o) == nil || (s.Policy != nil && !s.Policy.Object(o).Create) {
			return false
		}
	}
	lead := sch.Object("Lead")
	return lead != nil && lead.Field("IsConverted") != nil && lead.Field("ConvertedContactId") != nil
}

// convertData is what the conversion page shows.
type convertData struct {
	Lead *loaded
	Name string
	// The choices, as entered.
	AccountMode   string // "new" or "existing"
	AccountName   string
	Existing      cell // the existing account's lookup
	OppName       string
	NoOpp         bool
	Status        string
	Statuses      []metadata.PicklistValue
	CanOpp        bool
	Error         string
	ContactFields []string
	Account       cell
	Contact       cell
	Opportunity   cell
	Done          bool
}

// convertible loads a lead the user may convert.
func (a *App) convertible(w http.ResponseWriter, r *http.Request, s *session) (*metadata.Schema, *loaded, bool) {
	ctx := r.Context()
	sch, err := a.records.Schema(ctx, s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return nil, nil, false
	}
	l, err := a.loadRecord(ctx, s, sch, r.PathValue("id"))
	if err != nil {
		a.failed(w, r, s, err)
		return nil, nil, false
	}
	if l.Obj.Name != "Lead" {
		a.renderError(w, r, s, http.StatusNotFound, "Only leads can be converted.")
		return nil, nil, false
	}
	if l.Deleted {
		a.renderError(w, r, s, http.StatusConflict, "This lead is in the recycle bin. Restore it to convert it.")
		return nil, nil, false
	}
	return sch, l, true
}

func (a *App) convertForm(w http.ResponseWriter, r *http.Request, s *session) {
	sch, l, ok := a.convertible(w, r, s)
	if !ok {
		return
	}
	if conv, _ := l.Values["IsConverted"].(bool); conv {
		a.render(w, r, s, http.StatusOK, "convert", "Converted: "+l.Name(), a.convertedData(s, l))
		return
	}
	if !a.recordAccess(r.Context(), s, l).Edit || !a.canConvert(s, sch) {
		a.renderError(w, r, s, http.StatusForbidden, "You don't have access to convert this lead.")
		return
	}
	company := displayString(l.Values["Company"])
	d := a.convertDefaults(s, sch, l)
	d.AccountMode, d.AccountName, d.OppName = "new", company, company+"-"
	a.render(w, r, s, http.StatusOK, "convert", "Convert "+l.Name(), d)
}

// convertDefaults are the parts of the conversion form that do not depend
// on what was entered.
func (a *App) convertDefaults(s *session, sch *metadata.Schema, l *loaded) convertData {
	d := convertData{Lead: l, Name: l.Name()}
	if f := l.Obj.Field("Status"); f != nil && f.Picklist != nil {
		for _, v := range f.Picklist.Values {
			if v.Converted && !v.Inactive {
				d.Statuses = append(d.Statuses, v)
			}
		}
	}
	if len(d.Statuses) > 0 {
		d.Status = d.Statuses[0].Value
	}
	d.CanOpp = sch.Object("Opportunity") != nil && (s.Policy == nil || s.Policy.Object("Opportunity").Create)
	if c := sch.Object("Contact"); c != nil {
		if f := c.Field("AccountId"); f != nil {
			d.Existing = newCell(s, f, nil, "")
			d.Existing.Field = &metadata.Field{Name: "ExistingAccountId", Label: "Existing account", Type: metadata.TypeLookup, ReferenceTo: []string{"Account"}}
		}
	}
	for _, n := range []string{"Name", "Title", "Email", "Phone"} {
		if v := l.Values[n]; v != nil && v != "" {
			d.ContactFields = append(d.ContactFields, displayString(v))
		}
	}
	return d
}

// convertedData shows what a converted lead became.
func (a *App) convertedData(s *session, l *loaded) convertData {
	d := convertData{Lead: l, Name: l.Name(), Done: true}
	for n, c := range map[string]*cell{"ConvertedAccountId": &d.Account, "ConvertedContactId": &d.Contact, "ConvertedOpportunityId": &d.Opportunity} {
		if f := l.Obj.Field(n); f != nil && readable(s, l.Obj, f) && l.Values[n] != nil {
			*c = l.cell(s, f)
		}
	}
	return d
}

// copyFields copies the lead's values to a new record's fields that exist,
// that the user may set, and that the lead has a value for.
func copyFields(s *session, lead *loaded, obj *metadata.Object, rec map[string]any, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		from, to := pairs[i], pairs[i+1]
		v := lead.Values[from]
		f := obj.Field(to)
		if v == nil || v == "" || f == nil || !editable(s, obj, f, true) {
			continue
		}
		rec[to] = v
	}
}

// firstOpenStage is the stage a new opportunity starts in.
func firstOpenStage(opp *metadata.Object) string {
	f := opp.Field("StageName")
	if f == nil || f.Picklist == nil {
		return ""
	}
	if v, ok := f.Picklist.DefaultValue(); ok {
		return v
	}
	for _, v := range f.Picklist.Values {
		if !v.Closed && !v.Inactive {
			return v.Value
		}
	}
	return ""
}

// quarterEnd is the last day of the quarter t is in.
func quarterEnd(t time.Time) string {
	q := (int(t.Month()) - 1) / 3
	first := time.Date(t.Year(), time.Month(q*3+4), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, -1).Format(record.DateLayout)
}

func (a *App) convertSubmit(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	sch, l, ok := a.convertible(w, r, s)
	if !ok {
		return
	}
	if conv, _ := l.Values["IsConverted"].(bool); conv {
		a.renderError(w, r, s, http.StatusConflict, "This lead was already converted.")
		return
	}
	if !a.recordAccess(ctx, s, l).Edit || !a.canConvert(s, sch) {
		a.renderError(w, r, s, http.StatusForbidden, "You don't have access to convert this lead.")
		return
	}
	d := a.convertDefaults(s, sch, l)
	d.AccountMode = r.PostFormValue("AccountMode")
	d.AccountName = strings.TrimSpace(r.PostFormValue("AccountName"))
	d.OppName = strings.TrimSpace(r.PostFormValue("OpportunityName"))
	d.NoOpp = r.PostFormValue("NoOpportunity") == "true" || !d.CanOpp
	for _, v := range d.Statuses {
		if v.Value == r.PostFormValue("Status") {
			d.Status = v.Value
		}
	}
	existing := strings.TrimSpace(r.PostFormValue("ExistingAccountId"))
	d.Existing.Value = existing
	fail := func(status int, msg string) {
		d.Error = msg
		if existing != "" {
			d.Existing.RefName = a.refNames(ctx, sch, []*metadata.Field{d.Existing.Field}, map[string]any{d.Existing.Field.Name: existing})[d.Existing.Field.Name]
		}
		a.render(w, r, s, status, "convert", "Convert "+l.Name(), d)
	}
	switch {
	case d.AccountMode == "existing" && existing == "":
		fail(http.StatusUnprocessableEntity, "Choose the existing account to add the contact to.")
		return
	case d.AccountMode != "existing" && d.AccountName == "":
		fail(http.StatusUnprocessableEntity, "Enter a name for the new account.")
		return
	case !d.NoOpp && d.OppName == "":
		fail(http.StatusUnprocessableEntity, "Enter a name for the opportunity, or choose not to create one.")
		return
	}
	if d.AccountMode == "existing" {
		if id, err := rapport.ParseID(existing); err != nil || sch.ByPrefix(id.Prefix()) == nil || sch.ByPrefix(id.Prefix()).Name != "Account" {
			fail(http.StatusUnprocessableEntity, "Choose an account from the list.")
			return
		}
	}
	_, err := a.convert(ctx, s, sch, l, d, existing)
	if err != nil {
		var re *rapport.Error
		if !asDomain(err, &re) {
			a.serverError(w, r, err)
			return
		}
		status := http.StatusUnprocessableEntity
		if refused(err) {
			status = http.StatusForbidden
		}
		fail(status, message(err))
		return
	}
	a.redirect(w, r, "/r/"+string(l.ID)+"/convert", "Lead \u201c"+l.Name()+"\u201d was converted.")
}

// converted are the records a conversion made or used.
type converted struct {
	Account, Contact, Opportunity rapport.ID
}

// convert runs the steps of a conversion; a failed step undoes the
// records the earlier ones created.
func (a *App) convert(ctx context.Context, s *session, sch *metadata.Schema, l *loaded, d convertData, existing string) (converted, error) {
	var out converted
	var made []string
	sys := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: s.Principal.OrgID, UserID: s.Principal.UserID, System: true})
	undo := func(err error) (converted, error) {
		if len(made) > 0 {
			if _, uerr := a.records.HardDelete(sys, made, recordOptions()); uerr != nil {
				a.log.ErrorContext(ctx, "undo a failed lead conversion", "lead", l.ID, "error", uerr)
			}
		}
		return converted{}, err
	}
	step := func(object string, rec map[string]any) (rapport.ID, error) {
		id, err := oneResult(a.records.Create(ctx, object, []map[string]any{rec}, recordOptions()))
		if err != nil {
			var re *rapport.Error
			if asDomain(err, &re) && re.Message != "" {
				re2 := *re
				re2.Message = sch.Object(object).Label + ": " + re.Message
				return "", &re2
			}
			return "", err
		}
		made = append(made, string(id))
		return id, nil
	}
	var err error
	if d.AccountMode == "existing" {
		out.Account = rapport.ID(existing)
	} else {
		acc := sch.Object("Account")
		rec := map[string]any{"Name": d.AccountName}
		copyFields(s, l, acc, rec, "Phone", "Phone", "Website", "Website", "Industry", "Industry",
			"AnnualRevenue", "AnnualRevenue", "NumberOfEmployees", "NumberOfEmployees", "LeadSource", "AccountSource",
			"Street", "BillingStreet", "City", "BillingCity", "State", "BillingState", "PostalCode", "BillingPostalCode", "Country", "BillingCountry")
		if out.Account, err = step("Account", rec); err != nil {
			return undo(err)
		}
	}
	con := sch.Object("Contact")
	rec := map[string]any{"AccountId": string(out.Account)}
	copyFields(s, l, con, rec, "Salutation", "Salutation", "FirstName", "FirstName", "MiddleName", "MiddleName", "LastName", "LastName",
		"Suffix", "Suffix", "Title", "Title", "Email", "Email", "Phone", "Phone", "MobilePhone", "MobilePhone", "Fax", "Fax",
		"LeadSource", "LeadSource", "HasOptedOutOfEmail", "HasOptedOutOfEmail", "DoNotCall", "DoNotCall",
		"Street", "MailingStreet", "City", "MailingCity", "State", "MailingState", "PostalCode", "MailingPostalCode", "Country", "MailingCountry")
	if out.Contact, err = step("Contact", rec); err != nil {
		return undo(err)
	}
	if !d.NoOpp {
		opp := sch.Object("Opportunity")
		rec := map[string]any{"Name": d.OppName, "AccountId": string(out.Account),
			"StageName": firstOpenStage(opp), "CloseDate": quarterEnd(a.now().In(s.User.Location))}
		if f := opp.Field("ContactId"); f != nil && editable(s, opp, f, true) {
			rec["ContactId"] = string(out.Contact)
		}
		copyFields(s, l, opp, rec, "LeadSource", "LeadSource")
		if out.Opportunity, err = step("Opportunity", rec); err != nil {
			return undo(err)
		}
		// The new contact is the deal's primary contact.
		if ocr := sch.Object("OpportunityContactRole"); ocr != nil && (s.Policy == nil || s.Policy.Object(ocr.Name).Create) {
			if _, err := step(ocr.Name, map[string]any{"OpportunityId": string(out.Opportunity), "ContactId": string(out.Contact), "IsPrimary": true}); err != nil {
				return undo(err)
			}
		}
	}
	upd := map[string]any{metadata.FieldID: string(l.ID), "IsConverted": true,
		"ConvertedAccountId": string(out.Account), "ConvertedContactId": string(out.Contact)}
	if l.Obj.Field("ConvertedDate") != nil {
		upd["ConvertedDate"] = a.now().In(s.User.Location).Format(record.DateLayout)
	}
	if out.Opportunity != "" && l.Obj.Field("ConvertedOpportunityId") != nil {
		upd["ConvertedOpportunityId"] = string(out.Opportunity)
	}
	if d.Status != "" {
		upd["Status"] = d.Status
	}
	if err := firstErr(a.records.Update(sys, "Lead", []map[string]any{upd}, recordOptions())); err != nil {
		return undo(err)
	}
	a.moveActivities(ctx, sys, sch, l.ID, out.Contact)
	return out, nil
}

// moveActivities gives a converted lead's tasks and events to the contact
// it became, as Salesforce does, so that its history follows the person.
// The conversion stands if this fails; the lead keeps them then.
func (a *App) moveActivities(ctx, sys context.Context, sch *metadata.Schema, lead, contact rapport.ID) {
	for _, object := range []string{"Task", "Event"} {
		if sch.Object(object) == nil {
			continue
		}
		res, err := a.query.Run(sys, "SELECT Id FROM "+object+" WHERE WhoId = "+soqlString(string(lead))+" LIMIT 2000", query.Options{})
		if err != nil {
			a.log.WarnContext(ctx, "move a converted lead's activities", "object", object, "error", err)
			continue
		}
		var recs []map[string]any
		for _, r := range res.Records {
			recs = append(recs, map[string]any{metadata.FieldID: string(r.ID), "WhoId": string(contact)})
		}
		for len(recs) > 0 {
			n := min(len(recs), 200)
			if err := firstErr(a.records.Update(sys, object, recs[:n], recordOptions())); err != nil {
				a.log.WarnContext(ctx, "move a converted lead's activities", "object", object, "error", err)
			}
			recs = recs[n:]
		}
	}
}

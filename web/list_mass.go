package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
)

// massCap is the most rows one mass action changes.
const massCap = 200

// massData is the confirmation and the result of a mass action.
type massData struct {
	Object *metadata.Object
	Base   string
	Back   string
	Action string // "delete" or "owner"
	IDs    []rapport.ID
	Names  []string
	Owner  rapport.ID
	// OwnerName is the new owner's name.
	OwnerName string
	// Done is set once the action ran: Message says what happened,
	// Failures which rows failed and why.
	Done     bool
	Message  string
	Failures []massFailure
	Error    string
	// OwnerInput chooses the new owner when none was chosen.
	OwnerInput template.HTML
}

type massFailure struct {
	ID      rapport.ID
	Name    string
	Message string
}

// massAction changes the owner of, or deletes, the selected rows of a
// list: first a confirmation, then the action and its result.
func (a *App) massAction(w http.ResponseWriter, r *http.Request, s *session) {
	_, obj, ok := a.listObject(w, r, s)
	if !ok {
		return
	}
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		a.renderError(w, r, s, http.StatusBadRequest, "The form could not be read.")
		return
	}
	f := r.PostForm
	base := "/o/" + url.PathEscape(obj.Name)
	d := massData{Object: obj, Base: base, Back: base, Action: f.Get("action")}
	if b := safeNext(f.Get("back")); strings.HasPrefix(b, base) {
		d.Back = b
	}
	perms := struct{ edit, del bool }{true, true}
	if s.Policy != nil {
		p := s.Policy.Object(obj.Name)
		perms.edit, perms.del = p.Edit && obj.Updateable, p.Delete && obj.Deletable
	}
	switch d.Action {
	case "delete":
		if !perms.del {
			a.renderError(w, r, s, http.StatusForbidden, "You don't have permission to delete "+obj.PluralLabel+".")
			return
		}
	case "owner":
		if !perms.edit || obj.Field(metadata.FieldOwnerID) == nil {
			a.renderError(w, r, s, http.StatusForbidden, "You don't have permission to change the owner of "+obj.PluralLabel+".")
			return
		}
	default:
		a.renderError(w, r, s, http.StatusBadRequest, "Choose what to do with the selected rows.")
		return
	}
	seen := map[rapport.ID]bool{}
	for _, raw := range f["ids"] {
		id, err := rapport.ParseID(raw)
		if err != nil || !strings.HasPrefix(string(id), obj.KeyPrefix) || seen[id] {
			continue
		}
		seen[id] = true
		d.IDs = append(d.IDs, id)
	}
	if len(d.IDs) == 0 {
		a.renderError(w, r, s, http.StatusBadRequest, "Select one or more rows first.")
		return
	}
	if len(d.IDs) > massCap {
		a.renderError(w, r, s, http.StatusBadRequest, "Select at most "+itoa(massCap)+" rows at a time.")
		return
	}
	names := a.names(r, obj, d.IDs)
	for _, id := range d.IDs {
		d.Names = append(d.Names, names[id])
	}
	status := http.StatusOK
	if d.Action == "owner" {
		owner, err := rapport.ParseID(strings.TrimSpace(f.Get("OwnerId")))
		if err == nil {
			res, qerr := a.query.Run(systemCtx(ctx, s), "SELECT Id, Name FROM User WHERE Id = "+soqlString(string(owner))+" AND IsActive = true", query.Options{BatchSize: query.MinBatchSize})
			if qerr != nil {
				a.serverError(w, r, qerr)
				return
			}
			if len(res.Records) == 1 {
				d.Owner = owner
				n, _ := res.Records[0].Get("Name")
				d.OwnerName = displayString(n)
			}
		}
		if d.Owner == "" {
			d.Error = "Choose an active user as the new owner."
			d.OwnerInput = newCell(s, ownerField(), nil, "").Input()
			a.render(w, r, s, http.StatusUnprocessableEntity, "list_mass", "Change owner", d)
			return
		}
	}
	if f.Get("confirm") != "yes" {
		a.render(w, r, s, status, "list_mass", "Confirm", d)
		return
	}

	var res []record.Result
	var err error
	ids := make([]string, len(d.IDs))
	for i, id := range d.IDs {
		ids[i] = string(id)
	}
	if d.Action == "delete" {
		res, err = a.records.Delete(ctx, ids, record.WriteOptions{})
	} else {
		recs := make([]map[string]any, len(ids))
		for i, id := range ids {
			recs[i] = map[string]any{"Id": id, metadata.FieldOwnerID: string(d.Owner)}
		}
		res, err = a.records.Update(ctx, obj.Name, recs, record.WriteOptions{})
	}
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	okCount := 0
	for i, rs := range res {
		if rs.Err == nil {
			okCount++
			continue
		}
		if i < len(d.IDs) {
			d.Failures = append(d.Failures, massFailure{ID: d.IDs[i], Name: d.Names[i], Message: message(rs.Err)})
		}
	}
	noun := strings.ToLower(obj.PluralLabel)
	if okCount == 1 {
		noun = strings.ToLower(obj.Label)
	}
	if d.Action == "delete" {
		d.Message = itoa(okCount) + " " + noun + " deleted"
	} else {
		d.Message = itoa(okCount) + " " + noun + " now owned by " + d.OwnerName
	}
	if len(d.Failures) == 0 {
		http.Redirect(w, r, d.Back+sep(d.Back)+"flash="+url.QueryEscape(d.Message+"."), http.StatusSeeOther)
		return
	}
	d.Done = true
	a.render(w, r, s, http.StatusOK, "list_mass", "Result", d)
}

func sep(u string) string {
	if strings.Contains(u, "?") {
		return "&"
	}
	return "?"
}

// names reads the names of records the user may read, by ID; a record
// that cannot be read is named by its ID.
func (a *App) names(r *http.Request, obj *metadata.Object, ids []rapport.ID) map[rapport.ID]string {
	out := make(map[rapport.ID]string, len(ids))
	for _, id := range ids {
		out[id] = string(id)
	}
	if obj.NameField == "" {
		return out
	}
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = soqlString(string(id))
	}
	res, err := a.query.Run(r.Context(), "SELECT Id, "+obj.NameField+" FROM "+obj.Name+" WHERE Id IN ("+strings.Join(quoted, ", ")+")", query.Options{BatchSize: massCap + 1})
	if err != nil {
		return out
	}
	for _, rec := range res.Records {
		if v, _ := rec.Get(obj.NameField); v != nil {
			out[rec.ID] = displayString(v)
		}
	}
	return out
}

// ownerField is the lookup the mass owner change offers: active users.
func ownerField() *metadata.Field {
	return &metadata.Field{Name: metadata.FieldOwnerID, Label: "New owner", Type: metadata.TypeLookup, ReferenceTo: []string{"User"}}
}

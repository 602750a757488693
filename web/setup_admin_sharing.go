package web

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/security"
)

// Sharing settings are metadata: an object's org-wide default
// (Object.SharingModel) and its sharing rules (Object.SharingRules), both
// changed through record.Service.UpdateObject. Row filters read them when
// they are built, so a change takes effect without a recalculation; role
// and group membership, which rules name, the record service keeps current
// as users, roles and groups change.

// owdRow is an object's org-wide default.
type owdRow struct {
	Name, Label string
	Current     string
	Options     []setupOption
	Rules       int
}

type sharingData struct {
	Objects []owdRow
}

// sharingModels are the org-wide defaults a person chooses from.
var sharingModels = []setupOption{
	{Value: metadata.SharingPrivate, Label: "Private"},
	{Value: metadata.SharingRead, Label: "Public Read Only"},
	{Value: metadata.SharingReadWrite, Label: "Public Read/Write"},
	{Value: metadata.SharingControlledByParent, Label: "Controlled by Parent"},
}

// sharingChoices are the org-wide defaults obj may take.
func sharingChoices(obj *metadata.Object) []setupOption {
	owner := obj.Field(metadata.FieldOwnerID) != nil
	master := security.MasterField(obj) != nil
	detail := false
	for _, f := range obj.LiveFields() {
		detail = detail || f.Type == metadata.TypeMasterDetail
	}
	var out []setupOption
	for _, m := range sharingModels {
		switch {
		case m.Value == metadata.SharingControlledByParent && !master,
			m.Value != metadata.SharingControlledByParent && (!owner || detail):
			continue
		}
		m.Selected = m.Value == obj.Sharing()
		out = append(out, m)
	}
	return out
}

func modelLabel(model string) string {
	for _, m := range sharingModels {
		if m.Value == model {
			return m.Label
		}
	}
	return model
}

func (a *App) sharingPage(w http.ResponseWriter, r *http.Request, s *session) {
	sch, err := a.setupSchema(r.Context(), s)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	var d sharingData
	for _, o := range sch.Objects() {
		opts := sharingChoices(o)
		if len(opts) == 0 {
			continue
		}
		d.Objects = append(d.Objects, owdRow{Name: o.Name, Label: o.Label, Current: modelLabel(o.Sharing()), Options: opts, Rules: len(o.SharingRules)})
	}
	sort.SliceStable(d.Objects, func(i, j int) bool { return strings.ToLower(d.Objects[i].Label) < strings.ToLower(d.Objects[j].Label) })
	a.setupPage(w, r, s, http.StatusOK, "setup_sharing", "Sharing Settings", "/setup/sharing", d)
}

// objectDef is the definition UpdateObject takes to keep obj as it is.
func objectDef(obj *metadata.Object) *metadata.Object {
	return &metadata.Object{Label: obj.Label, PluralLabel: obj.PluralLabel, Description: obj.Description, TrackHistory: obj.TrackHistory}
}

// sharingDefaults saves the org-wide defaults the form changes.
func (a *App) sharingDefaults(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	sch, err := a.setupSchema(ctx, s)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	r.ParseForm()
	changed := 0
	for name, vs := range r.PostForm {
		obj := sch.Object(name)
		if obj == nil || len(vs) == 0 || vs[0] == obj.Sharing() {
			continue
		}
		def := objectDef(obj)
		def.SharingModel = vs[0]
		if _, err := a.records.UpdateObject(ctx, obj.Name, def); err != nil {
			a.failed(w, r, s, err)
			return
		}
		changed++
	}
	msg := "Sharing settings saved."
	if changed == 0 {
		msg = "Nothing changed."
	}
	setupDone(w, r, "/setup/sharing", msg)
}

// A ruleRow is a sharing rule as a person reads it.
type ruleRow struct {
	Name   string
	Which  string
	To     string
	Access string
}

type rulesData struct {
	Object *metadata.Object
	Model  string
	Rules  []ruleRow
	Groups []setupOption
	Fields []setupOption
	Ops    []setupOption
	Owner  bool
	Error  string
	// The form's values after a failed add.
	Form map[string]string
}

var ruleOps = []setupOption{
	{Value: "equals", Label: "equals"}, {Value: "notEqual", Label: "not equal to"},
	{Value: "lessThan", Label: "less than"}, {Value: "greaterThan", Label: "greater than"},
	{Value: "lessOrEqual", Label: "less or equal"}, {Value: "greaterOrEqual", Label: "greater or equal"},
	{Value: "contains", Label: "contains"}, {Value: "startsWith", Label: "starts with"},
}

// sharingGroups are the groups rules share from and to, named as the
// security package names them: role:ID, rolesub:ID and public groups'
// IDs.
func (a *App) sharingGroups(ctx context.Context) ([]setupOption, error) {
	roles, err := a.roleTree(ctx)
	if err != nil {
		return nil, err
	}
	var out []setupOption
	for _, rl := range roles {
		out = append(out, setupOption{Value: security.RoleGroup(rl.ID), Label: "Role: " + rl.Name})
		out = append(out, setupOption{Value: security.RoleAndSubordinatesGroup(rl.ID), Label: "Role and subordinates: " + rl.Name})
	}
	err = a.setupEach(ctx, "SELECT Id, Name FROM Group", "Type = 'Regular'", func(rec *query.Record) error {
		out = append(out, setupOption{Value: string(rec.ID), Label: "Public group: " + setupStr(rec, "Name")})
		return nil
	})
	return out, err
}

func (a *App) sharingRulesPage(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderRules(w, r, s, http.StatusOK, "", nil)
}

func (a *App) renderRules(w http.ResponseWriter, r *http.Request, s *session, status int, errMsg string, form map[string]string) {
	ctx := r.Context()
	sch, err := a.setupSchema(ctx, s)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	obj := sch.Object(r.PathValue("object"))
	if obj == nil || len(sharingChoices(obj)) == 0 {
		a.renderError(w, r, s, http.StatusNotFound, "That object has no sharing settings.")
		return
	}
	groups, err := a.sharingGroups(ctx)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	names := map[string]string{}
	for _, g := range groups {
		names[g.Value] = g.Label
	}
	name := func(g string) string {
		if n, ok := names[g]; ok {
			return n
		}
		return g + " (not found)"
	}
	d := rulesData{Object: obj, Model: modelLabel(obj.Sharing()), Groups: groups, Ops: ruleOps, Error: errMsg, Form: form,
		Owner: obj.Field(metadata.FieldOwnerID) != nil}
	if d.Form == nil {
		d.Form = map[string]string{"Kind": "criteria", "Access": "Read"}
		if d.Owner {
			d.Form["Kind"] = "owner"
		}
	}
	for _, rule := range obj.SharingRules {
		row := ruleRow{Name: rule.Name, To: name(rule.To), Access: map[string]string{"Read": "Read Only", "Edit": "Read/Write"}[rule.Access]}
		if rule.From != "" {
			row.Which = "Owned by " + name(rule.From)
		} else {
			label, op := rule.Field, rule.Op
			if f := obj.Field(rule.Field); f != nil {
				label = f.Label
			}
			for _, o := range ruleOps {
				if o.Value == op {
					op = o.Label
				}
			}
			if op == "" {
				op = "equals"
			}
			row.Which = label + " " + op + " “" + rule.Value + "”"
		}
		d.Rules = append(d.Rules, row)
	}
	for _, f := range obj.LiveFields() {
		if f.Stored() && f.Type != metadata.TypeID && f.Storage() != metadata.StoreNone && !f.Type.IsReference() && f.Type != metadata.TypeLongTextArea && f.Type != metadata.TypeHTML {
			d.Fields = append(d.Fields, setupOption{Value: f.Name, Label: f.Label, Selected: f.Name == d.Form["Field"]})
		}
	}
	sort.SliceStable(d.Fields, func(i, j int) bool { return strings.ToLower(d.Fields[i].Label) < strings.ToLower(d.Fields[j].Label) })
	a.setupPage(w, r, s, status, "setup_sharing_rules", obj.Label+" sharing", "/setup/sharing", d)
}

// sharingRuleAdd adds a rule to an object's sharing rules.
func (a *App) sharingRuleAdd(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	sch, err := a.setupSchema(ctx, s)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	obj := sch.Object(r.PathValue("object"))
	if obj == nil {
		a.renderError(w, r, s, http.StatusNotFound, "That object was not found.")
		return
	}
	form := map[string]string{}
	for _, k := range []string{"Name", "Kind", "From", "Field", "Op", "Value", "To", "Access"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	rule := metadata.SharingRule{Name: form["Name"], To: form["To"], Access: form["Access"]}
	if form["Kind"] == "owner" {
		rule.From = form["From"]
	} else {
		rule.Field, rule.Op, rule.Value = form["Field"], form["Op"], form["Value"]
	}
	def := objectDef(obj)
	def.SharingRules = append(append([]metadata.SharingRule{}, obj.SharingRules...), rule)
	if _, err := a.records.UpdateObject(ctx, obj.Name, def); err != nil {
		a.renderRules(w, r, s, http.StatusUnprocessableEntity, message(err), form)
		return
	}
	setupDone(w, r, "/setup/sharing/"+obj.Name, "Sharing rule added.")
}

func (a *App) sharingRuleDelete(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	sch, err := a.setupSchema(ctx, s)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	obj := sch.Object(r.PathValue("object"))
	if obj == nil {
		a.renderError(w, r, s, http.StatusNotFound, "That object was not found.")
		return
	}
	rules := []metadata.SharingRule{}
	for _, rule := range obj.SharingRules {
		if !strings.EqualFold(rule.Name, r.PathValue("name")) {
			rules = append(rules, rule)
		}
	}
	if len(rules) == len(obj.SharingRules) {
		a.renderError(w, r, s, http.StatusNotFound, "That sharing rule was not found.")
		return
	}
	def := objectDef(obj)
	def.SharingRules = rules
	if _, err := a.records.UpdateObject(ctx, obj.Name, def); err != nil {
		a.failed(w, r, s, err)
		return
	}
	setupDone(w, r, "/setup/sharing/"+obj.Name, "Sharing rule deleted.")
}

package web

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/security"
)

// Profiles and permission sets grant the same things, kept the same way:
// a profile's grants live in the permission set it owns. So both are
// edited by one editor, of a permission set: its system permissions (the
// set's checkboxes), its object permissions (ObjectPermissions rows) and
// its field permissions (FieldPermissions rows, "Object.Field").
//
// Forms name what they carry, so that a form may save part of a set: "o"
// lists the objects whose checkboxes ("Account.read", "Account.edit", …)
// follow, "f" the fields ("Industry.read", "Industry.edit"), and "sys"
// says the system permissions are there.

// permSet is a permission set as the editor shows it.
type permSet struct {
	ID          rapport.ID
	Label       string
	Name        string
	Description string
	Profile     rapport.ID // the profile owning it, if any
	ProfileName string
	System      map[string]bool
}

// objPerm is a row of the object permissions table.
type objPerm struct {
	Name, Label                                    string
	Read, Create, Edit, Delete, ViewAll, ModifyAll bool
	id                                             rapport.ID
}

func (p objPerm) same(q objPerm) bool {
	return p.Read == q.Read && p.Create == q.Create && p.Edit == q.Edit && p.Delete == q.Delete && p.ViewAll == q.ViewAll && p.ModifyAll == q.ModifyAll
}

func (p objPerm) any() bool {
	return p.Read || p.Create || p.Edit || p.Delete || p.ViewAll || p.ModifyAll
}

// normalize makes the permissions consistent: each implies those it needs.
func (p *objPerm) normalize() {
	if p.ModifyAll {
		p.Edit, p.Delete, p.ViewAll = true, true, true
	}
	if p.Delete {
		p.Edit = true
	}
	if p.Create || p.Edit || p.ViewAll {
		p.Read = true
	}
}

type sysPerm struct {
	Field, Label string
	On           bool
}

// permsView is the editor's data.
type permsView struct {
	Set     permSet
	Base    string // URL of the editor
	Kind    string // "Profile" or "Permission Set"
	System  []sysPerm
	Objects []objPerm
	Error   string
}

// editorBase is the editor's URL for a set.
func editorBase(set permSet) string {
	if set.Profile != "" {
		return "/setup/profiles/" + string(set.Profile)
	}
	return "/setup/permission-sets/" + string(set.ID)
}

func setupNavOf(set permSet) string {
	if set.Profile != "" {
		return "/setup/profiles"
	}
	return "/setup/permission-sets"
}

// loadSet reads a permission set.
func (a *App) loadSet(ctx context.Context, id rapport.ID) (permSet, error) {
	fields := []string{"Label", "Name", "Description", "ProfileId", "IsOwnedByProfile"}
	for _, p := range metadata.SystemPermissions {
		fields = append(fields, p.Field)
	}
	recs, err := a.records.Get(ctx, "PermissionSet", []string{string(id)}, fields, false)
	if err != nil {
		return permSet{}, err
	}
	if len(recs) != 1 || recs[0] == nil {
		return permSet{}, rapport.Errorf(rapport.NotFound, "That permission set was not found.")
	}
	v := recs[0].Values
	set := permSet{ID: id, System: map[string]bool{}}
	set.Label, _ = v["Label"].(string)
	set.Name, _ = v["Name"].(string)
	set.Description, _ = v["Description"].(string)
	if v["IsOwnedByProfile"] == true {
		set.Profile, _ = v["ProfileId"].(rapport.ID)
	}
	for _, p := range metadata.SystemPermissions {
		set.System[p.Field], _ = v[p.Field].(bool)
	}
	if set.Profile != "" {
		if ps, err := a.records.Get(ctx, "Profile", []string{string(set.Profile)}, []string{"Name"}, false); err == nil && len(ps) == 1 && ps[0] != nil {
			set.ProfileName, _ = ps[0].Values["Name"].(string)
		}
	}
	return set, nil
}

// profileSet finds the permission set a profile owns.
func (a *App) profileSet(ctx context.Context, profile rapport.ID) (rapport.ID, error) {
	res, err := a.query.Run(ctx, "SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = true AND ProfileId = "+soqlString(string(profile))+" LIMIT 1", query.Options{})
	if err != nil {
		return "", err
	}
	if len(res.Records) == 0 {
		return "", rapport.Errorf(rapport.NotFound, "That profile was not found.")
	}
	return res.Records[0].ID, nil
}

// setOf reads the set the path names: a profile's own set under
// /setup/profiles, a permission set (not a profile's) under
// /setup/permission-sets.
func (a *App) setOf(w http.ResponseWriter, r *http.Request, s *session, profile bool) (permSet, bool) {
	id, ok := setupID(r, "id")
	if !ok {
		a.renderError(w, r, s, http.StatusNotFound, "That page was not found.")
		return permSet{}, false
	}
	ctx := r.Context()
	if profile {
		if id.Prefix() != "00e" {
			a.renderError(w, r, s, http.StatusNotFound, "That profile was not found.")
			return permSet{}, false
		}
		setID, err := a.profileSet(ctx, id)
		if err != nil {
			a.failed(w, r, s, err)
			return permSet{}, false
		}
		id = setID
	} else if id.Prefix() != "0PS" {
		a.renderError(w, r, s, http.StatusNotFound, "That permission set was not found.")
		return permSet{}, false
	}
	set, err := a.loadSet(ctx, id)
	if err != nil {
		a.failed(w, r, s, err)
		return permSet{}, false
	}
	if !profile && set.Profile != "" {
		http.Redirect(w, r, editorBase(set), http.StatusSeeOther)
		return permSet{}, false
	}
	return set, true
}

// objectPerms reads a set's object permissions by lower-case object name.
func (a *App) objectPerms(ctx context.Context, set rapport.ID) (map[string]objPerm, error) {
	out := map[string]objPerm{}
	err := a.setupEach(ctx, "SELECT Id, SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions",
		"ParentId = "+soqlString(string(set)), func(rec *query.Record) error {
			out[strings.ToLower(setupStr(rec, "SobjectType"))] = objPerm{id: rec.ID, Name: setupStr(rec, "SobjectType"),
				Read: setupBool(rec, "PermissionsRead"), Create: setupBool(rec, "PermissionsCreate"), Edit: setupBool(rec, "PermissionsEdit"),
				Delete: setupBool(rec, "PermissionsDelete"), ViewAll: setupBool(rec, "PermissionsViewAllRecords"), ModifyAll: setupBool(rec, "PermissionsModifyAllRecords")}
			return nil
		})
	return out, err
}

func (a *App) renderPerms(w http.ResponseWriter, r *http.Request, s *session, status int, set permSet, errMsg string) {
	ctx := r.Context()
	sch, err := a.setupSchema(ctx, s)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	have, err := a.objectPerms(ctx, set.ID)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	v := permsView{Set: set, Base: editorBase(set), Kind: "Permission Set", Error: errMsg}
	if set.Profile != "" {
		v.Kind = "Profile"
	}
	for _, p := range metadata.SystemPermissions {
		v.System = append(v.System, sysPerm{Field: p.Field, Label: p.Label, On: set.System[p.Field]})
	}
	for _, o := range sch.Objects() {
		op := have[strings.ToLower(o.Name)]
		op.Name, op.Label = o.Name, o.Label
		v.Objects = append(v.Objects, op)
	}
	sort.SliceStable(v.Objects, func(i, j int) bool { return strings.ToLower(v.Objects[i].Label) < strings.ToLower(v.Objects[j].Label) })
	title := set.Label
	if set.ProfileName != "" {
		title = set.ProfileName
	}
	a.setupPage(w, r, s, status, "setup_permsets_edit", title, setupNavOf(set), v)
}

func (a *App) profilePage(w http.ResponseWriter, r *http.Request, s *session) {
	if set, ok := a.setOf(w, r, s, true); ok {
		a.renderPerms(w, r, s, http.StatusOK, set, "")
	}
}

func (a *App) permSetPage(w http.ResponseWriter, r *http.Request, s *session) {
	if set, ok := a.setOf(w, r, s, false); ok {
		a.renderPerms(w, r, s, http.StatusOK, set, "")
	}
}

func (a *App) profileSave(w http.ResponseWriter, r *http.Request, s *session) {
	if set, ok := a.setOf(w, r, s, true); ok {
		a.savePerms(w, r, s, set)
	}
}

func (a *App) permSetSave(w http.ResponseWriter, r *http.Request, s *session) {
	if set, ok := a.setOf(w, r, s, false); ok {
		a.savePerms(w, r, s, set)
	}
}

// savePerms writes the system and object permissions a form carries, as
// the administrator (so the audit trail records each change).
func (a *App) savePerms(w http.ResponseWriter, r *http.Request, s *session, set permSet) {
	ctx := r.Context()
	r.ParseForm()
	form := r.PostForm
	on := func(k string) bool { return form.Get(k) == "true" }
	if form.Get("sys") != "" {
		rec := map[string]any{"Id": string(set.ID)}
		next := map[string]bool{}
		for _, p := range metadata.SystemPermissions {
			next[p.Field] = on(p.Field)
			if next[p.Field] != set.System[p.Field] {
				rec[p.Field] = next[p.Field]
			}
		}
		if a.ownProfile(ctx, s, set) && !(next[security.ModifyAllData] || next[security.CustomizeApplication] || next[security.ManageUsers]) {
			a.renderPerms(w, r, s, http.StatusUnprocessableEntity, set, "This is your own profile: keep Customize Application, Manage Users or Modify All Data, or you would lose Setup.")
			return
		}
		if len(rec) > 1 {
			rs, err := a.records.Update(ctx, "PermissionSet", []map[string]any{rec}, recordOptions())
			if err := setupErr(rs, err); err != nil {
				a.renderPerms(w, r, s, http.StatusUnprocessableEntity, set, message(err))
				return
			}
		}
	}
	if objs := form["o"]; len(objs) > 0 {
		sch, err := a.setupSchema(ctx, s)
		if err != nil {
			a.failed(w, r, s, err)
			return
		}
		have, err := a.objectPerms(ctx, set.ID)
		if err != nil {
			a.failed(w, r, s, err)
			return
		}
		var creates, updates []map[string]any
		for _, name := range objs {
			obj := sch.Object(name)
			if obj == nil {
				continue
			}
			want := objPerm{Read: on(name + ".read"), Create: on(name + ".create"), Edit: on(name + ".edit"), Delete: on(name + ".delete"),
				ViewAll: on(name + ".viewall"), ModifyAll: on(name + ".modifyall")}
			want.normalize()
			cur, exists := have[strings.ToLower(obj.Name)]
			if exists && cur.same(want) || !exists && !want.any() {
				continue
			}
			rec := map[string]any{"PermissionsRead": want.Read, "PermissionsCreate": want.Create, "PermissionsEdit": want.Edit,
				"PermissionsDelete": want.Delete, "PermissionsViewAllRecords": want.ViewAll, "PermissionsModifyAllRecords": want.ModifyAll}
			if exists {
				rec["Id"] = string(cur.id)
				updates = append(updates, rec)
			} else {
				rec["ParentId"], rec["SobjectType"] = string(set.ID), obj.Name
				creates = append(creates, rec)
			}
		}
		if err := a.writeBatches(ctx, "ObjectPermissions", creates, updates); err != nil {
			a.renderPerms(w, r, s, http.StatusUnprocessableEntity, set, message(err))
			return
		}
	}
	setupDone(w, r, editorBase(set), "Permissions saved.")
}

// ownProfile reports whether set is the signed-in user's profile's.
func (a *App) ownProfile(ctx context.Context, s *session, set permSet) bool {
	if set.Profile == "" {
		return false
	}
	us, err := a.records.Get(ctx, "User", []string{string(s.Principal.UserID)}, []string{"ProfileId"}, false)
	return err == nil && len(us) == 1 && us[0] != nil && us[0].Values["ProfileId"] == set.Profile
}

// writeBatches creates and updates records of object in batches the
// record service takes.
func (a *App) writeBatches(ctx context.Context, object string, creates, updates []map[string]any) error {
	for _, job := range []struct {
		recs []map[string]any
		op   func(context.Context, string, []map[string]any, record.WriteOptions) ([]record.Result, error)
	}{{creates, a.records.Create}, {updates, a.records.Update}} {
		for lo := 0; lo < len(job.recs); lo += record.MaxBatch {
			rs, err := job.op(ctx, object, job.recs[lo:min(lo+record.MaxBatch, len(job.recs))], recordOptions())
			if err := setupErr(rs, err); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldPerm is a row of the field permissions table.
type fieldPerm struct {
	Name, Label string
	// Always: readable with the object whatever the grants (system, name
	// and required fields); Writable: a field users may edit at all.
	Always, Writable bool
	Read, Edit       bool
	id               rapport.ID
}

type fieldsView struct {
	Set    permSet
	Base   string
	Object *metadata.Object
	Fields []fieldPerm
}

// alwaysReadable are the fields every reader of the object sees.
func alwaysReadable(f *metadata.Field) bool {
	return f.System || f.NameField || f.Required || f.Name == metadata.FieldOwnerID || f.Type == metadata.TypeID
}

// fieldPerms reads a set's field permissions on obj by lower-case field
// name.
func (a *App) fieldPerms(ctx context.Context, set rapport.ID, obj *metadata.Object) (map[string]fieldPerm, error) {
	out := map[string]fieldPerm{}
	err := a.setupEach(ctx, "SELECT Id, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions",
		"ParentId = "+soqlString(string(set))+" AND SobjectType = "+soqlString(obj.Name), func(rec *query.Record) error {
			name := setupStr(rec, "Field")
			if _, f, ok := strings.Cut(name, "."); ok {
				name = f
			}
			out[strings.ToLower(name)] = fieldPerm{id: rec.ID, Read: setupBool(rec, "PermissionsRead"), Edit: setupBool(rec, "PermissionsEdit")}
			return nil
		})
	return out, err
}

func (a *App) fieldsObject(w http.ResponseWriter, r *http.Request, s *session) (*metadata.Object, bool) {
	sch, err := a.setupSchema(r.Context(), s)
	if err != nil {
		a.failed(w, r, s, err)
		return nil, false
	}
	obj := sch.Object(r.PathValue("object"))
	if obj == nil {
		a.renderError(w, r, s, http.StatusNotFound, "That object was not found.")
		return nil, false
	}
	return obj, true
}

func (a *App) renderFields(w http.ResponseWriter, r *http.Request, s *session, set permSet) {
	obj, ok := a.fieldsObject(w, r, s)
	if !ok {
		return
	}
	have, err := a.fieldPerms(r.Context(), set.ID, obj)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	v := fieldsView{Set: set, Base: editorBase(set), Object: obj}
	for _, f := range obj.LiveFields() {
		fp := have[strings.ToLower(f.Name)]
		fp.Name, fp.Label = f.Name, f.Label
		fp.Always = alwaysReadable(f)
		fp.Writable = f.Writable(true) || f.Writable(false)
		if fp.Always {
			fp.Read = true
		}
		v.Fields = append(v.Fields, fp)
	}
	sort.SliceStable(v.Fields, func(i, j int) bool { return strings.ToLower(v.Fields[i].Label) < strings.ToLower(v.Fields[j].Label) })
	title := set.Label
	if set.ProfileName != "" {
		title = set.ProfileName
	}
	a.setupPage(w, r, s, http.StatusOK, "setup_permsets_fields", title+" · "+obj.Label, setupNavOf(set), v)
}

func (a *App) profileFields(w http.ResponseWriter, r *http.Request, s *session) {
	if set, ok := a.setOf(w, r, s, true); ok {
		a.renderFields(w, r, s, set)
	}
}

func (a *App) permSetFields(w http.ResponseWriter, r *http.Request, s *session) {
	if set, ok := a.setOf(w, r, s, false); ok {
		a.renderFields(w, r, s, set)
	}
}

func (a *App) profileFieldsSave(w http.ResponseWriter, r *http.Request, s *session) {
	if set, ok := a.setOf(w, r, s, true); ok {
		a.saveFields(w, r, s, set)
	}
}

func (a *App) permSetFieldsSave(w http.ResponseWriter, r *http.Request, s *session) {
	if set, ok := a.setOf(w, r, s, false); ok {
		a.saveFields(w, r, s, set)
	}
}

// saveFields writes the field permissions the form carries.
func (a *App) saveFields(w http.ResponseWriter, r *http.Request, s *session, set permSet) {
	ctx := r.Context()
	obj, ok := a.fieldsObject(w, r, s)
	if !ok {
		return
	}
	have, err := a.fieldPerms(ctx, set.ID, obj)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	r.ParseForm()
	form := r.PostForm
	var creates, updates []map[string]any
	for _, name := range form["f"] {
		f := obj.Field(name)
		if f == nil || alwaysReadable(f) {
			continue
		}
		edit := form.Get(name+".edit") == "true" && (f.Writable(true) || f.Writable(false))
		read := edit || form.Get(name+".read") == "true"
		cur, exists := have[strings.ToLower(f.Name)]
		if exists && cur.Read == read && cur.Edit == edit || !exists && !read {
			continue
		}
		rec := map[string]any{"PermissionsRead": read, "PermissionsEdit": edit}
		if exists {
			rec["Id"] = string(cur.id)
			updates = append(updates, rec)
		} else {
			rec["ParentId"], rec["SobjectType"], rec["Field"] = string(set.ID), obj.Name, obj.Name+"."+f.Name
			creates = append(creates, rec)
		}
	}
	if err := a.writeBatches(ctx, "FieldPermissions", creates, updates); err != nil {
		a.failed(w, r, s, err)
		return
	}
	setupDone(w, r, editorBase(set)+"/fields/"+obj.Name, "Field permissions saved.")
}

// profileRow is a profile in the list.
type profileRow struct {
	ID          rapport.ID
	Name        string
	Description string
}

type profilesData struct {
	Profiles []profileRow
	Name     string
	Source   rapport.ID
	Error    string
}

func (a *App) profilesList(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderProfiles(w, r, s, http.StatusOK, profilesData{})
}

func (a *App) renderProfiles(w http.ResponseWriter, r *http.Request, s *session, status int, d profilesData) {
	err := a.setupEach(r.Context(), "SELECT Id, Name, Description FROM Profile", "", func(rec *query.Record) error {
		d.Profiles = append(d.Profiles, profileRow{ID: rec.ID, Name: setupStr(rec, "Name"), Description: setupStr(rec, "Description")})
		return nil
	})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	sort.Slice(d.Profiles, func(i, j int) bool { return strings.ToLower(d.Profiles[i].Name) < strings.ToLower(d.Profiles[j].Name) })
	a.setupPage(w, r, s, status, "setup_profiles", "Profiles", "/setup/profiles", d)
}

// profileClone makes a new profile with the permissions of another. The
// profile is created as the administrator (audited); its grants are
// copied as the system, so that the trail says "created profile" once
// rather than once per field.
func (a *App) profileClone(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	d := profilesData{Name: strings.TrimSpace(r.PostFormValue("Name")), Source: rapport.ID(r.PostFormValue("Source"))}
	srcSet, err := a.profileSet(ctx, d.Source)
	if err != nil {
		d.Error = "Choose the profile to start from."
		a.renderProfiles(w, r, s, http.StatusUnprocessableEntity, d)
		return
	}
	src, err := a.loadSet(ctx, srcSet)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	rs, err := a.records.Create(ctx, "Profile", []map[string]any{{"Name": d.Name, "Description": "A copy of " + src.ProfileName + "."}}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		d.Error = message(err)
		a.renderProfiles(w, r, s, http.StatusUnprocessableEntity, d)
		return
	}
	profile := rs[0].ID
	newSet, err := a.profileSet(ctx, profile)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	if err := a.copyGrants(setupSys(ctx, s), src, newSet); err != nil {
		a.failed(w, r, s, err)
		return
	}
	setupDone(w, r, "/setup/profiles/"+string(profile), "Profile "+d.Name+" created.")
}

// copyGrants gives set to the system, object and field permissions of src.
func (a *App) copyGrants(ctx context.Context, src permSet, to rapport.ID) error {
	rec := map[string]any{"Id": string(to)}
	for k, v := range src.System {
		rec[k] = v
	}
	if rs, err := a.records.Update(ctx, "PermissionSet", []map[string]any{rec}, recordOptions()); setupErr(rs, err) != nil {
		return setupErr(rs, err)
	}
	var objs []map[string]any
	err := a.setupEach(ctx, "SELECT Id, SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions",
		"ParentId = "+soqlString(string(src.ID)), func(rec *query.Record) error {
			m := map[string]any{"ParentId": string(to), "SobjectType": setupStr(rec, "SobjectType")}
			for _, f := range []string{"PermissionsRead", "PermissionsCreate", "PermissionsEdit", "PermissionsDelete", "PermissionsViewAllRecords", "PermissionsModifyAllRecords"} {
				m[f] = setupBool(rec, f)
			}
			objs = append(objs, m)
			return nil
		})
	if err != nil {
		return err
	}
	var fields []map[string]any
	err = a.setupEach(ctx, "SELECT Id, SobjectType, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions",
		"ParentId = "+soqlString(string(src.ID)), func(rec *query.Record) error {
			fields = append(fields, map[string]any{"ParentId": string(to), "SobjectType": setupStr(rec, "SobjectType"), "Field": setupStr(rec, "Field"),
				"PermissionsRead": setupBool(rec, "PermissionsRead"), "PermissionsEdit": setupBool(rec, "PermissionsEdit")})
			return nil
		})
	if err != nil {
		return err
	}
	if err := a.writeBatches(ctx, "ObjectPermissions", objs, nil); err != nil {
		return err
	}
	return a.writeBatches(ctx, "FieldPermissions", fields, nil)
}

type permSetsData struct {
	Sets  []permSet
	Label string
	Name  string
	Error string
}

func (a *App) permSetsList(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderPermSets(w, r, s, http.StatusOK, permSetsData{})
}

func (a *App) renderPermSets(w http.ResponseWriter, r *http.Request, s *session, status int, d permSetsData) {
	err := a.setupEach(r.Context(), "SELECT Id, Label, Name, Description FROM PermissionSet", "IsOwnedByProfile = false", func(rec *query.Record) error {
		d.Sets = append(d.Sets, permSet{ID: rec.ID, Label: setupStr(rec, "Label"), Name: setupStr(rec, "Name"), Description: setupStr(rec, "Description")})
		return nil
	})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	sort.Slice(d.Sets, func(i, j int) bool { return strings.ToLower(d.Sets[i].Label) < strings.ToLower(d.Sets[j].Label) })
	a.setupPage(w, r, s, status, "setup_permsets", "Permission Sets", "/setup/permission-sets", d)
}

// setupAPIName makes an API name from a label: letters, digits and single
// underscores, starting with a letter.
func setupAPIName(label string) string {
	var b strings.Builder
	under := false
	for _, r := range label {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' && b.Len() > 0:
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
		default:
			under = true
		}
	}
	return b.String()
}

func (a *App) permSetCreate(w http.ResponseWriter, r *http.Request, s *session) {
	d := permSetsData{Label: strings.TrimSpace(r.PostFormValue("Label")), Name: strings.TrimSpace(r.PostFormValue("Name"))}
	if d.Name == "" {
		d.Name = setupAPIName(d.Label)
	}
	rs, err := a.records.Create(r.Context(), "PermissionSet", []map[string]any{{"Label": d.Label, "Name": d.Name, "Description": strings.TrimSpace(r.PostFormValue("Description"))}}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		d.Error = message(err)
		a.renderPermSets(w, r, s, http.StatusUnprocessableEntity, d)
		return
	}
	setupDone(w, r, "/setup/permission-sets/"+string(rs[0].ID), "Permission set "+d.Label+" created.")
}

// assignmentRow is a user holding a permission set.
type assignmentRow struct {
	ID       rapport.ID
	User     rapport.ID
	Name     string
	Username string
}

type assignmentsData struct {
	Set      permSet
	Assigned []assignmentRow
	Users    []setupOption
	Error    string
}

func (a *App) assignmentsPage(w http.ResponseWriter, r *http.Request, s *session) {
	if set, ok := a.setOf(w, r, s, false); ok {
		a.renderAssignments(w, r, s, http.StatusOK, set, "")
	}
}

func (a *App) renderAssignments(w http.ResponseWriter, r *http.Request, s *session, status int, set permSet, errMsg string) {
	ctx := r.Context()
	d := assignmentsData{Set: set, Error: errMsg}
	has := map[rapport.ID]bool{}
	err := a.setupEach(ctx, "SELECT Id, AssigneeId, Assignee.Name, Assignee.Username FROM PermissionSetAssignment", "PermissionSetId = "+soqlString(string(set.ID)), func(rec *query.Record) error {
		u := rapport.ID(setupStr(rec, "AssigneeId"))
		has[u] = true
		d.Assigned = append(d.Assigned, assignmentRow{ID: rec.ID, User: u, Name: setupStr(rec, "Assignee.Name"), Username: setupStr(rec, "Assignee.Username")})
		return nil
	})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	err = a.setupEach(ctx, "SELECT Id, Name, Username FROM User", "IsActive = true", func(rec *query.Record) error {
		if !has[rec.ID] {
			d.Users = append(d.Users, setupOption{Value: string(rec.ID), Label: setupStr(rec, "Name") + " (" + setupStr(rec, "Username") + ")"})
		}
		return nil
	})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	sort.Slice(d.Assigned, func(i, j int) bool { return strings.ToLower(d.Assigned[i].Name) < strings.ToLower(d.Assigned[j].Name) })
	sort.Slice(d.Users, func(i, j int) bool { return strings.ToLower(d.Users[i].Label) < strings.ToLower(d.Users[j].Label) })
	a.setupPage(w, r, s, status, "setup_permsets_assign", set.Label+" · Assignments", "/setup/permission-sets", d)
}

func (a *App) assignmentAdd(w http.ResponseWriter, r *http.Request, s *session) {
	set, ok := a.setOf(w, r, s, false)
	if !ok {
		return
	}
	rs, err := a.records.Create(r.Context(), "PermissionSetAssignment", []map[string]any{{"AssigneeId": r.PostFormValue("AssigneeId"), "PermissionSetId": string(set.ID)}}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		a.renderAssignments(w, r, s, http.StatusUnprocessableEntity, set, message(err))
		return
	}
	setupDone(w, r, "/setup/permission-sets/"+string(set.ID)+"/assignments", "Permission set assigned.")
}

func (a *App) assignmentRemove(w http.ResponseWriter, r *http.Request, s *session) {
	set, ok := a.setOf(w, r, s, false)
	if !ok {
		return
	}
	aid, ok := setupID(r, "aid")
	if !ok || aid.Prefix() != "0Pa" {
		a.renderError(w, r, s, http.StatusNotFound, "That assignment was not found.")
		return
	}
	res, err := a.query.Run(r.Context(), "SELECT Id FROM PermissionSetAssignment WHERE Id = "+soqlString(string(aid))+" AND PermissionSetId = "+soqlString(string(set.ID)), query.Options{})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	if len(res.Records) == 0 {
		a.renderError(w, r, s, http.StatusNotFound, "That assignment was not found.")
		return
	}
	rs, err := a.records.HardDelete(r.Context(), []string{string(aid)}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		a.failed(w, r, s, err)
		return
	}
	setupDone(w, r, "/setup/permission-sets/"+string(set.ID)+"/assignments", "Assignment removed.")
}

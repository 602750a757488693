package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// objectManagerRoutes adds the Object Manager: objects, fields, picklist
// values, relationships and field history tracking.
func (a *App) objectManagerRoutes(admin func(pattern string, h handlerFunc)) {
	admin("GET /setup/objects", a.objectList)
	admin("GET /setup/objects/new", a.objectNew)
	admin("POST /setup/objects", a.objectCreate)
	admin("GET /setup/objects/api-name", a.apiNameHint)
	admin("GET /setup/objects/{object}", a.objectPage)
	admin("GET /setup/objects/{object}/edit", a.objectEdit)
	admin("POST /setup/objects/{object}", a.objectSave)
	admin("POST /setup/objects/{object}/delete", a.objectDelete)
	admin("POST /setup/objects/{object}/undelete", a.objectUndelete)
	admin("POST /setup/objects/{object}/purge", a.objectPurge)
	a.fieldManagerRoutes(admin)
}

// objectsURL is the Object Manager's page of an object.
func objectsURL(object string) string { return "/setup/objects/" + url.PathEscape(object) }

// objectRow is one object in the Object Manager's list.
type objectRow struct {
	Name, Label, Prefix, Description string
	Custom                           bool
}

type objectListData struct {
	Query   string
	Objects []objectRow
	Deleted []objectRow
}

func (a *App) objectList(w http.ResponseWriter, r *http.Request, s *session) {
	sch, err := a.records.Schema(r.Context(), s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := objectListData{Query: q}
	needle := strings.ToLower(q)
	for _, o := range sch.AllObjects() {
		row := objectRow{Name: o.Name, Label: o.Label, Prefix: o.KeyPrefix, Description: o.Description, Custom: o.Custom}
		if o.Deleted {
			d.Deleted = append(d.Deleted, row)
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(o.Label), needle) && !strings.Contains(strings.ToLower(o.Name), needle) {
			continue
		}
		d.Objects = append(d.Objects, row)
	}
	sort.SliceStable(d.Objects, func(i, j int) bool { return strings.ToLower(d.Objects[i].Label) < strings.ToLower(d.Objects[j].Label) })
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "objects-table" {
		a.renderFragment(w, r, s, http.StatusOK, "setup_objects", "objects_table", setupView{Page: d})
		return
	}
	a.setupPage(w, r, s, http.StatusOK, "setup_objects", "Object Manager", "/setup/objects", d)
}

// objectForm is the form that creates or edits a custom object.
type objectForm struct {
	Editing  bool
	Original string // the object's API name when editing
	Custom   bool
	Detail   bool // the detail of a master-detail relationship

	Label, PluralLabel, Name, Description string
	NameLabel, NameType                   string
	DisplayFormat, StartingNumber         string
	TrackHistory                          bool
	Sharing                               string

	Errors map[string]string
	Error  string
}

// objectSharings are the org-wide defaults an object's owner-based access
// can have.
var objectSharings = []struct{ Value, Label string }{
	{metadata.SharingPrivate, "Private"},
	{metadata.SharingRead, "Public Read Only"},
	{metadata.SharingReadWrite, "Public Read/Write"},
}

// NameInput is the API name box.
func (f *objectForm) NameInput() template.HTML {
	return apiNameInput(f.Name, customAPIName(f.Label), f.Errors["name"])
}

// Sharings are the org-wide defaults the form offers.
func (f *objectForm) Sharings() []struct{ Value, Label string } { return objectSharings }

func validSharing(model string) bool {
	for _, c := range objectSharings {
		if c.Value == model {
			return true
		}
	}
	return false
}

func sharingLabel(model string) string {
	for _, c := range objectSharings {
		if c.Value == model {
			return c.Label
		}
	}
	if model == metadata.SharingControlledByParent {
		return "Controlled by Parent"
	}
	return model
}

func (a *App) objectNew(w http.ResponseWriter, r *http.Request, s *session) {
	f := &objectForm{Custom: true, NameType: string(metadata.TypeText), Sharing: metadata.SharingReadWrite, DisplayFormat: "A-{0000}", StartingNumber: "1"}
	a.objectFormPage(w, r, s, http.StatusOK, f)
}

func (a *App) objectFormPage(w http.ResponseWriter, r *http.Request, s *session, status int, f *objectForm) {
	title := "New custom object"
	if f.Editing {
		title = "Edit " + f.Label
	}
	if r.Method == http.MethodPost && r.Header.Get("HX-Request") == "true" {
		a.renderFragment(w, r, s, status, "setup_object_form", "object_form", setupView{Page: f})
		return
	}
	a.setupPage(w, r, s, status, "setup_object_form", title, "/setup/objects", f)
}

// readObjectForm reads the object form, checking what the page can check
// itself; the record service checks the rest.
func readObjectForm(r *http.Request, f *objectForm) {
	f.Errors = map[string]string{}
	f.Label = strings.TrimSpace(r.PostFormValue("label"))
	f.PluralLabel = strings.TrimSpace(r.PostFormValue("plural"))
	f.Description = strings.TrimSpace(r.PostFormValue("description"))
	f.TrackHistory = r.PostFormValue("track") == "on"
	f.Sharing = r.PostFormValue("sharing")
	f.NameLabel = strings.TrimSpace(r.PostFormValue("name_label"))
	if !f.Editing {
		f.Name = strings.TrimSpace(r.PostFormValue("name"))
		f.NameType = r.PostFormValue("name_type")
		f.DisplayFormat = strings.TrimSpace(r.PostFormValue("display_format"))
		f.StartingNumber = strings.TrimSpace(r.PostFormValue("starting_number"))
	} else if n := strings.TrimSpace(r.PostFormValue("name")); n != "" && f.Custom {
		f.Name = n
	}
	if f.Label == "" {
		f.Errors["label"] = "Enter a label."
	}
	if f.PluralLabel == "" && f.Label != "" {
		f.PluralLabel = f.Label + "s"
	}
	if f.Name == "" && f.Label != "" {
		f.Name = customAPIName(f.Label)
	}
	if f.Name != "" && !strings.HasSuffix(f.Name, "__c") {
		f.Name += "__c"
	}
	if !f.Editing && f.NameType == string(metadata.TypeAutoNumber) {
		if !strings.Contains(f.DisplayFormat, "{0") {
			f.Errors["display_format"] = "An auto-number display format needs a number such as {0000}."
		}
		if f.StartingNumber != "" {
			if n, err := strconv.ParseInt(f.StartingNumber, 10, 64); err != nil || n < 0 {
				f.Errors["starting_number"] = "Enter a whole number, 0 or more."
			}
		}
	}
	if f.Sharing != "" && !f.Detail && !validSharing(f.Sharing) {
		f.Errors["sharing"] = "Choose an org-wide default."
	}
}

func (a *App) objectCreate(w http.ResponseWriter, r *http.Request, s *session) {
	f := &objectForm{Custom: true}
	readObjectForm(r, f)
	if len(f.Errors) > 0 {
		a.objectFormPage(w, r, s, http.StatusUnprocessableEntity, f)
		return
	}
	name := &metadata.Field{Name: "Name", NameField: true, Label: f.NameLabel, Type: metadata.TypeText}
	if f.NameType == string(metadata.TypeAutoNumber) {
		name.Type = metadata.TypeAutoNumber
		name.DisplayFormat = f.DisplayFormat
		name.StartingNumber, _ = strconv.ParseInt(f.StartingNumber, 10, 64)
	}
	def := &metadata.Object{
		Name: f.Name, Label: f.Label, PluralLabel: f.PluralLabel, Description: f.Description,
		TrackHistory: f.TrackHistory, Fields: []*metadata.Field{name},
	}
	o, err := a.records.CreateObject(r.Context(), def)
	if err == nil && f.Sharing != "" && f.Sharing != o.Sharing() {
		// CreateObject takes no org-wide default: set it right after.
		_, err = a.records.UpdateObject(r.Context(), o.Name, &metadata.Object{
			Label: o.Label, PluralLabel: o.PluralLabel, Description: o.Description, TrackHistory: o.TrackHistory, SharingModel: f.Sharing,
		})
	}
	if err != nil {
		a.objectFailed(w, r, s, f, err)
		return
	}
	a.setupRedirect(w, r, objectsURL(o.Name)+"?flash="+url.QueryEscape("Created "+o.Label+". Its tab is in the navigation bar."))
}

// objectFailed shows a failed save of the object form: the service's
// message next to the input it names, or at the top.
func (a *App) objectFailed(w http.ResponseWriter, r *http.Request, s *session, f *objectForm, err error) {
	var re *rapport.Error
	if !errors.As(err, &re) || re.Code == rapport.Internal {
		a.serverError(w, r, err)
		return
	}
	if re.Code == rapport.InsufficientAccess {
		a.renderError(w, r, s, http.StatusForbidden, message(err))
		return
	}
	f.Errors = map[string]string{}
	key := ""
	for _, name := range re.Fields {
		switch {
		case name == "Label":
			key = "label"
		case name == "Name":
			key = "display_format"
			if f.NameType != string(metadata.TypeAutoNumber) {
				key = "name_label"
			}
		case strings.EqualFold(name, f.Name) || strings.EqualFold(name, f.Original):
			key = "name"
		}
	}
	if re.Code == rapport.DuplicateDeveloperName || re.Code == rapport.InvalidField {
		key = "name"
	}
	if key != "" {
		f.Errors[key] = message(err)
	} else {
		f.Error = message(err)
	}
	a.objectFormPage(w, r, s, http.StatusUnprocessableEntity, f)
}

func (a *App) objectEdit(w http.ResponseWriter, r *http.Request, s *session) {
	o, ok := a.setupObject(w, r, s)
	if !ok {
		return
	}
	f := &objectForm{
		Editing: true, Original: o.Name, Custom: o.Custom, Detail: o.Sharing() == metadata.SharingControlledByParent,
		Label: o.Label, PluralLabel: o.PluralLabel, Name: o.Name, Description: o.Description,
		TrackHistory: o.TrackHistory, Sharing: o.Sharing(),
	}
	if nf := o.Field(o.NameField); nf != nil {
		f.NameLabel, f.NameType = nf.Label, string(nf.Type)
	}
	a.objectFormPage(w, r, s, http.StatusOK, f)
}

func (a *App) objectSave(w http.ResponseWriter, r *http.Request, s *session) {
	o, ok := a.setupObject(w, r, s)
	if !ok {
		return
	}
	f := &objectForm{Editing: true, Original: o.Name, Custom: o.Custom, Detail: o.Sharing() == metadata.SharingControlledByParent, Name: o.Name}
	if nf := o.Field(o.NameField); nf != nil {
		f.NameType = string(nf.Type)
	}
	readObjectForm(r, f)
	if len(f.Errors) > 0 {
		a.objectFormPage(w, r, s, http.StatusUnprocessableEntity, f)
		return
	}
	def := &metadata.Object{Label: f.Label, PluralLabel: f.PluralLabel, Description: f.Description, TrackHistory: f.TrackHistory}
	if o.Custom && f.Name != o.Name {
		def.Name = f.Name
	}
	if !f.Detail && f.Sharing != o.Sharing() {
		def.SharingModel = f.Sharing
	}
	updated, err := a.records.UpdateObject(r.Context(), o.Name, def)
	if err == nil {
		if nf := updated.Field(updated.NameField); nf != nil && f.NameLabel != "" && f.NameLabel != nf.Label {
			c := nf.Clone()
			c.Label = f.NameLabel
			_, err = a.records.UpdateField(r.Context(), updated.Name, nf.Name, c)
		}
	}
	if err != nil {
		a.objectFailed(w, r, s, f, err)
		return
	}
	a.setupRedirect(w, r, objectsURL(updated.Name)+"?flash="+url.QueryEscape("Saved "+updated.Label+"."))
}

// setupObject is the live object the request's path names, or an answered
// request.
func (a *App) setupObject(w http.ResponseWriter, r *http.Request, s *session) (*metadata.Object, bool) {
	sch, err := a.records.Schema(r.Context(), s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return nil, false
	}
	o := sch.Object(r.PathValue("object"))
	if o == nil {
		a.renderError(w, r, s, http.StatusNotFound, "There is no object named "+r.PathValue("object")+".")
		return nil, false
	}
	return o, true
}

// fieldRow is one field in an object's fields table.
type fieldRow struct {
	Name, Label, Type                             string
	Required, Unique, ExternalID, Tracked, Custom bool
	System                                        bool
}

// relRow is one relationship of an object.
type relRow struct {
	Object, ObjectLabel, Field, FieldLabel, Name, Type, Constraint string
}

type objectPageData struct {
	Object        *metadata.Object
	Sharing       string
	Fields        []fieldRow
	DeletedFields []fieldRow
	Lookups       []relRow
	Children      []relRow
	Query         string
}

func (a *App) objectPage(w http.ResponseWriter, r *http.Request, s *session) {
	sch, err := a.records.Schema(r.Context(), s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return
	}
	o := sch.Object(r.PathValue("object"))
	if o == nil {
		a.renderError(w, r, s, http.StatusNotFound, "There is no object named "+r.PathValue("object")+".")
		return
	}
	d := objectPageData{Object: o, Sharing: sharingLabel(o.Sharing())}
	for _, f := range o.Fields {
		row := fieldRow{
			Name: f.Name, Label: f.Label, Type: describeField(sch, f), Required: f.Required, Unique: f.Unique,
			ExternalID: f.ExternalID, Tracked: f.TrackHistory, Custom: f.Custom, System: f.System,
		}
		if f.Deleted {
			d.DeletedFields = append(d.DeletedFields, row)
			continue
		}
		d.Fields = append(d.Fields, row)
		if f.Type.IsReference() {
			for _, t := range f.ReferenceTo {
				label := t
				if to := sch.Object(t); to != nil {
					label = to.Label
				}
				d.Lookups = append(d.Lookups, relRow{Object: t, ObjectLabel: label, Field: f.Name, FieldLabel: f.Label, Name: f.RelationshipName, Type: typeLabel(f.Type), Constraint: constraintLabel(f.DeleteConstraint)})
			}
		}
	}
	sort.SliceStable(d.Fields, func(i, j int) bool { return strings.ToLower(d.Fields[i].Label) < strings.ToLower(d.Fields[j].Label) })
	for _, rel := range sch.ChildRelationships(o) {
		d.Children = append(d.Children, relRow{Object: rel.Child.Name, ObjectLabel: rel.Child.Label, Field: rel.Field.Name, FieldLabel: rel.Field.Label, Name: rel.Name, Type: typeLabel(rel.Field.Type), Constraint: constraintLabel(rel.Field.DeleteConstraint)})
	}
	a.setupPage(w, r, s, http.StatusOK, "setup_object", o.Label, "/setup/objects", d)
}

func constraintLabel(c metadata.DeleteConstraint) string {
	switch c {
	case metadata.SetNull:
		return "Clear the value"
	case metadata.Restrict:
		return "Don't allow the deletion"
	case metadata.Cascade:
		return "Delete this record too"
	}
	return string(c)
}

// describeField is a field's type as the fields table shows it: with its
// length, precision, target or return type.
func describeField(sch *metadata.Schema, f *metadata.Field) string {
	t := typeLabel(f.Type)
	switch f.Type {
	case metadata.TypeText, metadata.TypeTextArea, metadata.TypeLongTextArea, metadata.TypeHTML:
		if f.Length > 0 {
			return t + " (" + groupDigits(float64(f.Length), 0) + ")"
		}
	case metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent:
		return t + " (" + strconv.Itoa(f.Precision-f.Scale) + ", " + strconv.Itoa(f.Scale) + ")"
	case metadata.TypeLookup, metadata.TypeMasterDetail:
		var names []string
		for _, n := range f.ReferenceTo {
			if o := sch.Object(n); o != nil {
				n = o.Label
			}
			names = append(names, n)
		}
		return t + " (" + strings.Join(names, ", ") + ")"
	case metadata.TypeFormula:
		if f.ReturnType != "" {
			return t + " (" + typeLabel(f.ReturnType) + ")"
		}
	case metadata.TypeAutoNumber:
		if f.DisplayFormat != "" {
			return t + " (" + f.DisplayFormat + ")"
		}
	}
	return t
}

func (a *App) objectDelete(w http.ResponseWriter, r *http.Request, s *session) {
	o, ok := a.setupObject(w, r, s)
	if !ok {
		return
	}
	if err := a.records.DeleteObject(r.Context(), o.Name); err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.setupRedirect(w, r, "/setup/objects?flash="+url.QueryEscape("Deleted "+o.Label+". You can undelete it below until it is purged."))
}

func (a *App) objectUndelete(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.PathValue("object")
	if err := a.records.UndeleteObject(r.Context(), name); err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.setupRedirect(w, r, objectsURL(name)+"?flash="+url.QueryEscape("Undeleted "+name+" with its records."))
}

func (a *App) objectPurge(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.PathValue("object")
	if err := a.records.PurgeObject(r.Context(), name); err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.setupRedirect(w, r, "/setup/objects?flash="+url.QueryEscape("Purged "+name+" and its records for good."))
}

// setupRedirect sends the browser to target after a successful POST: htmx by
// its header, a plain form by a See Other.
func (a *App) setupRedirect(w http.ResponseWriter, r *http.Request, target string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// customAPIName derives a custom API name from a label: letters and digits,
// words joined by single underscores, starting with a letter, at most 40
// characters before __c.
func customAPIName(label string) string {
	var b strings.Builder
	under := false
	for _, c := range label {
		switch {
		case c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(c)
		default:
			under = true
		}
	}
	s := b.String()
	if s != "" && (s[0] < 'A' || s[0] > 'Z') && (s[0] < 'a' || s[0] > 'z') {
		s = "X" + s
	}
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "_")
	}
	if s == "" {
		return ""
	}
	return s + "__c"
}

// apiNameHint answers the label box of an object or field form as the
// user types: the API name box again, with the derived name as its
// placeholder and what the user typed kept.
func (a *App) apiNameHint(w http.ResponseWriter, r *http.Request, s *session) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(apiNameInput(r.URL.Query().Get("name"), customAPIName(r.URL.Query().Get("label")), "")))
}

// apiNameInput is the API name box of an object or field form.
func apiNameInput(value, placeholder, errMsg string) template.HTML {
	esc := template.HTMLEscapeString
	attrs := ` aria-describedby="f-name-help"`
	if errMsg != "" {
		attrs = ` aria-invalid="true" aria-describedby="f-name-help f-name-err"`
	}
	if placeholder == "" {
		placeholder = "Derived from the label"
	}
	return template.HTML(`<input type="text" id="f-name" name="name" value="` + esc(value) + `" placeholder="` + esc(placeholder) +
		`" maxlength="43" autocomplete="off" spellcheck="false"` + attrs + `>`)
}

package restapi

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
)

// The Tooling API subset: custom objects and fields created with
// Salesforce's Metadata JSON shapes (see the package comment).

// toolingValue is a picklist value of a valueSet.
type toolingValue struct {
	FullName string `json:"fullName"`
	Label    string `json:"label"`
	Default  bool   `json:"default"`
}

// toolingField is CustomField's Metadata (and a CustomObject's nameField).
type toolingField struct {
	Type              string          `json:"type"`
	Label             string          `json:"label"`
	Description       string          `json:"description"`
	InlineHelpText    string          `json:"inlineHelpText"`
	Length            int             `json:"length"`
	Precision         int             `json:"precision"`
	Scale             int             `json:"scale"`
	VisibleLines      int             `json:"visibleLines"`
	Required          bool            `json:"required"`
	Unique            bool            `json:"unique"`
	CaseSensitive     bool            `json:"caseSensitive"`
	ExternalID        bool            `json:"externalId"`
	DefaultValue      json.RawMessage `json:"defaultValue"`
	TrackHistory      bool            `json:"trackHistory"`
	ReferenceTo       json.RawMessage `json:"referenceTo"`
	RelationshipName  string          `json:"relationshipName"`
	RelationshipLabel string          `json:"relationshipLabel"`
	DeleteConstraint  string          `json:"deleteConstraint"`
	Reparentable      bool            `json:"reparentableMasterDetail"`
	DisplayFormat     string          `json:"displayFormat"`
	StartingNumber    int64           `json:"startingNumber"`
	Formula           string          `json:"formula"`
	ValueSet          *struct {
		Restricted         bool `json:"restricted"`
		ValueSetDefinition struct {
			Sorted bool           `json:"sorted"`
			Value  []toolingValue `json:"value"`
		} `json:"valueSetDefinition"`
	} `json:"valueSet"`
}

func toolingTypes() []string { return []string{"CustomObject", "CustomField"} }

// ToolingCreate serves POST /tooling/sobjects/{type} for CustomObject and
// CustomField.
func (a *API) ToolingCreate() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			FullName string          `json:"FullName"`
			Metadata json.RawMessage `json:"Metadata"`
		}
		t := r.PathValue("type")
		if !strings.EqualFold(t, "CustomObject") && !strings.EqualFold(t, "CustomField") {
			a.writeError(w, r, unsupportedType(t))
			return
		}
		if err := decodeJSON(r, &body); err != nil {
			a.writeError(w, r, err)
			return
		}
		if len(body.Metadata) == 0 || string(body.Metadata) == "null" {
			a.writeError(w, r, rapport.FieldErrorf(rapport.RequiredFieldMissing, []string{"Metadata"}, "Required fields are missing: [Metadata]"))
			return
		}
		var id rapport.ID
		var err error
		if strings.EqualFold(t, "CustomObject") {
			id, err = a.toolingObject(r, body.FullName, body.Metadata)
		} else {
			id, err = a.toolingField(r, body.FullName, body.Metadata)
		}
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, saveResult{ID: string(id), Success: true, Errors: []saveError{}})
	}
}

func (a *API) toolingObject(r *http.Request, fullName string, raw json.RawMessage) (rapport.ID, error) {
	var md struct {
		Label         string        `json:"label"`
		PluralLabel   string        `json:"pluralLabel"`
		Description   string        `json:"description"`
		EnableHistory bool          `json:"enableHistory"`
		NameField     *toolingField `json:"nameField"`
	}
	if err := parseJSON(raw, &md); err != nil {
		return "", err
	}
	def := &metadata.Object{Name: fullName, Label: md.Label, PluralLabel: md.PluralLabel, Description: md.Description, TrackHistory: md.EnableHistory}
	if md.NameField != nil {
		def.Fields = append(def.Fields, &metadata.Field{
			Name: "Name", Label: md.NameField.Label, Type: metadata.FieldType(md.NameField.Type), NameField: true,
			Length: md.NameField.Length, DisplayFormat: md.NameField.DisplayFormat, StartingNumber: md.NameField.StartingNumber,
			TrackHistory: md.NameField.TrackHistory,
		})
	}
	o, err := a.records.CreateObject(r.Context(), def)
	if err != nil {
		return "", err
	}
	a.logger(r.Context()).InfoContext(r.Context(), "custom object created", "object", o.Name)
	return a.records.IDs().New("01I"), nil
}

func (a *API) toolingField(r *http.Request, fullName string, raw json.RawMessage) (rapport.ID, error) {
	objName, fieldName, ok := strings.Cut(fullName, ".")
	if !ok || objName == "" || fieldName == "" {
		return "", rapport.FieldErrorf(rapport.InvalidField, []string{"FullName"}, "FullName must be Object.Field__c, not %q", fullName)
	}
	var md toolingField
	if err := parseJSON(raw, &md); err != nil {
		return "", err
	}
	f := &metadata.Field{
		Name: fieldName, Label: md.Label, Description: md.Description, HelpText: md.InlineHelpText,
		Type: metadata.FieldType(md.Type), Length: md.Length, Precision: md.Precision, Scale: md.Scale,
		VisibleLines: md.VisibleLines, Required: md.Required, Unique: md.Unique, CaseSensitive: md.CaseSensitive,
		ExternalID: md.ExternalID, TrackHistory: md.TrackHistory, RelationshipName: md.RelationshipName,
		DeleteConstraint: metadata.DeleteConstraint(md.DeleteConstraint), ReparentableMasterDetail: md.Reparentable,
		DisplayFormat: md.DisplayFormat, StartingNumber: md.StartingNumber, Formula: md.Formula,
	}
	if len(md.DefaultValue) > 0 && string(md.DefaultValue) != "null" {
		var s string
		if json.Unmarshal(md.DefaultValue, &s) != nil {
			s = string(md.DefaultValue) // true, 5
		}
		f.DefaultValue = strings.Trim(s, `"'`)
	}
	if len(md.ReferenceTo) > 0 && string(md.ReferenceTo) != "null" {
		var one string
		var many []string
		switch {
		case json.Unmarshal(md.ReferenceTo, &one) == nil:
			f.ReferenceTo = []string{one}
		case json.Unmarshal(md.ReferenceTo, &many) == nil:
			f.ReferenceTo = many
		default:
			return "", rapport.FieldErrorf(rapport.InvalidField, []string{"referenceTo"}, "referenceTo must be an object name")
		}
	}
	if md.RelationshipLabel != "" || md.RelationshipName != "" {
		f.ChildRelationshipName = md.RelationshipName
	}
	if md.ValueSet != nil {
		pl := &metadata.Picklist{Restricted: md.ValueSet.Restricted, Sorted: md.ValueSet.ValueSetDefinition.Sorted}
		for _, v := range md.ValueSet.ValueSetDefinition.Value {
			pl.Values = append(pl.Values, metadata.PicklistValue{Value: v.FullName, Label: v.Label, Default: v.Default})
		}
		f.Picklist = pl
	}
	created, err := a.records.CreateField(r.Context(), objName, f)
	if err != nil {
		return "", err
	}
	a.logger(r.Context()).InfoContext(r.Context(), "custom field created", "object", objName, "field", created.Name)
	return a.records.IDs().New("00N"), nil
}

func unsupportedType(t string) error {
	return newError(rapport.InvalidType, "sObject type '%s' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", t)
}

// ToolingGlobal serves GET /tooling/sobjects.
func (a *API) ToolingGlobal() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		version := r.PathValue("version")
		var entries []object
		for _, t := range toolingTypes() {
			entries = append(entries, toolingEntry(version, t))
		}
		writeJSON(w, http.StatusOK, object{{"encoding", "UTF-8"}, {"maxBatchSize", 200}, {"sobjects", entries}})
	}
}

func toolingEntry(version, t string) object {
	base := "/services/data/" + version + "/tooling/sobjects/" + t
	prefix := "01I"
	if t == "CustomField" {
		prefix = "00N"
	}
	return object{
		{"createable", true}, {"custom", false}, {"deletable", false}, {"keyPrefix", prefix}, {"label", t},
		{"labelPlural", t + "s"}, {"name", t}, {"queryable", false}, {"retrieveable", false}, {"updateable", false},
		{"urls", object{{"rowTemplate", base + "/{ID}"}, {"describe", base + "/describe"}, {"sobject", base}}},
	}
}

// ToolingInfo serves GET /tooling/sobjects/{type}.
func (a *API) ToolingInfo() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := r.PathValue("type")
		for _, known := range toolingTypes() {
			if strings.EqualFold(t, known) {
				writeJSON(w, http.StatusOK, object{{"objectDescribe", toolingEntry(r.PathValue("version"), known)}, {"recentItems", []any{}}})
				return
			}
		}
		a.writeError(w, r, unsupportedType(t))
	}
}

var fromObject = regexp.MustCompile(`(?i)\bFROM\s+([A-Za-z][A-Za-z0-9_]*)`)

// ToolingQuery serves GET /tooling/query: no Tooling object is queryable
// yet, so every query is 400 INVALID_TYPE (the sf CLI probes SandboxProcess
// and must be told no).
func (a *API) ToolingQuery() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		m := fromObject.FindStringSubmatch(q)
		if m == nil {
			a.writeError(w, r, newError(rapport.MalformedQuery, "unexpected token: the query has no FROM clause"))
			return
		}
		a.writeError(w, r, unsupportedType(m[1]))
	}
}

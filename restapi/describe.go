package restapi

import (
	"net/http"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// MasterRecordTypeID is the ID of every object's Master record type.
const MasterRecordTypeID = "012000000000000AAA"

// schemaObject resolves the {object} of a path for the principal's org; an
// unknown object is 404 NOT_FOUND, as Salesforce answers on REST paths.
func (a *API) schemaObject(r *http.Request, name string) (*metadata.Schema, *metadata.Object, error) {
	p, _ := rapport.PrincipalFrom(r.Context())
	sch, err := a.records.Schema(r.Context(), p.OrgID)
	if err != nil {
		return nil, nil, err
	}
	o := sch.Object(name)
	if o == nil {
		return sch, nil, notFound()
	}
	return sch, o, nil
}

func mergeable(o *metadata.Object) bool {
	switch o.Name {
	case "Account", "Contact", "Lead", "Case":
		return true
	}
	return false
}

// globalEntry is an object's entry in describeGlobal (and the head of its
// describe).
func globalEntry(version string, o *metadata.Object) object {
	base := "/services/data/" + version + "/sobjects/" + o.Name
	return object{
		{"activateable", false},
		{"associateEntityType", nil},
		{"associateParentEntity", nil},
		{"createable", o.Createable},
		{"custom", o.Custom},
		{"customSetting", false},
		{"deepCloneable", false},
		{"deletable", o.Deletable},
		{"deprecatedAndHidden", false},
		{"feedEnabled", false},
		{"hasSubtypes", false},
		{"isInterface", false},
		{"isSubtype", false},
		{"keyPrefix", o.KeyPrefix},
		{"label", o.Label},
		{"labelPlural", o.PluralLabel},
		{"layoutable", true},
		{"mergeable", mergeable(o)},
		{"mruEnabled", true},
		{"name", o.Name},
		{"queryable", true},
		{"replicateable", true},
		{"retrieveable", true},
		{"searchable", o.Searchable},
		{"triggerable", true},
		{"undeletable", o.Deletable},
		{"updateable", o.Updateable},
		{"urls", object{
			{"rowTemplate", base + "/{ID}"},
			{"defaultValues", base + "/defaultValues?recordTypeId&fields"},
			{"describe", base + "/describe"},
			{"sobject", base},
		}},
	}
}

// DescribeGlobal serves GET /sobjects.
func (a *API) DescribeGlobal() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, _ := rapport.PrincipalFrom(r.Context())
		sch, err := a.records.Schema(r.Context(), p.OrgID)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		version := r.PathValue("version")
		objs := sch.Objects()
		entries := make([]object, len(objs))
		for i, o := range objs {
			entries[i] = globalEntry(version, o)
		}
		writeJSON(w, http.StatusOK, object{{"encoding", "UTF-8"}, {"maxBatchSize", 200}, {"sobjects", entries}})
	}
}

// SObjectInfo serves GET /sobjects/{object}: basic information.
func (a *API) SObjectInfo() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, object{{"objectDescribe", globalEntry(r.PathValue("version"), o)}, {"recentItems", []any{}}})
	}
}

// Describe serves GET /sobjects/{object}/describe.
func (a *API) Describe() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sch, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, describeJSON(r.PathValue("version"), sch, o))
	}
}

func describeJSON(version string, sch *metadata.Schema, o *metadata.Object) object {
	base := "/services/data/" + version + "/sobjects/" + o.Name
	out := globalEntry(version, o)
	out = out[:len(out)-1] // urls come last, with more of them
	var children []object
	for _, c := range sch.ChildRelationships(o) {
		var name any
		if c.Name != "" {
			name = c.Name
		}
		children = append(children, object{
			{"cascadeDelete", cascades(c.Field)},
			{"childSObject", c.Child.Name},
			{"deprecatedAndHidden", false},
			{"field", c.Field.Name},
			{"junctionIdListNames", []string{}},
			{"junctionReferenceTo", []string{}},
			{"relationshipName", name},
			{"restrictedDelete", c.Field.DeleteConstraint == metadata.Restrict},
		})
	}
	if children == nil {
		children = []object{}
	}
	live := o.LiveFields()
	fields := make([]object, 0, len(live))
	order := 0
	for _, f := range live {
		fields = append(fields, fieldJSON(o, f, &order))
	}
	out = append(out,
		member{"actionOverrides", []any{}},
		member{"childRelationships", children},
		member{"compactLayoutable", true},
		member{"fields", fields},
		member{"listviewable", nil},
		member{"lookupLayoutable", nil},
		member{"namedLayoutInfos", []any{}},
		member{"networkScopeFieldName", nil},
		member{"recordTypeInfos", []object{{
			{"active", true},
			{"available", true},
			{"defaultRecordTypeMapping", true},
			{"developerName", "Master"},
			{"master", true},
			{"name", "Master"},
			{"recordTypeId", MasterRecordTypeID},
			{"urls", object{{"layout", base + "/describe/layouts/" + MasterRecordTypeID}}},
		}}},
		member{"searchLayoutable", o.Searchable},
		member{"supportedScopes", []object{{{"label", "All " + o.PluralLabel}, {"name", "everything"}}}},
		member{"urls", object{
			{"compactLayouts", base + "/describe/compactLayouts"},
			{"rowTemplate", base + "/{ID}"},
			{"approvalLayouts", base + "/describe/approvalLayouts"},
			{"defaultValues", base + "/defaultValues?recordTypeId&fields"},
			{"listviews", base + "/listviews"},
			{"describe", base + "/describe"},
			{"quickActions", base + "/quickActions"},
			{"layouts", base + "/describe/layouts"},
			{"sobject", base},
		}},
	)
	return out
}

func cascades(f *metadata.Field) bool {
	return f.Type == metadata.TypeMasterDetail || f.DeleteConstraint == metadata.Cascade
}

// wireType returns a field's describe type and soapType.
func wireType(f *metadata.Field) (string, string) {
	t := f.Type
	if (t == metadata.TypeFormula || t == metadata.TypeSummary) && f.ReturnType != "" {
		t = f.ReturnType
	}
	switch t {
	case metadata.TypeID:
		return "id", "tns:ID"
	case metadata.TypeText, metadata.TypeAutoNumber:
		return "string", "xsd:string"
	case metadata.TypeTextArea, metadata.TypeLongTextArea, metadata.TypeHTML:
		return "textarea", "xsd:string"
	case metadata.TypeEmail:
		return "email", "xsd:string"
	case metadata.TypePhone:
		return "phone", "xsd:string"
	case metadata.TypeURL:
		return "url", "xsd:string"
	case metadata.TypeNumber:
		if isInt(f) {
			return "int", "xsd:int"
		}
		return "double", "xsd:double"
	case metadata.TypeCurrency:
		return "currency", "xsd:double"
	case metadata.TypePercent:
		return "percent", "xsd:double"
	case metadata.TypeCheckbox:
		return "boolean", "xsd:boolean"
	case metadata.TypeDate:
		return "date", "xsd:date"
	case metadata.TypeDateTime:
		return "datetime", "xsd:dateTime"
	case metadata.TypeTime:
		return "time", "xsd:time"
	case metadata.TypePicklist:
		return "picklist", "xsd:string"
	case metadata.TypeMultiPicklist:
		return "multipicklist", "xsd:string"
	case metadata.TypeLookup, metadata.TypeMasterDetail:
		return "reference", "tns:ID"
	case metadata.TypeSummary:
		return "double", "xsd:double"
	}
	return "string", "xsd:string"
}

// isInt reports whether a number field is an int in Salesforce's describe:
// standard whole-number fields of at most 9 digits (NumberOfEmployees).
// Custom numbers are doubles whatever their scale.
func isInt(f *metadata.Field) bool {
	return !f.Custom && f.Type == metadata.TypeNumber && f.Scale == 0 && f.Precision > 0 && f.Precision <= 9
}

func fieldJSON(o *metadata.Object, f *metadata.Field, order *int) object {
	typ, soap := wireType(f)
	calculated := f.Type == metadata.TypeFormula || f.Type == metadata.TypeSummary
	length, digits, precision, scale := 0, 0, 0, 0
	switch typ {
	case "id", "reference":
		length = 18
	case "string", "textarea", "email", "phone", "url", "picklist", "multipicklist":
		length = record.MaxLength(f)
		if f.Type == metadata.TypeAutoNumber && f.Length == 0 {
			length = 30
		}
	case "int":
		digits = f.Precision
	case "double", "currency", "percent":
		precision, scale = f.Precision, f.Scale
		if precision == 0 {
			precision = 18
		}
	}
	longText := f.Type == metadata.TypeLongTextArea || f.Type == metadata.TypeHTML
	var extra any
	switch {
	case f.Type == metadata.TypeHTML:
		extra = "richtextarea"
	case typ == "textarea":
		extra = "plaintextarea"
	}
	checkbox := typ == "boolean"
	system := f.System
	nillable := !f.Required && !checkbox && !system && typ != "id" && f.Type != metadata.TypeAutoNumber
	if f.Name == metadata.FieldOwnerID {
		nillable = false
	}
	var def any
	switch {
	case checkbox:
		def = f.DefaultValue == "true"
	case f.DefaultValue != "":
		def = f.DefaultValue
	}
	_, hasPickDefault := f.Picklist.DefaultValue()
	defaulted := system || checkbox || f.Type == metadata.TypeAutoNumber || f.Name == metadata.FieldOwnerID ||
		f.DefaultValue != "" || f.DefaultFormula != "" || hasPickDefault
	picklist := []object{}
	if f.Picklist != nil {
		for _, v := range f.Picklist.Values {
			if v.Value == "" {
				continue
			}
			picklist = append(picklist, object{
				{"active", !v.Inactive}, {"defaultValue", v.Default}, {"label", v.DisplayLabel()}, {"validFor", nil}, {"value", v.Value},
			})
		}
	}
	refTo := []string{}
	var relName, relOrder any
	if f.Type.IsReference() {
		refTo = append(refTo, f.ReferenceTo...)
		if f.RelationshipName != "" {
			relName = f.RelationshipName
		}
		if f.Type == metadata.TypeMasterDetail {
			relOrder = *order
			*order++
		}
	}
	text := typ == "string" || typ == "textarea" || typ == "email" || typ == "phone" || typ == "url" || typ == "picklist"
	idLookup := typ == "id" || f.ExternalID || (f.NameField && f.Type == metadata.TypeText) || (f.Unique && text && !longText)
	filterable := !longText && !calculated || (calculated && typ != "textarea")
	sortable := !longText && typ != "multipicklist" && typ != "textarea"
	groupable := !longText && typ != "multipicklist" && typ != "double" && typ != "currency" && typ != "percent" && typ != "datetime" && typ != "textarea"
	var formula, helpText, defFormula, compound any
	if f.Formula != "" {
		formula = f.Formula
	}
	if f.HelpText != "" {
		helpText = f.HelpText
	}
	if f.DefaultFormula != "" {
		defFormula = f.DefaultFormula
	}
	if f.Compound != "" {
		compound = f.Compound
	}
	return object{
		{"aggregatable", !longText && typ != "multipicklist"},
		{"aiPredictionField", false},
		{"autoNumber", f.Type == metadata.TypeAutoNumber},
		{"byteLength", byteLength(typ, length)},
		{"calculated", calculated},
		{"calculatedFormula", formula},
		{"cascadeDelete", f.Type.IsReference() && cascades(f)},
		{"caseSensitive", f.CaseSensitive},
		{"compoundFieldName", compound},
		{"controllerName", nil},
		{"createable", f.Writable(true) && !calculated},
		{"custom", f.Custom},
		{"defaultValue", def},
		{"defaultValueFormula", defFormula},
		{"defaultedOnCreate", defaulted},
		{"dependentPicklist", false},
		{"deprecatedAndHidden", false},
		{"digits", digits},
		{"displayLocationInDecimal", false},
		{"encrypted", false},
		{"externalId", f.ExternalID},
		{"extraTypeInfo", extra},
		{"filterable", filterable},
		{"filteredLookupInfo", nil},
		{"formulaTreatNullNumberAsZero", false},
		{"groupable", groupable},
		{"highScaleNumber", false},
		{"htmlFormatted", f.Type == metadata.TypeHTML},
		{"idLookup", idLookup},
		{"inlineHelpText", helpText},
		{"label", f.Label},
		{"length", length},
		{"mask", nil},
		{"maskType", nil},
		{"name", f.Name},
		{"nameField", f.NameField || o.NameField == f.Name},
		{"namePointing", f.Type.IsReference() && f.Polymorphic()},
		{"nillable", nillable},
		{"permissionable", f.Custom && !f.Required && f.Type != metadata.TypeMasterDetail},
		{"picklistValues", picklist},
		{"polymorphicForeignKey", f.Type.IsReference() && f.Polymorphic()},
		{"precision", precision},
		{"queryByDistance", false},
		{"referenceTargetField", nil},
		{"referenceTo", refTo},
		{"relationshipName", relName},
		{"relationshipOrder", relOrder},
		{"restrictedDelete", f.Type.IsReference() && f.DeleteConstraint == metadata.Restrict},
		{"restrictedPicklist", f.Picklist != nil && f.Picklist.Restricted},
		{"scale", scale},
		{"searchPrefilterable", f.Type.IsReference()},
		{"soapType", soap},
		{"sortable", sortable},
		{"type", typ},
		{"unique", f.Unique},
		{"updateable", f.Writable(false) && !calculated},
		{"writeRequiresMasterRead", f.Type == metadata.TypeMasterDetail},
	}
}

func byteLength(typ string, length int) int {
	switch typ {
	case "id", "reference":
		return 18
	case "string", "textarea", "email", "phone", "url", "picklist", "multipicklist":
		return length * 3
	}
	return 0
}

// fieldNames splits ?fields=A,B.
func fieldNames(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

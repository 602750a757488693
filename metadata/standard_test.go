package metadata

import (
	"reflect"
	"strings"
	"testing"
)

func standardByName(t *testing.T) map[string]*Object {
	t.Helper()
	m := make(map[string]*Object)
	for _, o := range StandardObjects() {
		m[o.Name] = o
	}
	return m
}

func mustField(t *testing.T, objects map[string]*Object, object, field string) *Field {
	t.Helper()
	o := objects[object]
	if o == nil {
		t.Fatalf("StandardObjects() has no %s", object)
	}
	f := o.Field(field)
	if f == nil {
		t.Fatalf("%s has no field %s", object, field)
	}
	return f
}

// TestStandardObjectsValid checks the rules every object in the catalog must
// keep: well-formed names, unique fields and relationships, lookups to
// objects that exist, and sizes on every sized type.
func TestStandardObjectsValid(t *testing.T) {
	objects := StandardObjects()
	byName := make(map[string]*Object)
	prefixes := make(map[string]string)
	for _, o := range objects {
		if byName[strings.ToLower(o.Name)] != nil {
			t.Errorf("object %s defined twice", o.Name)
		}
		byName[strings.ToLower(o.Name)] = o
		if len(o.KeyPrefix) != 3 {
			t.Errorf("%s: key prefix %q is not 3 characters", o.Name, o.KeyPrefix)
		}
		if other, ok := prefixes[o.KeyPrefix]; ok {
			t.Errorf("%s: key prefix %s already used by %s", o.Name, o.KeyPrefix, other)
		}
		prefixes[o.KeyPrefix] = o.Name
	}

	// child relationship names per target object, lower-cased
	childNames := make(map[string]map[string]string)
	for _, o := range objects {
		t.Run(o.Name, func(t *testing.T) {
			checkObject(t, o, byName, childNames)
		})
	}
}

func checkObject(t *testing.T, o *Object, byName map[string]*Object, childNames map[string]map[string]string) {
	if !ValidAPIName(o.Name) || strings.Contains(o.Name, "__") || o.Custom {
		t.Errorf("object name %q is not a standard API name", o.Name)
	}
	if o.Label == "" || o.PluralLabel == "" {
		t.Errorf("label %q, plural label %q: want both", o.Label, o.PluralLabel)
	}
	if o.Table != "" {
		t.Errorf("Table = %q, want empty (assigned at install)", o.Table)
	}
	if o.Deleted || o.TrackHistory {
		t.Errorf("Deleted = %v, TrackHistory = %v, want false", o.Deleted, o.TrackHistory)
	}
	if len(o.Fields) == 0 || o.Fields[0].Name != FieldID {
		t.Fatalf("first field is not %s", FieldID)
	}

	// The system fields come first, exactly as SystemFields makes them
	// (an owner may point at other objects than User and Group).
	owned := o.AnyField(FieldOwnerID) != nil
	for i, want := range SystemFields(owned) {
		got := *o.Fields[i]
		if got.Name == FieldOwnerID {
			got.ReferenceTo = want.ReferenceTo
		}
		if !reflect.DeepEqual(&got, want) {
			t.Errorf("field %d = %+v, want system field %+v", i, got, *want)
		}
	}

	fields := make(map[string]bool)
	relationships := make(map[string]bool)
	nameFields := 0
	for _, f := range o.Fields {
		lower := strings.ToLower(f.Name)
		if fields[lower] {
			t.Errorf("field %s defined twice", f.Name)
		}
		fields[lower] = true
		checkField(t, o, f, byName)
		if f.NameField {
			nameFields++
			if f.Name != o.NameField {
				t.Errorf("field %s is marked as the name field, but NameField = %q", f.Name, o.NameField)
			}
		}
		if f.Type.IsReference() {
			rel := strings.ToLower(f.RelationshipName)
			if relationships[rel] {
				t.Errorf("relationship name %s used twice", f.RelationshipName)
			}
			relationships[rel] = true
			if f.ChildRelationshipName == "" {
				continue
			}
			for _, target := range f.ReferenceTo {
				names := childNames[target]
				if names == nil {
					names = make(map[string]string)
					childNames[target] = names
				}
				key := strings.ToLower(f.ChildRelationshipName)
				if prev, ok := names[key]; ok {
					t.Errorf("%s.%s: child relationship %s on %s already used by %s",
						o.Name, f.Name, f.ChildRelationshipName, target, prev)
				}
				names[key] = o.Name + "." + f.Name
			}
		}
	}
	for rel := range relationships {
		if fields[rel] {
			t.Errorf("relationship name %s is also a field name", rel)
		}
	}
	if o.NameField != "" {
		if f := o.Field(o.NameField); f == nil || !f.NameField {
			t.Errorf("NameField %s is not a field marked NameField", o.NameField)
		}
	}
	if o.NameField == "" && nameFields > 0 || nameFields > 1 {
		t.Errorf("%d fields marked NameField with NameField = %q", nameFields, o.NameField)
	}
}

func checkField(t *testing.T, o *Object, f *Field, byName map[string]*Object) {
	t.Helper()
	where := o.Name + "." + f.Name
	if !ValidAPIName(f.Name) || strings.HasSuffix(f.Name, "__c") || f.Custom {
		t.Errorf("%s: not a standard API name", where)
	}
	if f.Label == "" {
		t.Errorf("%s: no label", where)
	}
	if f.System {
		if !IsSystemColumn(f.Column) {
			t.Errorf("%s: system field with column %q", where, f.Column)
		}
	} else if f.Column != "" && !(f.Name == FieldOwnerID && f.Column == ColOwnerID) {
		// OwnerId is writable, so not System, but has a fixed column.
		t.Errorf("%s: Column = %q, want empty (assigned at install)", where, f.Column)
	}
	if f.TrackHistory || f.Deleted {
		t.Errorf("%s: TrackHistory = %v, Deleted = %v, want false", where, f.TrackHistory, f.Deleted)
	}
	if f.Type != TypeID && !contains(FieldTypes, f.Type) {
		t.Errorf("%s: type %q is not a field type", where, f.Type)
	}
	switch f.Type {
	case TypeText, TypeTextArea, TypeLongTextArea, TypeHTML, TypeEmail, TypePhone, TypeURL, TypeAutoNumber:
		if f.Length <= 0 {
			t.Errorf("%s: %s with length %d", where, f.Type, f.Length)
		}
	}
	if f.Type.IsNumeric() {
		if f.Precision <= 0 || f.Scale < 0 || f.Scale > f.Precision {
			t.Errorf("%s: %s(%d, %d)", where, f.Type, f.Precision, f.Scale)
		}
	} else if f.Precision != 0 || f.Scale != 0 {
		t.Errorf("%s: precision and scale on a %s", where, f.Type)
	}
	if f.Type == TypeAutoNumber && (f.DisplayFormat == "" || !strings.Contains(f.DisplayFormat, "{0")) {
		t.Errorf("%s: auto-number display format %q", where, f.DisplayFormat)
	}
	if f.Type == TypeCheckbox && !f.System && f.DefaultValue != "true" && f.DefaultValue != "false" {
		t.Errorf("%s: checkbox default %q, want true or false", where, f.DefaultValue)
	}
	if f.Required && !f.System && !f.Writable(true) {
		t.Errorf("%s: required but not writable on insert", where)
	}
	if f.Compound != "" {
		checkCompound(t, o, f)
	}
	checkPicklist(t, where, f)
	checkReference(t, where, f, byName)
}

func checkCompound(t *testing.T, o *Object, f *Field) {
	t.Helper()
	switch {
	case f.Compound == "Name":
		if name := o.Field("Name"); name == nil || !name.ReadOnly {
			t.Errorf("%s.%s: part of Name, but Name is missing or writable", o.Name, f.Name)
		}
	case strings.HasSuffix(f.Compound, "Address"):
		prefix := strings.TrimSuffix(f.Compound, "Address")
		if !strings.HasPrefix(f.Name, prefix) {
			t.Errorf("%s.%s: part of %s but not named %s…", o.Name, f.Name, f.Compound, prefix)
		}
		for _, part := range []string{"Street", "City", "State", "PostalCode", "Country", "Latitude", "Longitude", "GeocodeAccuracy"} {
			if p := o.Field(prefix + part); p == nil || p.Compound != f.Compound {
				t.Errorf("%s: %s has no part %s%s", o.Name, f.Compound, prefix, part)
			}
		}
	default:
		t.Errorf("%s.%s: unknown compound %q", o.Name, f.Name, f.Compound)
	}
}

func checkPicklist(t *testing.T, where string, f *Field) {
	t.Helper()
	isList := f.Type == TypePicklist || f.Type == TypeMultiPicklist
	if !isList {
		if f.Picklist != nil {
			t.Errorf("%s: picklist values on a %s", where, f.Type)
		}
		return
	}
	if f.Picklist == nil || len(f.Picklist.Values) == 0 {
		t.Errorf("%s: picklist without values", where)
		return
	}
	if f.DefaultValue != "" {
		t.Errorf("%s: picklist default %q set on the field, want it on a value", where, f.DefaultValue)
	}
	seen := make(map[string]bool)
	defaults := 0
	for _, v := range f.Picklist.Values {
		if v.Value == "" {
			t.Errorf("%s: empty picklist value", where)
		}
		if seen[strings.ToLower(v.Value)] {
			t.Errorf("%s: picklist value %q twice", where, v.Value)
		}
		seen[strings.ToLower(v.Value)] = true
		if v.Default {
			defaults++
		}
		if v.Probability != nil && (*v.Probability < 0 || *v.Probability > 100) {
			t.Errorf("%s: %q has probability %d", where, v.Value, *v.Probability)
		}
		if v.Won && !v.Closed {
			t.Errorf("%s: %q is won but not closed", where, v.Value)
		}
	}
	if defaults > 1 {
		t.Errorf("%s: %d default values, want at most one", where, defaults)
	}
}

func checkReference(t *testing.T, where string, f *Field, byName map[string]*Object) {
	t.Helper()
	if !f.Type.IsReference() {
		if len(f.ReferenceTo) > 0 || f.RelationshipName != "" || f.ChildRelationshipName != "" || f.DeleteConstraint != "" {
			t.Errorf("%s: reference attributes on a %s", where, f.Type)
		}
		return
	}
	if f.Type == TypeMasterDetail {
		t.Errorf("%s: master-detail; Salesforce exposes none among standard objects", where)
	}
	if len(f.ReferenceTo) == 0 {
		t.Errorf("%s: lookup without ReferenceTo", where)
	}
	for _, target := range f.ReferenceTo {
		if o := byName[strings.ToLower(target)]; o == nil || o.Name != target {
			t.Errorf("%s: refers to %q, which is not in the catalog", where, target)
		}
	}
	if !ValidAPIName(f.RelationshipName) {
		t.Errorf("%s: relationship name %q", where, f.RelationshipName)
	}
	if f.ChildRelationshipName != "" && !ValidAPIName(f.ChildRelationshipName) {
		t.Errorf("%s: child relationship name %q", where, f.ChildRelationshipName)
	}
	if !strings.HasSuffix(f.Name, "Id") {
		t.Errorf("%s: lookup name does not end in Id", where)
	}
	switch f.DeleteConstraint {
	case SetNull, Restrict, Cascade:
	default:
		t.Errorf("%s: delete constraint %q", where, f.DeleteConstraint)
	}
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestStandardObjectsOrder checks the documented order: an object's lookups
// point at objects before it, except for self-references and the cycles
// through the security objects.
func TestStandardObjectsOrder(t *testing.T) {
	objects := StandardObjects()
	index := make(map[string]int)
	for i, o := range objects {
		index[o.Name] = i
	}
	if objects[0].Name != "Organization" {
		t.Errorf("first object is %s, want Organization", objects[0].Name)
	}
	security := map[string]bool{"User": true, "Group": true, "Organization": true}
	for i, o := range objects {
		for _, f := range o.Fields {
			for _, target := range f.ReferenceTo {
				switch {
				case target == o.Name, security[target]:
				case o.Name == "User" && (target == "Account" || target == "Contact"):
				case index[target] > i:
					t.Errorf("%s.%s refers to %s, which comes later", o.Name, f.Name, target)
				}
			}
		}
	}
}

func TestStandardObjectsHaveFields(t *testing.T) {
	billing := []string{"BillingStreet", "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry",
		"BillingLatitude", "BillingLongitude", "BillingGeocodeAccuracy"}
	shipping := []string{"ShippingStreet", "ShippingCity", "ShippingState", "ShippingPostalCode", "ShippingCountry",
		"ShippingLatitude", "ShippingLongitude", "ShippingGeocodeAccuracy"}
	activity := []string{"WhoId", "WhatId", "Subject", "ActivityDate", "OwnerId", "Description", "IsArchived"}
	tests := []struct {
		object string
		fields []string
	}{
		{"Organization", []string{"Name", "Division", "Street", "City", "State", "PostalCode", "Country", "Phone", "Fax",
			"PrimaryContact", "DefaultLocaleSidKey", "TimeZoneSidKey", "LanguageLocaleKey", "ReceivesInfoEmails",
			"ReceivesAdminInfoEmails", "FiscalYearStartMonth", "UsesStartDateAsFiscalYearName", "DefaultAccountAccess",
			"DefaultContactAccess", "DefaultOpportunityAccess", "DefaultLeadAccess", "DefaultCaseAccess",
			"DefaultCampaignAccess", "DefaultCalendarAccess", "DefaultPricebookAccess", "IsSandbox", "TrialExpirationDate",
			"NamespacePrefix", "OrganizationType", "InstanceName", "ComplianceBccEmail", "UiSkin", "IsReadOnly",
			"CreatedDate", "DefaultCurrencyIsoCode"}},
		{"User", []string{"Username", "Email", "Alias", "CommunityNickname", "FirstName", "LastName", "MiddleName",
			"Suffix", "Name", "Title", "CompanyName", "Department", "Division", "Street", "City", "State", "PostalCode",
			"Country", "Phone", "MobilePhone", "Fax", "Extension", "IsActive", "ProfileId", "UserRoleId", "ManagerId",
			"TimeZoneSidKey", "LocaleSidKey", "LanguageLocaleKey", "EmailEncodingKey", "UserType",
			"FederationIdentifier", "EmployeeNumber", "LastLoginDate", "LastPasswordChangeDate",
			"DefaultCurrencyIsoCode", "AboutMe", "Signature", "SenderEmail", "SenderName", "ReceivesInfoEmails"}},
		{"Profile", []string{"Name", "Description", "UserLicenseId", "UserType"}},
		{"UserRole", []string{"Name", "ParentRoleId", "DeveloperName", "RollupDescription",
			"OpportunityAccessForAccountOwner", "CaseAccessForAccountOwner", "ContactAccessForAccountOwner"}},
		{"Group", []string{"Name", "DeveloperName", "Type", "Email", "DoesIncludeBosses", "DoesSendEmailToMembers", "RelatedId"}},
		{"Account", append(append([]string{"Name", "ParentId", "Type", "Industry", "Phone", "Website",
			"AnnualRevenue", "NumberOfEmployees", "Description", "Rating", "Ownership", "AccountSource",
			"LastActivityDate", "OwnerId"}, billing...), shipping...)},
		{"Contact", []string{"AccountId", "FirstName", "LastName", "Salutation", "MiddleName", "Suffix", "Name",
			"Email", "Phone", "ReportsToId", "MailingStreet", "MailingGeocodeAccuracy", "OtherCity", "LeadSource"}},
		{"Lead", []string{"Company", "Status", "Rating", "IsConverted", "ConvertedAccountId", "ConvertedContactId",
			"ConvertedOpportunityId", "ConvertedDate", "LeadSource", "Industry", "Street", "City", "State",
			"PostalCode", "Country", "Name", "Salutation"}},
		{"Opportunity", []string{"AccountId", "StageName", "CloseDate", "Amount", "Probability", "Type", "LeadSource",
			"IsClosed", "IsWon", "ForecastCategoryName", "ForecastCategory", "CampaignId", "NextStep", "ExpectedRevenue",
			"HasOpenActivity", "HasOverdueTask", "LastActivityDate", "Fiscal", "FiscalQuarter", "FiscalYear"}},
		{"OpportunityContactRole", []string{"OpportunityId", "ContactId", "Role", "IsPrimary"}},
		{"Case", []string{"CaseNumber", "AccountId", "ContactId", "ParentId", "Status", "Origin", "Priority", "Reason",
			"Type", "Subject", "IsClosed", "ClosedDate"}},
		{"Campaign", []string{"Name", "ParentId", "Type", "Status", "NumberOfLeads", "NumberOfContacts", "NumberOfResponses"}},
		{"CampaignMember", []string{"CampaignId", "ContactId", "LeadId", "Status", "HasResponded"}},
		{"Contract", []string{"AccountId", "Status", "StartDate", "ContractTerm", "EndDate", "ContractNumber"}},
		{"Task", append([]string{"Status", "Priority", "IsClosed"}, activity...)},
		{"Event", append([]string{"StartDateTime", "EndDateTime", "DurationInMinutes", "ShowAs"}, activity...)},
		{"EmailMessage", []string{"FromAddress", "FromName", "ToAddress", "CcAddress", "BccAddress", "Subject",
			"TextBody", "HtmlBody", "Headers", "MessageDate", "Incoming", "HasAttachment", "Status", "RelatedToId",
			"ParentId", "ActivityId", "IsExternallyVisible", "MessageIdentifier", "ThreadIdentifier",
			"ReplyToEmailMessageId", "IsBounced", "FirstOpenedDate", "LastOpenedDate", "IsTracked"}},
		{"EmailMessageRelation", []string{"EmailMessageId", "RelationId", "RelationAddress", "RelationObjectType", "RelationType"}},
		{"Note", []string{"ParentId", "Title", "Body", "IsPrivate", "OwnerId"}},
		{"PermissionSet", []string{"Name", "Label", "IsOwnedByProfile", "ProfileId", "PermissionsModifyAllData", "PermissionsViewAllData", "PermissionsApiEnabled"}},
		{"ObjectPermissions", []string{"ParentId", "SobjectType", "PermissionsRead", "PermissionsCreate", "PermissionsEdit", "PermissionsDelete", "PermissionsViewAllRecords", "PermissionsModifyAllRecords"}},
		{"FieldPermissions", []string{"ParentId", "SobjectType", "Field", "PermissionsRead", "PermissionsEdit"}},
		{"PermissionSetAssignment", []string{"AssigneeId", "PermissionSetId"}},
		{"GroupMember", []string{"GroupId", "UserOrGroupId"}},
		{"SetupAuditTrail", []string{"Action", "Section", "Display", "DelegateUser", "CreatedDate", "CreatedById"}},
		{"ListView", []string{"Name", "SobjectType", "Columns", "Filters", "SortField", "SortDescending", "IsShared", "OwnerId"}},
		{"RecentView", []string{"Name", "RecordId", "SobjectType", "ViewKey", "LastViewedDate", "OwnerId"}},
	}
	objects := standardByName(t)
	if len(objects) != len(tests) {
		t.Errorf("StandardObjects() has %d objects, want %d", len(objects), len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.object, func(t *testing.T) {
			o := objects[tc.object]
			if o == nil {
				t.Fatalf("StandardObjects() has no %s", tc.object)
			}
			for _, name := range tc.fields {
				if o.Field(name) == nil {
					t.Errorf("%s has no field %s", tc.object, name)
				}
			}
		})
	}
}

func TestStandardObjectsOwnership(t *testing.T) {
	tests := []struct {
		object  string
		owners  []string // nil: not owned
		keyPref string
		name    string
		create  bool
		del     bool
	}{
		{"Organization", nil, "00D", "Name", false, false},
		{"Profile", nil, "00e", "Name", true, true},
		{"UserRole", nil, "00E", "Name", true, true},
		{"User", nil, "005", "Name", true, false},
		{"Group", []string{"User", "Organization"}, "00G", "Name", true, true},
		{"Account", []string{"User", "Group"}, "001", "Name", true, true},
		{"Contact", []string{"User", "Group"}, "003", "Name", true, true},
		{"Lead", []string{"User", "Group"}, "00Q", "Name", true, true},
		{"Opportunity", []string{"User", "Group"}, "006", "Name", true, true},
		{"OpportunityContactRole", nil, "00K", "", true, true},
		{"Case", []string{"User", "Group"}, "500", "CaseNumber", true, true},
		{"Campaign", []string{"User", "Group"}, "701", "Name", true, true},
		{"CampaignMember", nil, "00v", "", true, true},
		{"Contract", []string{"User", "Group"}, "800", "ContractNumber", true, true},
		{"Task", []string{"User", "Group"}, "00T", "Subject", true, true},
		{"Event", []string{"User", "Group"}, "00U", "Subject", true, true},
		{"EmailMessage", nil, "02s", "Subject", true, true},
		{"Note", []string{"User"}, "002", "Title", true, true},
	}
	objects := standardByName(t)
	for _, tc := range tests {
		t.Run(tc.object, func(t *testing.T) {
			o := objects[tc.object]
			if o == nil {
				t.Fatalf("StandardObjects() has no %s", tc.object)
			}
			owner := o.Field(FieldOwnerID)
			switch {
			case tc.owners == nil && owner != nil:
				t.Errorf("%s has OwnerId, want none", tc.object)
			case tc.owners != nil && owner == nil:
				t.Errorf("%s has no OwnerId", tc.object)
			case owner != nil && !reflect.DeepEqual(owner.ReferenceTo, tc.owners):
				t.Errorf("%s.OwnerId refers to %v, want %v", tc.object, owner.ReferenceTo, tc.owners)
			}
			if o.KeyPrefix != tc.keyPref {
				t.Errorf("%s.KeyPrefix = %q, want %q", tc.object, o.KeyPrefix, tc.keyPref)
			}
			if o.NameField != tc.name {
				t.Errorf("%s.NameField = %q, want %q", tc.object, o.NameField, tc.name)
			}
			if o.Createable != tc.create || o.Deletable != tc.del {
				t.Errorf("%s: Createable = %v, Deletable = %v, want %v, %v", tc.object, o.Createable, o.Deletable, tc.create, tc.del)
			}
		})
	}
}

func TestStandardFieldShapes(t *testing.T) {
	tests := []struct {
		object, field   string
		typ             FieldType
		length          int
		precision, scal int
		label           string
	}{
		{"Account", "Name", TypeText, 255, 0, 0, "Account Name"},
		{"Account", "Phone", TypePhone, 40, 0, 0, "Account Phone"},
		{"Account", "Website", TypeURL, 255, 0, 0, "Website"},
		{"Account", "AnnualRevenue", TypeCurrency, 0, 18, 0, "Annual Revenue"},
		{"Account", "NumberOfEmployees", TypeNumber, 0, 8, 0, "Employees"},
		{"Account", "Description", TypeLongTextArea, 32000, 0, 0, "Account Description"},
		{"Account", "BillingStreet", TypeTextArea, 255, 0, 0, "Billing Street"},
		{"Account", "BillingCity", TypeText, 40, 0, 0, "Billing City"},
		{"Account", "BillingState", TypeText, 80, 0, 0, "Billing State/Province"},
		{"Account", "BillingPostalCode", TypeText, 20, 0, 0, "Billing Zip/Postal Code"},
		{"Account", "BillingCountry", TypeText, 80, 0, 0, "Billing Country"},
		{"Account", "BillingLatitude", TypeNumber, 0, 18, 15, "Billing Latitude"},
		{"Account", "ShippingLongitude", TypeNumber, 0, 18, 15, "Shipping Longitude"},
		{"Account", "BillingGeocodeAccuracy", TypePicklist, 0, 0, 0, "Billing Geocode Accuracy"},
		{"Contact", "Name", TypeText, 121, 0, 0, "Full Name"},
		{"Contact", "Email", TypeEmail, 80, 0, 0, "Email"},
		{"Lead", "Company", TypeText, 255, 0, 0, "Company"},
		{"Opportunity", "Amount", TypeCurrency, 0, 18, 2, "Amount"},
		{"Opportunity", "Probability", TypePercent, 0, 3, 0, "Probability (%)"},
		{"Opportunity", "StageName", TypePicklist, 0, 0, 0, "Stage"},
		{"Opportunity", "ExpectedRevenue", TypeCurrency, 0, 18, 2, "Expected Amount"},
		{"Case", "CaseNumber", TypeAutoNumber, 30, 0, 0, "Case Number"},
		{"Contract", "ContractNumber", TypeAutoNumber, 30, 0, 0, "Contract Number"},
		{"User", "Username", TypeText, 80, 0, 0, "Username"},
		{"User", "Email", TypeEmail, 128, 0, 0, "Email"},
		{"User", "Alias", TypeText, 8, 0, 0, "Alias"},
		{"User", "CommunityNickname", TypeText, 40, 0, 0, "Nickname"},
		{"Organization", "FiscalYearStartMonth", TypeNumber, 0, 2, 0, "Fiscal Year Starts In"},
		{"Organization", "NamespacePrefix", TypeText, 15, 0, 0, "Namespace Prefix"},
		{"Organization", "OrganizationType", TypeText, 40, 0, 0, "Edition"},
		{"Organization", "InstanceName", TypeText, 5, 0, 0, "Instance Name"},
		{"Organization", "IsSandbox", TypeCheckbox, 0, 0, 0, "Is Sandbox"},
		{"Organization", "TrialExpirationDate", TypeDateTime, 0, 0, 0, "Trial Expiration Date"},
		{"EmailMessage", "HtmlBody", TypeHTML, 131072, 0, 0, "HTML Body"},
		{"EmailMessage", "TextBody", TypeLongTextArea, 131072, 0, 0, "Text Body"},
		{"EmailMessage", "Subject", TypeText, 3000, 0, 0, "Subject"},
		{"Note", "Title", TypeText, 80, 0, 0, "Title"},
	}
	objects := standardByName(t)
	for _, tc := range tests {
		f := mustField(t, objects, tc.object, tc.field)
		if f.Type != tc.typ || f.Length != tc.length || f.Precision != tc.precision || f.Scale != tc.scal || f.Label != tc.label {
			t.Errorf("%s.%s = %s(len %d, %d, %d) %q, want %s(len %d, %d, %d) %q", tc.object, tc.field,
				f.Type, f.Length, f.Precision, f.Scale, f.Label, tc.typ, tc.length, tc.precision, tc.scal, tc.label)
		}
	}
	if f := mustField(t, objects, "Contract", "ContractNumber"); f.DisplayFormat != "{00000000}" {
		t.Errorf("Contract.ContractNumber format = %q, want {00000000}", f.DisplayFormat)
	}
	if f := mustField(t, objects, "Case", "CaseNumber"); f.DisplayFormat != "{00000000}" || !f.NameField {
		t.Errorf("Case.CaseNumber format = %q, name field %v", f.DisplayFormat, f.NameField)
	}
	for _, name := range []string{"Username", "CommunityNickname"} {
		if f := mustField(t, objects, "User", name); !f.Unique {
			t.Errorf("User.%s is not unique", name)
		}
	}
	for _, name := range []string{"Username", "Email", "Alias", "LastName", "ProfileId",
		"TimeZoneSidKey", "LocaleSidKey", "LanguageLocaleKey", "EmailEncodingKey"} {
		if f := mustField(t, objects, "User", name); !f.Required {
			t.Errorf("User.%s is not required", name)
		}
	}
	if f := mustField(t, objects, "User", "IsActive"); f.DefaultValue != "true" {
		t.Errorf("User.IsActive default = %q, want true", f.DefaultValue)
	}
}

func TestStandardReadOnlyFields(t *testing.T) {
	readOnly := map[string][]string{
		"Opportunity":    {"IsClosed", "IsWon", "ForecastCategory", "HasOpenActivity", "HasOverdueTask", "LastActivityDate", "ExpectedRevenue", "Fiscal", "FiscalQuarter", "FiscalYear"},
		"Case":           {"IsClosed", "ClosedDate", "CaseNumber"},
		"Lead":           {"IsConverted", "ConvertedDate", "ConvertedAccountId", "ConvertedContactId", "ConvertedOpportunityId", "Name"},
		"Task":           {"IsClosed", "IsArchived"},
		"Event":          {"IsArchived"},
		"Contract":       {"EndDate", "ContractNumber"},
		"CampaignMember": {"HasResponded"},
		"Campaign":       {"NumberOfLeads", "NumberOfConvertedLeads", "NumberOfContacts", "NumberOfResponses", "NumberOfOpportunities", "NumberOfWonOpportunities"},
		"Account":        {"LastActivityDate"},
		"Contact":        {"Name"},
		"User":           {"Name", "LastLoginDate", "LastPasswordChangeDate"},
		"Organization":   {"IsSandbox", "OrganizationType", "InstanceName", "NamespacePrefix", "TrialExpirationDate", "FiscalYearStartMonth", "DefaultAccountAccess"},
	}
	writable := map[string][]string{
		"Opportunity":  {"ForecastCategoryName", "StageName", "Amount", "Probability", "CloseDate"},
		"Event":        {"DurationInMinutes", "EndDateTime", "StartDateTime"},
		"Contract":     {"StartDate", "ContractTerm", "Status"},
		"Organization": {"Name", "TimeZoneSidKey"},
		"Contact":      {"FirstName", "LastName", "Salutation"},
	}
	objects := standardByName(t)
	for object, names := range readOnly {
		for _, name := range names {
			if f := mustField(t, objects, object, name); f.Writable(true) || f.Writable(false) {
				t.Errorf("%s.%s is writable, want read-only", object, name)
			}
		}
	}
	for object, names := range writable {
		for _, name := range names {
			if f := mustField(t, objects, object, name); !f.Writable(true) || !f.Writable(false) {
				t.Errorf("%s.%s is read-only, want writable", object, name)
			}
		}
	}
	// Apart from its system fields, Organization is read-only except for
	// its name, address, contact details and a few settings.
	for _, f := range objects["Organization"].Fields {
		if f.Writable(false) && !strings.HasPrefix(f.Name, "Preferences") && !contains([]string{
			"Name", "Division", "Street", "City", "State", "PostalCode", "Country", "Latitude", "Longitude",
			"GeocodeAccuracy", "Phone", "Fax", "PrimaryContact", "DefaultLocaleSidKey", "TimeZoneSidKey",
			"LanguageLocaleKey", "DefaultCurrencyIsoCode", "ReceivesInfoEmails", "ReceivesAdminInfoEmails",
		}, f.Name) {
			t.Errorf("Organization.%s is writable", f.Name)
		}
	}
}

func TestStandardRelationships(t *testing.T) {
	tests := []struct {
		object, field string
		to            []string
		rel, children string
		onDelete      DeleteConstraint
	}{
		{"Account", "ParentId", []string{"Account"}, "Parent", "ChildAccounts", SetNull},
		{"Contact", "AccountId", []string{"Account"}, "Account", "Contacts", Cascade},
		{"Contact", "ReportsToId", []string{"Contact"}, "ReportsTo", "", SetNull},
		{"Opportunity", "AccountId", []string{"Account"}, "Account", "Opportunities", Cascade},
		{"Opportunity", "CampaignId", []string{"Campaign"}, "Campaign", "Opportunities", SetNull},
		{"OpportunityContactRole", "OpportunityId", []string{"Opportunity"}, "Opportunity", "OpportunityContactRoles", Cascade},
		{"OpportunityContactRole", "ContactId", []string{"Contact"}, "Contact", "OpportunityContactRoles", Cascade},
		{"Case", "AccountId", []string{"Account"}, "Account", "Cases", Restrict},
		{"Case", "ContactId", []string{"Contact"}, "Contact", "Cases", Restrict},
		{"Case", "ParentId", []string{"Case"}, "Parent", "Cases", SetNull},
		{"Contract", "AccountId", []string{"Account"}, "Account", "Contracts", Cascade},
		{"Campaign", "ParentId", []string{"Campaign"}, "Parent", "ChildCampaigns", SetNull},
		{"CampaignMember", "CampaignId", []string{"Campaign"}, "Campaign", "CampaignMembers", Cascade},
		{"CampaignMember", "ContactId", []string{"Contact"}, "Contact", "CampaignMembers", Cascade},
		{"CampaignMember", "LeadId", []string{"Lead"}, "Lead", "CampaignMembers", Cascade},
		{"Task", "WhoId", []string{"Contact", "Lead"}, "Who", "Tasks", Cascade},
		{"Task", "WhatId", []string{"Account", "Opportunity", "Campaign", "Case", "Contract"}, "What", "Tasks", Cascade},
		{"Event", "WhoId", []string{"Contact", "Lead"}, "Who", "Events", Cascade},
		{"Event", "WhatId", []string{"Account", "Opportunity", "Campaign", "Case", "Contract"}, "What", "Events", Cascade},
		{"EmailMessage", "ParentId", []string{"Case"}, "Parent", "EmailMessages", Cascade},
		{"EmailMessage", "ReplyToEmailMessageId", []string{"EmailMessage"}, "ReplyToEmailMessage", "Replies", SetNull},
		{"EmailMessageRelation", "EmailMessageId", []string{"EmailMessage"}, "EmailMessage", "EmailMessageRelations", Cascade},
		{"EmailMessageRelation", "RelationId", []string{"Contact", "Lead", "User"}, "Relation", "EmailMessageRelations", Cascade},
		{"Note", "ParentId", []string{"Account", "Contact", "Lead", "Opportunity", "Contract", "Campaign", "Case"}, "Parent", "Notes", Cascade},
		{"User", "ManagerId", []string{"User"}, "Manager", "ManagedUsers", SetNull},
		{"User", "ProfileId", []string{"Profile"}, "Profile", "Users", Restrict},
		{"Lead", "ConvertedAccountId", []string{"Account"}, "ConvertedAccount", "", SetNull},
	}
	objects := standardByName(t)
	for _, tc := range tests {
		f := mustField(t, objects, tc.object, tc.field)
		if f.Type != TypeLookup || !reflect.DeepEqual(f.ReferenceTo, tc.to) || f.RelationshipName != tc.rel ||
			f.ChildRelationshipName != tc.children || f.DeleteConstraint != tc.onDelete {
			t.Errorf("%s.%s = %s to %v as %s/%s on delete %s, want Lookup to %v as %s/%s on delete %s",
				tc.object, tc.field, f.Type, f.ReferenceTo, f.RelationshipName, f.ChildRelationshipName, f.DeleteConstraint,
				tc.to, tc.rel, tc.children, tc.onDelete)
		}
	}

	// The schema resolves the child relationships SOQL subqueries use.
	s := NewSchema(1, StandardObjects())
	children := []struct{ parent, name, child, field string }{
		{"Account", "Contacts", "Contact", "AccountId"},
		{"Account", "Opportunities", "Opportunity", "AccountId"},
		{"Account", "Cases", "Case", "AccountId"},
		{"Account", "ChildAccounts", "Account", "ParentId"},
		{"Account", "Contracts", "Contract", "AccountId"},
		{"Account", "Tasks", "Task", "WhatId"},
		{"Account", "Events", "Event", "WhatId"},
		{"Account", "Notes", "Note", "ParentId"},
		{"Contact", "Cases", "Case", "ContactId"},
		{"Contact", "CampaignMembers", "CampaignMember", "ContactId"},
		{"Contact", "Tasks", "Task", "WhoId"},
		{"Lead", "CampaignMembers", "CampaignMember", "LeadId"},
		{"Lead", "Events", "Event", "WhoId"},
		{"Opportunity", "OpportunityContactRoles", "OpportunityContactRole", "OpportunityId"},
		{"Campaign", "CampaignMembers", "CampaignMember", "CampaignId"},
		{"Campaign", "Opportunities", "Opportunity", "CampaignId"},
		{"Campaign", "ChildCampaigns", "Campaign", "ParentId"},
		{"Case", "Cases", "Case", "ParentId"},
		{"Case", "EmailMessages", "EmailMessage", "ParentId"},
		{"Case", "Emails", "EmailMessage", "RelatedToId"},
		{"EmailMessage", "Replies", "EmailMessage", "ReplyToEmailMessageId"},
		{"EmailMessage", "EmailMessageRelations", "EmailMessageRelation", "EmailMessageId"},
		{"Contact", "EmailMessageRelations", "EmailMessageRelation", "RelationId"},
	}
	for _, tc := range children {
		r, ok := s.ChildRelationship(s.Object(tc.parent), tc.name)
		if !ok {
			t.Errorf("%s has no child relationship %s", tc.parent, tc.name)
			continue
		}
		if r.Child.Name != tc.child || r.Field.Name != tc.field {
			t.Errorf("%s.%s = %s.%s, want %s.%s", tc.parent, tc.name, r.Child.Name, r.Field.Name, tc.child, tc.field)
		}
	}
	for _, prefix := range []string{"001", "003", "005", "00D", "00Q", "500", "02s"} {
		if s.ByPrefix(prefix) == nil {
			t.Errorf("ByPrefix(%q) = nil", prefix)
		}
	}
}

func TestStandardPicklists(t *testing.T) {
	objects := standardByName(t)
	list := func(object, field string) *Picklist {
		t.Helper()
		f := mustField(t, objects, object, field)
		if f.Picklist == nil {
			t.Fatalf("%s.%s has no picklist", object, field)
		}
		return f.Picklist
	}
	value := func(object, field, v string) PicklistValue {
		t.Helper()
		pv, ok := list(object, field).Lookup(v)
		if !ok {
			t.Fatalf("%s.%s has no value %q", object, field, v)
		}
		return pv
	}

	stages := []struct {
		value       string
		probability int
		forecast    string
		closed, won bool
	}{
		{"Prospecting", 10, "Pipeline", false, false},
		{"Qualification", 10, "Pipeline", false, false},
		{"Needs Analysis", 20, "Pipeline", false, false},
		{"Value Proposition", 50, "Pipeline", false, false},
		{"Id. Decision Makers", 60, "Pipeline", false, false},
		{"Perception Analysis", 70, "Pipeline", false, false},
		{"Proposal/Price Quote", 75, "Pipeline", false, false},
		{"Negotiation/Review", 90, "Pipeline", false, false},
		{"Closed Won", 100, "Closed", true, true},
		{"Closed Lost", 0, "Omitted", true, false},
	}
	stageList := list("Opportunity", "StageName")
	if len(stageList.Values) != len(stages) {
		t.Errorf("StageName has %d values, want %d", len(stageList.Values), len(stages))
	}
	forecasts := list("Opportunity", "ForecastCategoryName")
	for i, want := range stages {
		if i >= len(stageList.Values) {
			break
		}
		got := stageList.Values[i]
		if got.Value != want.value || got.Probability == nil || *got.Probability != want.probability ||
			got.ForecastCategory != want.forecast || got.Closed != want.closed || got.Won != want.won {
			t.Errorf("stage %d = %+v, want %+v", i, got, want)
		}
		if _, ok := forecasts.Lookup(got.ForecastCategory); !ok {
			t.Errorf("stage %s: forecast category %q is not a ForecastCategoryName value", got.Value, got.ForecastCategory)
		}
	}

	defaults := []struct{ object, field, want string }{
		{"Lead", "Status", "Open - Not Contacted"},
		{"Case", "Status", "New"},
		{"Case", "Priority", "Medium"},
		{"Task", "Status", "Not Started"},
		{"Task", "Priority", "Normal"},
		{"CampaignMember", "Status", "Sent"},
		{"Contract", "Status", "Draft"},
		{"Event", "ShowAs", "Busy"},
	}
	for _, tc := range defaults {
		if got, ok := list(tc.object, tc.field).DefaultValue(); !ok || got != tc.want {
			t.Errorf("%s.%s default = %q, %v, want %q", tc.object, tc.field, got, ok, tc.want)
		}
	}
	if !value("Lead", "Status", "Closed - Converted").Converted || value("Lead", "Status", "Working - Contacted").Converted {
		t.Error("Lead.Status: only Closed - Converted should be converted")
	}
	if !value("Case", "Status", "Closed").Closed || value("Case", "Status", "Escalated").Closed {
		t.Error("Case.Status: only Closed should be closed")
	}
	if !value("Task", "Status", "Completed").Closed || value("Task", "Status", "Deferred").Closed {
		t.Error("Task.Status: only Completed should be closed")
	}
	if got := value("EmailMessage", "Status", "3").DisplayLabel(); got != "Sent" {
		t.Errorf("EmailMessage.Status 3 label = %q, want Sent", got)
	}
	if n := len(list("Account", "Industry").Values); n < 30 {
		t.Errorf("Account.Industry has %d values, want Salesforce's 32", n)
	}
	for _, tz := range []string{"America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Paris", "Asia/Tokyo", "Australia/Sydney", "GMT"} {
		value("User", "TimeZoneSidKey", tz)
		value("Organization", "TimeZoneSidKey", tz)
	}
	for _, l := range []string{"en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "ja_JP"} {
		value("User", "LocaleSidKey", l)
	}
	for _, s := range []string{"Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx."} {
		value("Contact", "Salutation", s)
		value("Lead", "Salutation", s)
	}

	restricted := []struct {
		object, field string
		want          bool
	}{
		{"Opportunity", "StageName", true},
		{"Opportunity", "ForecastCategoryName", true},
		{"Lead", "Status", true},
		{"Case", "Status", true},
		{"Task", "Status", true},
		{"Task", "Priority", true},
		{"Contract", "Status", true},
		{"Account", "Industry", false},
		{"Account", "Type", false},
		{"Lead", "LeadSource", false},
		{"Case", "Origin", false},
		{"User", "TimeZoneSidKey", false},
	}
	for _, tc := range restricted {
		if got := list(tc.object, tc.field).Restricted; got != tc.want {
			t.Errorf("%s.%s restricted = %v, want %v", tc.object, tc.field, got, tc.want)
		}
	}
}

// TestStandardObjectsFresh checks that each call returns definitions of its
// own: changing one result, deeply, leaves the next call's alone.
func TestStandardObjectsFresh(t *testing.T) {
	want := StandardObjects()
	got := StandardObjects()
	if !reflect.DeepEqual(got, want) {
		t.Fatal("two calls of StandardObjects() differ")
	}
	for _, o := range got {
		o.Name += "X"
		o.KeyPrefix = "zzz"
		for _, f := range o.Fields {
			f.Name += "X"
			f.Label = ""
			for i := range f.ReferenceTo {
				f.ReferenceTo[i] = "Nowhere"
			}
			if f.Picklist != nil {
				f.Picklist.Restricted = !f.Picklist.Restricted
				for i := range f.Picklist.Values {
					v := &f.Picklist.Values[i]
					v.Value += "X"
					v.Default = !v.Default
					if v.Probability != nil {
						*v.Probability = 42
					}
				}
			}
		}
		o.Fields = append(o.Fields[:1], o.Fields[2:]...)
		_ = o.Field("Id") // builds the index
	}
	again := StandardObjects()
	if !reflect.DeepEqual(again, want) {
		for i := range again {
			if !reflect.DeepEqual(again[i], want[i]) {
				t.Errorf("StandardObjects()[%d] (%s) changed after the previous result was modified", i, want[i].Name)
			}
		}
	}
	if p := mustField(t, standardByName(t), "Opportunity", "StageName").Picklist.Values[0].Probability; p == nil || *p != 10 {
		t.Errorf("Prospecting probability changed to %v", p)
	}
}

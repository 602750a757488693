package metadata

// StandardObjects returns fresh definitions of the standard objects that ship
// in every new org, with the fields Salesforce ships on each.
//
// The order is Organization and the security objects (Profile, UserRole,
// User, Group), then the sales, service and activity objects, each after the
// objects its lookups point at. The exceptions are cycles Salesforce has too:
// every object's system fields point at User (and owners at Group), the
// security objects point at User, and a portal user points at its Contact
// and Account. A store therefore creates every table before it relies on
// any reference.
//
// Table and Column are empty except on the system fields: the store assigns
// physical names when it installs the objects. Compound fields (addresses,
// geolocations) are not modelled yet; their parts carry the compound's name
// in Field.Compound.
func StandardObjects() []*Object {
	objs := standardObjects()
	for _, o := range objs {
		o.SharingModel = defaultSharing[o.Name]
	}
	return objs
}

// defaultSharing holds the org-wide defaults of a new org; objects not
// listed are Public Read/Write.
var defaultSharing = map[string]string{
	"Account":                 SharingReadWrite,
	"Contact":                 SharingControlledByParent,
	"Opportunity":             SharingReadWrite,
	"OpportunityContactRole":  SharingControlledByParent,
	"Lead":                    SharingReadWrite,
	"Case":                    SharingReadWrite,
	"Campaign":                SharingReadWrite,
	"CampaignMember":          SharingControlledByParent,
	"Contract":                SharingReadWrite,
	"Task":                    SharingPrivate,
	"Event":                   SharingPrivate,
	"EmailMessage":            SharingControlledByParent,
	"EmailMessageRelation":    SharingControlledByParent,
	"Note":                    SharingControlledByParent,
	"User":                    SharingRead,
	"Organization":            SharingRead,
	"Profile":                 SharingRead,
	"UserRole":                SharingRead,
	"Group":                   SharingRead,
	"PermissionSet":           SharingRead,
	"ObjectPermissions":       SharingRead,
	"FieldPermissions":        SharingRead,
	"PermissionSetAssignment": SharingRead,
	"GroupMember":             SharingRead,
	"SetupAuditTrail":         SharingRead,
	"ListView":                SharingRead,
	"RecentView":              SharingPrivate,
}

func standardObjects() []*Object {
	return []*Object{
		organizationObject(),
		profileObject(),
		userRoleObject(),
		userObject(),
		groupObject(),
		permissionSetObject(),
		objectPermissionsObject(),
		fieldPermissionsObject(),
		permissionSetAssignmentObject(),
		groupMemberObject(),
		setupAuditTrailObject(),
		accountObject(),
		contactObject(),
		campaignObject(),
		contractObject(),
		opportunityObject(),
		leadObject(),
		opportunityContactRoleObject(),
		campaignMemberObject(),
		caseObject(),
		taskObject(),
		eventObject(),
		emailMessageObject(),
		emailMessageRelationObject(),
		noteObject(),
		listViewObject(),
		recentViewObject(),
	}
}

// A fieldOption adjusts a field as it is built.
type fieldOption func(*Field)

func required(f *Field)   { f.Required = true }
func readOnly(f *Field)   { f.ReadOnly = true }
func createOnly(f *Field) { f.CreateOnly = true }
func unique(f *Field)     { f.Unique = true }
func externalID(f *Field) { f.ExternalID = true }
func isName(f *Field)     { f.NameField = true }

// restricted refuses picklist values that are not in the list.
func restricted(f *Field) { f.Picklist.Restricted = true }

// children names the relationship from the lookup's target back to its
// children (Account.Contacts).
func children(name string) fieldOption {
	return func(f *Field) { f.ChildRelationshipName = name }
}

func onDelete(c DeleteConstraint) fieldOption {
	return func(f *Field) { f.DeleteConstraint = c }
}

func defaultValue(v string) fieldOption {
	return func(f *Field) { f.DefaultValue = v }
}

func compound(name string) fieldOption {
	return func(f *Field) { f.Compound = name }
}

func about(text string) fieldOption {
	return func(f *Field) { f.Description = text }
}

func newField(name, label string, t FieldType, opts []fieldOption) *Field {
	f := &Field{Name: name, Label: label, Type: t}
	for _, o := range opts {
		o(f)
	}
	return f
}

func text(name, label string, length int, opts ...fieldOption) *Field {
	f := newField(name, label, TypeText, opts)
	f.Length = length
	return f
}

func textArea(name, label string, length int, opts ...fieldOption) *Field {
	f := newField(name, label, TypeTextArea, opts)
	f.Length = length
	return f
}

func longTextArea(name, label string, length int, opts ...fieldOption) *Field {
	f := newField(name, label, TypeLongTextArea, opts)
	f.Length = length
	return f
}

func richText(name, label string, length int, opts ...fieldOption) *Field {
	f := newField(name, label, TypeHTML, opts)
	f.Length = length
	return f
}

func email(name, label string, length int, opts ...fieldOption) *Field {
	f := newField(name, label, TypeEmail, opts)
	f.Length = length
	return f
}

// phone fields are 40 characters in Salesforce.
func phone(name, label string, opts ...fieldOption) *Field {
	f := newField(name, label, TypePhone, opts)
	f.Length = 40
	return f
}

func link(name, label string, length int, opts ...fieldOption) *Field {
	f := newField(name, label, TypeURL, opts)
	f.Length = length
	return f
}

func number(name, label string, precision, scale int, opts ...fieldOption) *Field {
	f := newField(name, label, TypeNumber, opts)
	f.Precision, f.Scale = precision, scale
	return f
}

func currency(name, label string, precision, scale int, opts ...fieldOption) *Field {
	f := newField(name, label, TypeCurrency, opts)
	f.Precision, f.Scale = precision, scale
	return f
}

func percent(name, label string, precision, scale int, opts ...fieldOption) *Field {
	f := newField(name, label, TypePercent, opts)
	f.Precision, f.Scale = precision, scale
	return f
}

// checkbox defaults to false unless an fieldOption says otherwise.
func checkbox(name, label string, opts ...fieldOption) *Field {
	return newField(name, label, TypeCheckbox, append([]fieldOption{defaultValue("false")}, opts...))
}

func date(name, label string, opts ...fieldOption) *Field {
	return newField(name, label, TypeDate, opts)
}

func dateTime(name, label string, opts ...fieldOption) *Field {
	return newField(name, label, TypeDateTime, opts)
}

func picklist(name, label string, values []PicklistValue, opts ...fieldOption) *Field {
	f := &Field{Name: name, Label: label, Type: TypePicklist, Picklist: &Picklist{Values: values}}
	for _, o := range opts {
		o(f)
	}
	return f
}

func autoNumber(name, label, format string, opts ...fieldOption) *Field {
	f := newField(name, label, TypeAutoNumber, append([]fieldOption{readOnly}, opts...))
	f.Length = 30
	f.DisplayFormat = format
	f.StartingNumber = 1
	return f
}

// lookup builds a lookup to one or more objects (several make it
// polymorphic). Deleting the target clears it unless an fieldOption says
// otherwise.
func lookup(name, label, relationship string, to []string, opts ...fieldOption) *Field {
	f := &Field{
		Name: name, Label: label, Type: TypeLookup,
		ReferenceTo: to, RelationshipName: relationship, DeleteConstraint: SetNull,
	}
	for _, o := range opts {
		o(f)
	}
	return f
}

func to(objects ...string) []string { return objects }

// values builds picklist values whose labels are their values, marking def
// (if not empty) as the default.
func values(def string, vs ...string) []PicklistValue {
	out := make([]PicklistValue, len(vs))
	for i, v := range vs {
		out[i] = PicklistValue{Value: v, Default: v == def}
	}
	return out
}

// labeled builds picklist values from value, label pairs, marking def (if not
// empty) as the default.
func labeled(def string, pairs ...string) []PicklistValue {
	out := make([]PicklistValue, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, PicklistValue{Value: pairs[i], Label: pairs[i+1], Default: pairs[i] == def})
	}
	return out
}

// ownedBy returns the system fields of an owned object whose OwnerId points at
// targets rather than at User or Group.
func ownedBy(targets ...string) []*Field {
	fs := SystemFields(true)
	for _, f := range fs {
		if f.Name == FieldOwnerID {
			f.ReferenceTo = targets
		}
	}
	return fs
}

// address returns the parts of a compound address: Billing for BillingStreet
// … BillingGeocodeAccuracy (compound BillingAddress), or "" for Street …
// GeocodeAccuracy (compound Address).
func address(prefix string, opts ...fieldOption) []*Field {
	label := ""
	if prefix != "" {
		label = prefix + " "
	}
	opts = append([]fieldOption{compound(prefix + "Address")}, opts...)
	return []*Field{
		textArea(prefix+"Street", label+"Street", 255, opts...),
		text(prefix+"City", label+"City", 40, opts...),
		text(prefix+"State", label+"State/Province", 80, opts...),
		text(prefix+"PostalCode", label+"Zip/Postal Code", 20, opts...),
		text(prefix+"Country", label+"Country", 80, opts...),
		number(prefix+"Latitude", label+"Latitude", 18, 15, opts...),
		number(prefix+"Longitude", label+"Longitude", 18, 15, opts...),
		picklist(prefix+"GeocodeAccuracy", label+"Geocode Accuracy", geocodeAccuracies(), append(opts, restricted)...),
	}
}

func geocodeAccuracies() []PicklistValue {
	return labeled("",
		"Address", "Address",
		"NearAddress", "Near Address",
		"Block", "Block",
		"Street", "Street",
		"ExtendedZip", "Extended Zip",
		"Zip", "Zip",
		"Neighborhood", "Neighborhood",
		"City", "City",
		"County", "County",
		"State", "State",
		"Unknown", "Unknown",
	)
}

// personName returns the parts of a person's compound Name and the read-only
// Name itself, which Rapport computes from them. Salutation is left out for
// users, who have none in Salesforce.
func personName(salutation bool) []*Field {
	part := compound("Name")
	fs := []*Field{
		text("LastName", "Last Name", 80, part, required),
		text("FirstName", "First Name", 40, part),
	}
	if salutation {
		fs = append(fs, picklist("Salutation", "Salutation", salutations(), part))
	}
	return append(fs,
		text("MiddleName", "Middle Name", 40, part),
		text("Suffix", "Suffix", 40, part),
		text("Name", "Full Name", 121, readOnly, isName),
	)
}

func salutations() []PicklistValue {
	return values("", "Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "Mx.")
}

// recordViews returns the per-record view stamps Salesforce maintains.
func recordViews() []*Field {
	return []*Field{
		dateTime("LastViewedDate", "Last Viewed Date", readOnly),
		dateTime("LastReferencedDate", "Last Referenced Date", readOnly),
	}
}

func lastActivityDate() *Field {
	return date("LastActivityDate", "Last Activity", readOnly)
}

func masterRecord(object string) *Field {
	return lookup("MasterRecordId", "Master Record ID", "MasterRecord", to(object), readOnly)
}

func leadSources() []PicklistValue {
	return values("", "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other")
}

func ratings() []PicklistValue {
	return values("", "Hot", "Warm", "Cold")
}

func industries() []PicklistValue {
	return values("",
		"Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications",
		"Construction", "Consulting", "Education", "Electronics", "Energy", "Engineering",
		"Entertainment", "Environmental", "Finance", "Food & Beverage", "Government",
		"Healthcare", "Hospitality", "Insurance", "Machinery", "Manufacturing", "Media",
		"Not For Profit", "Other", "Recreation", "Retail", "Shipping", "Technology",
		"Telecommunications", "Transportation", "Utilities",
	)
}

// cleanStatuses are the Data.com clean states of accounts, contacts and
// leads.
func cleanStatuses() []PicklistValue {
	return labeled("",
		"Matched", "In Sync",
		"Different", "Different",
		"Acknowledged", "Reviewed",
		"NotFound", "Not Found",
		"Inactive", "Inactive",
		"Pending", "Not Compared",
		"SelectMatch", "Select Match",
		"Skipped", "Skipped",
	)
}

// Activity targets: the objects among the standard ones whose records can
// have tasks, events and emails.
func whoTargets() []string { return []string{"Contact", "Lead"} }

func whatTargets() []string {
	return []string{"Account", "Opportunity", "Campaign", "Case", "Contract"}
}

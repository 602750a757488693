package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/tenant"
)

func testOrgCreate(t *testing.T, s Store) {
	e := NewEnv(t, s)
	ctx := context.Background()
	o, err := s.Org(ctx, e.Org.OrgID)
	if err != nil || o.Status != tenant.StatusActive {
		t.Fatalf("Org(%s) = %+v, %v; want active", e.Org.OrgID, o, err)
	}
	if e.Org.OrgID.Prefix() != "00D" || e.Org.UserID.Prefix() != "005" || len(e.Org.OrgID) != 18 {
		t.Errorf("ids %s %s: want 18-character 00D… and 005…", e.Org.OrgID, e.Org.UserID)
	}
	id, err := e.Tenants.Authenticate(ctx, strings.ToUpper(e.Org.Username), "correct horse 9")
	if err != nil || id.UserID != e.Org.UserID || id.OrgID != e.Org.OrgID {
		t.Fatalf("Authenticate(right password) = %+v, %v", id, err)
	}
	if _, err := e.Tenants.Authenticate(ctx, e.Org.Username, "wrong horse 9"); code(err) != rapport.InvalidLogin {
		t.Errorf("Authenticate(wrong password) = %v, want INVALID_LOGIN", err)
	}
	if _, err := e.Tenants.Authenticate(ctx, "nobody@nowhere.example", "correct horse 9"); code(err) != rapport.InvalidLogin {
		t.Errorf("Authenticate(unknown user) = %v, want INVALID_LOGIN", err)
	}

	// The same username in another org is refused, and leaves nothing.
	before, err := s.Orgs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Tenants.CreateOrg(ctx, tenant.OrgParams{Name: "Copycat", Username: e.Org.Username, Password: "another pass 1"})
	if code(err) != rapport.DuplicateValue {
		t.Fatalf("CreateOrg(taken username) = %v, want DUPLICATE_VALUE", err)
	}
	after, _ := s.Orgs(ctx)
	if len(after) != len(before) {
		t.Errorf("orgs after a refused create: %d, want %d", len(after), len(before))
	}

	// Connected apps are stored with a hashed secret.
	creds, err := e.Tenants.CreateConnectedApp(ctx, e.Org.OrgID, "Integration")
	if err != nil {
		t.Fatal(err)
	}
	app, err := s.ConnectedApp(ctx, creds.ClientID)
	if err != nil || app.OrgID != e.Org.OrgID || app.SecretHash != tenant.HashSecret(creds.ClientSecret) || strings.Contains(app.SecretHash, creds.ClientSecret) {
		t.Errorf("ConnectedApp = %+v, %v", app, err)
	}
	if _, err := e.Tenants.CreateConnectedApp(ctx, "00D000000000000AAA", "Ghost"); code(err) != rapport.NotFound {
		t.Errorf("CreateConnectedApp(unknown org) = %v, want NOT_FOUND", err)
	}
}

func testOrgCreateBadInput(t *testing.T, s Store) {
	ten := NewEnv(t, s).Tenants
	good := tenant.OrgParams{Name: "Acme", Username: "owner@acme.example", Password: "s3cret-pass"}
	cases := []struct {
		name  string
		edit  func(p *tenant.OrgParams)
		field string
	}{
		{"no name", func(p *tenant.OrgParams) { p.Name = " " }, "Name"},
		{"username not an email", func(p *tenant.OrgParams) { p.Username = "owner" }, "Username"},
		{"short password", func(p *tenant.OrgParams) { p.Password = "a1" }, "Password"},
		{"password without digit", func(p *tenant.OrgParams) { p.Password = "abcdefghij" }, "Password"},
		{"bad currency", func(p *tenant.OrgParams) { p.Currency = "dollars" }, "Currency"},
		{"bad time zone", func(p *tenant.OrgParams) { p.TimeZone = "Mars/Olympus" }, "TimeZone"},
		{"bad locale", func(p *tenant.OrgParams) { p.Locale = "english" }, "Locale"},
		{"bad fiscal month", func(p *tenant.OrgParams) { p.FiscalYearStart = 13 }, "FiscalYearStart"},
	}
	before, _ := s.Orgs(context.Background())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := good
			tc.edit(&p)
			_, err := ten.CreateOrg(context.Background(), p)
			var re *rapport.Error
			if err == nil || !asError(err, &re) || re.Code != rapport.InvalidArgument || len(re.Fields) != 1 || re.Fields[0] != tc.field {
				t.Fatalf("CreateOrg(%s) = %v, want INVALID_INPUT on %s", tc.name, err, tc.field)
			}
		})
	}
	after, _ := s.Orgs(context.Background())
	if len(after) != len(before) {
		t.Errorf("orgs after refused creates: %d, want %d", len(after), len(before))
	}
}

func testStandardObjects(t *testing.T, s Store) {
	e := NewEnv(t, s)
	sch, err := e.Records.Schema(e.Ctx, e.Org.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Organization": "00D", "User": "005", "Account": "001", "Contact": "003", "Lead": "00Q", "Opportunity": "006",
		"OpportunityContactRole": "00K", "Case": "500", "Campaign": "701", "CampaignMember": "00v", "Contract": "800",
		"Task": "00T", "Event": "00U", "EmailMessage": "02s", "EmailMessageRelation": "0E8", "Note": "002", "Profile": "00e", "UserRole": "00E", "Group": "00G",
	}
	for name, prefix := range want {
		o := sch.Object(strings.ToLower(name))
		if o == nil || o.Name != name || o.KeyPrefix != prefix {
			t.Errorf("object %s: got %+v, want prefix %s", name, o, prefix)
			continue
		}
		for _, f := range o.Fields {
			if f.Stored() && f.Column == "" {
				t.Errorf("%s.%s has no column", name, f.Name)
			}
		}
	}
	if rel, ok := sch.ChildRelationship(sch.Object("Account"), "contacts"); !ok || rel.Child.Name != "Contact" || rel.Field.Name != "AccountId" {
		t.Errorf("Account.Contacts = %+v, %v", rel, ok)
	}
	org := e.get("Organization", e.Org.OrgID)
	if org.Values["Name"] == "" || org.Values["TimeZoneSidKey"] != "America/Los_Angeles" || org.Values["DefaultCurrencyIsoCode"] != "USD" ||
		org.Values["FiscalYearStartMonth"] != 1.0 || org.Values["OrganizationType"] == nil {
		t.Errorf("Organization record = %v", org.Values)
	}
	user := e.get("User", e.Org.UserID)
	if user.Values["Username"] != e.Org.Username || user.Values["Name"] != "Administrator" || user.Values["IsActive"] != true {
		t.Errorf("admin User = %v", user.Values)
	}
	if user.Values["CreatedById"] != e.Org.UserID {
		t.Errorf("admin CreatedById = %v", user.Values["CreatedById"])
	}
	if user.Values["ProfileId"] == nil {
		t.Errorf("admin has no profile")
	}
}

func asError(err error, target **rapport.Error) bool {
	e, ok := err.(*rapport.Error)
	if ok {
		*target = e
		return true
	}
	if u, ok := err.(interface{ Unwrap() error }); ok && u.Unwrap() != nil {
		return asError(u.Unwrap(), target)
	}
	return false
}

// customObject creates Widget__c with a field of every type, and a parent
// object for its lookups.
func (e *Env) customObject() *metadata.Object {
	e.T.Helper()
	pct := 5
	_ = pct
	obj, err := e.Records.CreateObject(e.Ctx, &metadata.Object{
		Name: "Widget__c", Label: "Widget", PluralLabel: "Widgets", TrackHistory: true,
		Fields: []*metadata.Field{
			{Name: "Code__c", Type: metadata.TypeText, Length: 20, Unique: true, ExternalID: true},
			{Name: "Notes__c", Type: metadata.TypeTextArea},
			{Name: "Spec__c", Type: metadata.TypeLongTextArea, Length: 1000},
			{Name: "Body__c", Type: metadata.TypeHTML, Length: 5000},
			{Name: "Contact_Email__c", Type: metadata.TypeEmail},
			{Name: "Hotline__c", Type: metadata.TypePhone},
			{Name: "Site__c", Type: metadata.TypeURL},
			{Name: "Qty__c", Type: metadata.TypeNumber, Precision: 6, Scale: 0, TrackHistory: true},
			{Name: "Price__c", Type: metadata.TypeCurrency, Precision: 10, Scale: 2},
			{Name: "Discount__c", Type: metadata.TypePercent, Precision: 5, Scale: 2},
			{Name: "Active__c", Type: metadata.TypeCheckbox, DefaultValue: "true"},
			{Name: "Launch__c", Type: metadata.TypeDate},
			{Name: "Shipped__c", Type: metadata.TypeDateTime},
			{Name: "Opens__c", Type: metadata.TypeTime},
			{Name: "Color__c", Type: metadata.TypePicklist, TrackHistory: true, Picklist: &metadata.Picklist{Restricted: true, Values: []metadata.PicklistValue{
				{Value: "Red"}, {Value: "Green", Default: true}, {Value: "Blue"}}}},
			{Name: "Sizes__c", Type: metadata.TypeMultiPicklist, Picklist: &metadata.Picklist{Values: []metadata.PicklistValue{
				{Value: "S"}, {Value: "M"}, {Value: "L"}}}},
			{Name: "Account__c", Type: metadata.TypeLookup, ReferenceTo: []string{"Account"}, ChildRelationshipName: "Widgets"},
			{Name: "Serial__c", Type: metadata.TypeAutoNumber, DisplayFormat: "W-{0000}", StartingNumber: 7},
		},
	})
	if err != nil {
		e.T.Fatalf("CreateObject(Widget__c): %v", err)
	}
	return obj
}

package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/tenant"
)

// schemaObject reads an object's metadata as the record service has it.
func (h *harness) schemaObject(name string) *metadata.Object {
	h.t.Helper()
	sch, err := h.env.Records.Schema(h.env.Ctx, h.env.Org.OrgID)
	if err != nil {
		h.t.Fatal(err)
	}
	return sch.AnyObject(name)
}

// form builds url.Values from alternating keys and values.
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// createObject creates a custom object through the Object Manager's form.
func (b *browser) createObject(kv ...string) page {
	b.t.Helper()
	b.get("/setup/objects/new")
	return b.post("/setup/objects", form(kv...))
}

func TestObjectManagerObjects(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		b := h.signIn()
		p := b.get("/setup/objects")
		p.mustContain(t, "Object Manager", "New custom object", `href="/setup/objects/Account"`, `href="/setup/objects/Opportunity"`, "Standard")
		p = b.get("/setup/objects?q=opportun")
		p.mustContain(t, `href="/setup/objects/Opportunity"`)
		if strings.Contains(p.Body, `href="/setup/objects/Account"`) {
			t.Error("searching objects for opportun lists Account")
		}
		// htmx asks for the table alone.
		req, _ := http.NewRequest("GET", h.URL("/setup/objects?q=contact"), nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "objects-table")
		p = b.do(req)
		p.mustContain(t, `id="objects-table"`, `href="/setup/objects/Contact"`)
		if strings.Contains(p.Body, "<html") {
			t.Error("the htmx search answered a whole page")
		}

		// Missing label: 422, the message next to the label, nothing created.
		p = b.createObject("label", "", "name", "Nothing__c")
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("object without a label: %d", p.Status)
		}
		p.mustContain(t, `id="f-label-err"`, "Enter a label.")
		if h.schemaObject("Nothing__c") != nil {
			t.Fatal("an object without a label was created")
		}
		// A bad auto-number format.
		p = b.createObject("label", "Badge", "name_type", "AutoNumber", "display_format", "B-", "starting_number", "1")
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad display format: %d", p.Status)
		}
		p.mustContain(t, `id="f-display-format-err"`, "{0000}")
		// A bad API name, refused by the record service, shown next to the API name.
		p = b.createObject("label", "Odd", "name", "9lives__c")
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad API name: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, `id="f-name-err"`, "9lives__c")
		if h.schemaObject("9lives__c") != nil {
			t.Fatal("an object with a bad API name was created")
		}

		// Create: the API name comes from the label.
		p = b.createObject("label", "Conference Session", "plural", "Conference Sessions", "description", "A talk at the conference",
			"name_label", "Session Title", "name_type", "Text", "track", "on", "sharing", "Private")
		if p.Status != http.StatusOK || !strings.HasSuffix(strings.Split(p.URL, "?")[0], "/setup/objects/Conference_Session__c") {
			t.Fatalf("create object: %d at %s\n%s", p.Status, p.URL, p.Body)
		}
		p.mustContain(t, "Created Conference Session", "Session Title", "Private", `href="/setup/objects/Conference_Session__c/fields/new"`, `href="/o/Conference_Session__c"`)
		o := h.schemaObject("Conference_Session__c")
		if o == nil || !o.Custom || o.Label != "Conference Session" || o.PluralLabel != "Conference Sessions" || !o.TrackHistory ||
			o.Sharing() != metadata.SharingPrivate || o.Description != "A talk at the conference" || len(o.KeyPrefix) != 3 {
			t.Fatalf("created object = %+v", o)
		}
		if nf := o.Field(o.NameField); nf == nil || nf.Label != "Session Title" || nf.Type != metadata.TypeText {
			t.Fatalf("name field = %+v", nf)
		}
		// Its tab is in the navigation, and the list shows it as custom.
		b.get("/home").mustContain(t, `href="/o/Conference_Session__c"`)
		p = b.get("/setup/objects?q=conference")
		p.mustContain(t, "Conference Session", "Custom", o.KeyPrefix, "A talk at the conference")

		// The same name again: 422 next to the API name, nothing changed.
		p = b.createObject("label", "Conference Session")
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("duplicate object: %d", p.Status)
		}
		p.mustContain(t, `id="f-name-err"`, "already exists")

		// An auto-numbered object.
		p = b.createObject("label", "Badge", "name_type", "AutoNumber", "display_format", "B-{0000}", "starting_number", "100", "sharing", "Read")
		if p.Status != http.StatusOK {
			t.Fatalf("create auto-number object: %d\n%s", p.Status, p.Body)
		}
		badge := h.schemaObject("Badge__c")
		if nf := badge.Field("Name"); nf == nil || nf.Type != metadata.TypeAutoNumber || nf.DisplayFormat != "B-{0000}" || nf.StartingNumber != 100 {
			t.Fatalf("badge name field = %+v", nf)
		}
		if badge.Sharing() != metadata.SharingRead {
			t.Errorf("badge sharing = %s", badge.Sharing())
		}

		// Edit: labels, description, sharing, name field label.
		b.get("/setup/objects/Badge__c/edit").mustContain(t, `value="Badge"`)
		p = b.post("/setup/objects/Badge__c", form("label", "Event Badge", "plural", "Event Badges", "name", "Badge__c", "description", "Printed at the door",
			"name_label", "Badge Number", "sharing", "ReadWrite"))
		if p.Status != http.StatusOK {
			t.Fatalf("edit object: %d\n%s", p.Status, p.Body)
		}
		badge = h.schemaObject("Badge__c")
		if badge.Label != "Event Badge" || badge.PluralLabel != "Event Badges" || badge.Description != "Printed at the door" ||
			badge.Sharing() != metadata.SharingReadWrite || badge.Field("Name").Label != "Badge Number" || badge.TrackHistory {
			t.Fatalf("edited object = %+v, name %+v", badge, badge.Field("Name"))
		}
		p = b.post("/setup/objects/Badge__c", form("label", "", "name", "Badge__c"))
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("edit without a label: %d", p.Status)
		}

		// Delete, undelete, delete, purge.
		p = b.post("/setup/objects/Badge__c/delete", nil)
		p.mustContain(t, "Deleted Event Badge", "Deleted objects", "/setup/objects/Badge__c/undelete")
		if o := h.schemaObject("Badge__c"); o == nil || !o.Deleted {
			t.Fatal("deleted object is not marked deleted")
		}
		if p = b.get("/setup/objects/Badge__c"); p.Status != http.StatusNotFound {
			t.Errorf("a deleted object's page: %d", p.Status)
		}
		b.post("/setup/objects/Badge__c/undelete", nil).mustContain(t, "Undeleted")
		if o := h.schemaObject("Badge__c"); o == nil || o.Deleted {
			t.Fatal("undeleted object is still deleted")
		}
		b.post("/setup/objects/Badge__c/delete", nil)
		b.post("/setup/objects/Badge__c/purge", nil).mustContain(t, "Purged")
		if h.schemaObject("Badge__c") != nil {
			t.Fatal("purged object still exists")
		}
		// A standard object cannot be deleted.
		if p = b.post("/setup/objects/Account/delete", nil); p.Status == http.StatusOK || h.schemaObject("Account").Deleted {
			t.Fatalf("deleting Account: %d", p.Status)
		}
	})
}

func TestObjectManagerFields(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		b := h.signIn()
		if p := b.createObject("label", "Conference", "sharing", "ReadWrite"); p.Status != http.StatusOK {
			t.Fatalf("create Conference: %d\n%s", p.Status, p.Body)
		}
		if p := b.createObject("label", "Session"); p.Status != http.StatusOK {
			t.Fatalf("create Session: %d\n%s", p.Status, p.Body)
		}
		// Step one lists the types; step two shows a type's settings.
		p := b.get("/setup/objects/Session__c/fields/new")
		p.mustContain(t, "choose the field's type", `value="MasterDetail"`, `value="Html"`, "Roll-Up Summary")
		p = b.get("/setup/objects/Session__c/fields/new?type=Picklist")
		p.mustContain(t, `name="values"`, `name="restricted"`, `id="field-form"`)
		p = b.htmx("GET", "/setup/objects/Session__c/fields/settings?type=Lookup", nil)
		p.mustContain(t, `name="target"`, `name="constraint"`, `value="Account"`)
		if strings.Contains(p.Body, "<html") || strings.Contains(p.Body, `name="values"`) {
			t.Error("the settings fragment is not the lookup's alone")
		}
		b.htmx("GET", "/setup/objects/api-name?label="+url.QueryEscape("Room (main) #2"), nil).mustContain(t, `placeholder="Room_main_2__c"`)

		cases := []struct {
			name  string
			obj   string
			form  url.Values
			field string
			check func(f *metadata.Field) bool
		}{
			{"text", "Session__c", form("type", "Text", "label", "Code", "length", "20", "unique", "on", "case_sensitive", "on", "external", "on", "help", "Internal code"), "Code__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypeText && f.Length == 20 && f.Unique && f.CaseSensitive && f.ExternalID && f.HelpText == "Internal code")
				}},
			{"text area", "Session__c", form("type", "TextArea", "label", "Notes", "lines", "4"), "Notes__c",
				func(f *metadata.Field) bool { return (f.Type == metadata.TypeTextArea && f.VisibleLines == 4) }},
			{"long text area", "Session__c", form("type", "LongTextArea", "label", "Abstract", "length", "1000", "lines", "8", "required", "on"), "Abstract__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypeLongTextArea && f.Length == 1000 && f.VisibleLines == 8 && f.Required)
				}},
			{"rich text", "Session__c", form("type", "Html", "label", "Body", "length", "5000"), "Body__c",
				func(f *metadata.Field) bool { return (f.Type == metadata.TypeHTML && f.Length == 5000) }},
			{"email", "Session__c", form("type", "Email", "label", "Contact Email", "unique", "on"), "Contact_Email__c",
				func(f *metadata.Field) bool { return (f.Type == metadata.TypeEmail && f.Unique) }},
			{"phone", "Session__c", form("type", "Phone", "label", "Hotline"), "Hotline__c",
				func(f *metadata.Field) bool { return (f.Type == metadata.TypePhone) }},
			{"url", "Session__c", form("type", "Url", "label", "Slides"), "Slides__c",
				func(f *metadata.Field) bool { return (f.Type == metadata.TypeURL) }},
			{"number", "Session__c", form("type", "Number", "label", "Seats", "precision", "6", "scale", "0", "default", "100"), "Seats__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypeNumber && f.Precision == 6 && f.Scale == 0 && f.DefaultValue == "100")
				}},
			{"currency", "Session__c", form("type", "Currency", "label", "Fee", "precision", "10", "scale", "2"), "Fee__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypeCurrency && f.Precision == 12 && f.Scale == 2)
				}},
			{"percent", "Session__c", form("type", "Percent", "label", "Fill Rate", "precision", "3", "scale", "1"), "Fill_Rate__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypePercent && f.Precision == 4 && f.Scale == 1)
				}},
			{"checkbox", "Session__c", form("type", "Checkbox", "label", "Recorded", "default_checked", "on"), "Recorded__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypeCheckbox && f.DefaultValue == "true")
				}},
			{"date", "Session__c", form("type", "Date", "label", "Day", "default", "2025-10-14"), "Day__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypeDate && f.DefaultValue == "2025-10-14")
				}},
			{"date/time", "Session__c", form("type", "DateTime", "label", "Starts"), "Starts__c",
				func(f *metadata.Field) bool { return (f.Type == metadata.TypeDateTime) }},
			{"time", "Session__c", form("type", "Time", "label", "Doors Open"), "Doors_Open__c",
				func(f *metadata.Field) bool { return (f.Type == metadata.TypeTime) }},
			{"picklist", "Session__c", form("type", "Picklist", "label", "Track", "values", "Keynote\r\nWorkshop\r\n\r\nPanel", "first_default", "on", "restricted", "on"), "Track__c",
				func(f *metadata.Field) bool {
					return f.Type == metadata.TypePicklist && f.Picklist != nil && f.Picklist.Restricted && values(f) == "Keynote*,Workshop,Panel"
				}},
			{"multi-select picklist", "Session__c", form("type", "MultiselectPicklist", "label", "Topics", "values", "AI\nCloud\nData", "lines", "3"), "Topics__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypeMultiPicklist && values(f) == "AI,Cloud,Data" && !f.Picklist.Restricted && f.VisibleLines == 3)
				}},
			{"lookup", "Session__c", form("type", "Lookup", "label", "Sponsor", "target", "Account", "rel_name", "Sponsor", "child_rel_name", "Sponsored_Sessions", "constraint", "Restrict"), "Sponsor__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypeLookup && slices.Equal(f.ReferenceTo, []string{"Account"}) && f.RelationshipName == "Sponsor__r" &&
						f.ChildRelationshipName == "Sponsored_Sessions__r" && f.DeleteConstraint == metadata.Restrict)
				}},
			{"master-detail", "Session__c", form("type", "MasterDetail", "label", "Conference", "target", "Conference__c", "child_rel_name", "Sessions"), "Conference__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypeMasterDetail && slices.Equal(f.ReferenceTo, []string{"Conference__c"}) && f.Required &&
						f.ChildRelationshipName == "Sessions__r" && f.DeleteConstraint == metadata.Cascade)
				}},
			{"auto number", "Session__c", form("type", "AutoNumber", "label", "Session Number", "name", "Number__c", "display_format", "S-{000}", "starting_number", "5"), "Number__c",
				func(f *metadata.Field) bool {
					return (f.Type == metadata.TypeAutoNumber && f.DisplayFormat == "S-{000}" && f.StartingNumber == 5)
				}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				path := "/setup/objects/" + tc.obj + "/fields"
				b.get(path + "/new?type=" + tc.form.Get("type"))
				p := b.post(path, tc.form)
				if p.Status != http.StatusOK {
					t.Fatalf("create %s: %d\n%s", tc.name, p.Status, p.Body)
				}
				p.mustContain(t, "Created the field", tc.field)
				f := h.schemaObject(tc.obj).Field(tc.field)
				if f == nil {
					t.Fatalf("no field %s after creating it", tc.field)
				}
				if !tc.check(f) {
					t.Fatalf("field %s = %+v, picklist values %q", tc.field, f, values(f))
				}
			})
		}
		// The object page lists them with their types and relationships.
		p = b.get("/setup/objects/Session__c")
		p.mustContain(t, "Code__c", "Text (20)", "Number (6, 0)", "Currency (10, 2)", "Lookup Relationship (Account)",
			"Master-Detail Relationship (Conference)", "Sponsor__r", "Don&#39;t allow the deletion", "Controlled by Parent")
		b.get("/setup/objects/Conference__c").mustContain(t, "Child relationships", "Sessions__r", `href="/setup/objects/Session__c"`)
		b.get("/setup/objects/Account").mustContain(t, "Sponsored_Sessions__r")

		// A roll-up summary: the conference's session count and seats, from
		// the sessions that exist and those created after.
		conf := h.create("Conference__c", map[string]any{"Name": "Dreamforce"})
		h.create("Session__c", map[string]any{"Name": "Keynote", "Conference__c": string(conf), "Seats__c": 5000, "Abstract__c": "Opening"})
		for _, c := range []url.Values{
			form("type", "Summary", "label", "Session Count", "sum_op", "count", "sum_child", "Session__c.Conference__c"),
			form("type", "Summary", "label", "Total Seats", "sum_op", "sum", "sum_child", "Session__c.Conference__c", "sum_field", "Seats__c"),
		} {
			if p := b.post("/setup/objects/Conference__c/fields", c); p.Status != http.StatusOK {
				t.Fatalf("create %s: %d\n%s", c.Get("label"), p.Status, p.Body)
			}
		}
		if f := h.schemaObject("Conference__c").Field("Total_Seats__c"); f == nil || f.Type != metadata.TypeSummary || f.Summary.Field != "Seats__c" {
			t.Fatalf("Total_Seats__c = %+v", f)
		}
		// With filter criteria: the seats of the big rooms only.
		p = b.post("/setup/objects/Conference__c/fields", form("type", "Summary", "label", "Big Room Seats", "sum_op", "sum", "sum_child", "Session__c.Conference__c",
			"sum_field", "Seats__c", "sum_filter_field_0", "Seats__c", "sum_filter_op_0", "greaterOrEqual", "sum_filter_value_0", "1000"))
		if p.Status != http.StatusOK {
			t.Fatalf("create a filtered roll-up: %d\n%s", p.Status, p.Body)
		}
		if f := h.schemaObject("Conference__c").Field("Big_Room_Seats__c"); f == nil || len(f.Summary.Filters) != 1 || f.Summary.Filters[0] != (metadata.SummaryFilter{Field: "Seats__c", Operation: "greaterOrEqual", Value: "1000"}) {
			t.Fatalf("Big_Room_Seats__c = %+v", f)
		}
		b.get("/setup/objects/Conference__c/fields/Big_Room_Seats__c").mustContain(t, `<option value="greaterOrEqual" selected>`, `value="1000"`)
		h.create("Session__c", map[string]any{"Name": "Trailhead", "Conference__c": string(conf), "Seats__c": 300, "Abstract__c": "Hands-on"})
		if r := h.query("SELECT Session_Count__c, Total_Seats__c, Big_Room_Seats__c FROM Conference__c WHERE Total_Seats__c > 1000").Records; len(r) != 1 {
			t.Errorf("conferences with over 1,000 seats: %d, want 1", len(r))
		} else if n, _ := r[0].Get("Session_Count__c"); n != 2.0 {
			t.Errorf("Session_Count__c = %v, want 2", n)
		} else if n, _ := r[0].Get("Big_Room_Seats__c"); n != 5000.0 {
			t.Errorf("Big_Room_Seats__c = %v, want 5000 (the keynote's room only)", n)
		}
		b.get("/r/"+string(conf)).mustContain(t, "Total Seats", "5,300")
		b.get("/setup/objects/Conference__c").mustContain(t, "Roll-Up Summary")
		// The settings offer the detail's numbers and dates to aggregate.
		b.get("/setup/objects/Conference__c/fields/new?type=Summary").mustContain(t, `<optgroup label="Session">`, `<option value="Seats__c">`)
		// A SUM of a text field is refused next to the settings.
		p = b.post("/setup/objects/Conference__c/fields", form("type", "Summary", "label", "Names", "sum_op", "sum", "sum_child", "Session__c.Conference__c", "sum_field", "Name"))
		if p.Status != http.StatusUnprocessableEntity || h.schemaObject("Conference__c").Field("Names__c") != nil {
			t.Errorf("a SUM of names: %d", p.Status)
		}

		// Formulas wait for the formula language: refused with the
		// service's reason, and nothing created.
		p = b.post("/setup/objects/Session__c/fields", form("type", "Formula", "label", "Seat Label", "formula", "Code__c & \"-\" & TEXT(Seats__c)", "return_type", "Text"))
		if p.Status != http.StatusUnprocessableEntity || h.schemaObject("Session__c").Field("Seat_Label__c") != nil {
			t.Errorf("create a formula: %d", p.Status)
		}
		p.mustContain(t, "not available yet")

		// Bad input: 422, the message next to its input, nothing created.
		before := len(h.schemaObject("Session__c").Fields)
		bad := []struct {
			name string
			form url.Values
			want []string
		}{
			{"duplicate API name", form("type", "Text", "label", "Code"), []string{`id="f-name-err"`, "already exists"}},
			{"missing label", form("type", "Text", "label", "", "name", "Unlabelled__c"), []string{`id="f-label-err"`, "Enter a label."}},
			{"length too long", form("type", "Text", "label", "Long Code", "length", "300"), []string{`id="f-length-err"`, "1 to 255"}},
			{"length not a number", form("type", "LongTextArea", "label", "Essay", "length", "lots"), []string{`id="f-length-err"`, "256 to 131,072"}},
			{"too many digits", form("type", "Number", "label", "Big", "precision", "17", "scale", "4"), []string{`id="f-scale-err"`, "at most 18"}},
			{"picklist without values", form("type", "Picklist", "label", "Room", "values", "\n \n"), []string{`id="f-values-err"`}},
			{"duplicate picklist value", form("type", "Picklist", "label", "Room", "values", "A\na"), []string{`id="f-settings-err"`, "duplicate picklist value"}},
			{"lookup without target", form("type", "Lookup", "label", "Venue"), []string{`id="f-target-err"`}},
			{"default that does not fit", form("type", "Number", "label", "Capacity", "precision", "5", "scale", "0", "default", "many"), []string{`id="f-settings-err"`, "does not fit"}},
			{"auto-number without a number", form("type", "AutoNumber", "label", "Ref", "display_format", "REF"), []string{`id="f-display_format-err"`}},
		}
		for _, tc := range bad {
			t.Run(tc.name, func(t *testing.T) {
				p := b.post("/setup/objects/Session__c/fields", tc.form)
				if p.Status != http.StatusUnprocessableEntity {
					t.Fatalf("%s: status %d\n%s", tc.name, p.Status, p.Body)
				}
				p.mustContain(t, tc.want...)
				if n := len(h.schemaObject("Session__c").Fields); n != before {
					t.Fatalf("%s created a field: %d fields, want %d", tc.name, n, before)
				}
			})
		}
		// htmx gets the form alone back, to swap in place.
		p = b.htmx("POST", "/setup/objects/Session__c/fields", form("type", "Text", "label", ""))
		if p.Status != http.StatusUnprocessableEntity || strings.Contains(p.Body, "<html") {
			t.Fatalf("htmx bad field: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, `id="field-form"`, "Enter a label.")

		// Edit a field's label and help text.
		b.get("/setup/objects/Session__c/fields/Code__c").mustContain(t, `value="Code"`, "Delete field")
		p = b.post("/setup/objects/Session__c/fields/Code__c", form("type", "Text", "label", "Session Code", "name", "Code__c", "length", "30",
			"unique", "on", "external", "on", "help", "Printed on badges"))
		if p.Status != http.StatusOK {
			t.Fatalf("edit field: %d\n%s", p.Status, p.Body)
		}
		if f := h.schemaObject("Session__c").Field("Code__c"); f.Label != "Session Code" || f.Length != 30 || f.HelpText != "Printed on badges" || !f.Unique || f.CaseSensitive {
			t.Fatalf("edited field = %+v", f)
		}
		// Picklist values: reorder, rename, deactivate, change the default, add.
		p = b.get("/setup/objects/Session__c/fields/Track__c")
		p.mustContain(t, `name="pv_label_1"`, `name="add_values"`)
		p = b.post("/setup/objects/Session__c/fields/Track__c", form("type", "Picklist", "label", "Session Track", "name", "Track__c", "restricted", "on",
			"pv_order_0", "3", "pv_label_0", "Keynote", "pv_active_0", "on",
			"pv_order_1", "1", "pv_label_1", "Hands-on Workshop", "pv_active_1", "on",
			"pv_order_2", "2", "pv_label_2", "Panel",
			"pv_default", "1", "add_values", "Lightning Talk\n"))
		if p.Status != http.StatusOK {
			t.Fatalf("edit picklist: %d\n%s", p.Status, p.Body)
		}
		tr := h.schemaObject("Session__c").Field("Track__c")
		if got := values(tr); tr.Label != "Session Track" || got != "Workshop*,Panel(inactive),Keynote,Lightning Talk" || tr.Picklist.Values[0].Label != "Hands-on Workshop" {
			t.Fatalf("edited picklist = %s %+v", got, tr.Picklist)
		}
		// A type change that keeps the data, and one the service refuses.
		p = b.post("/setup/objects/Session__c/fields/Hotline__c", form("type", "Text", "label", "Hotline", "name", "Hotline__c", "length", "60"))
		if f := h.schemaObject("Session__c").Field("Hotline__c"); p.Status != http.StatusOK || f.Type != metadata.TypeText || f.Length != 60 {
			t.Fatalf("phone to text: %d %+v", p.Status, f)
		}
		p = b.post("/setup/objects/Session__c/fields/Recorded__c", form("type", "Date", "label", "Recorded", "name", "Recorded__c"))
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("checkbox to date: %d", p.Status)
		}
		p.mustContain(t, `id="f-type-err"`)
		if f := h.schemaObject("Session__c").Field("Recorded__c"); f.Type != metadata.TypeCheckbox {
			t.Fatalf("refused type change changed the field: %+v", f)
		}
		// A standard field: label and picklist values only.
		p = b.get("/setup/objects/Account/fields/Industry")
		p.mustContain(t, `name="pv_label_0"`)
		if strings.Contains(p.Body, "Delete field") {
			t.Error("a standard field offers Delete")
		}

		// Delete, undelete, delete and purge a field.
		b.post("/setup/objects/Session__c/fields/Notes__c/delete", nil).mustContain(t, "Deleted the field Notes", "Deleted fields", "/fields/Notes__c/undelete")
		if o := h.schemaObject("Session__c"); o.Field("Notes__c") != nil || o.AnyField("Notes__c") == nil {
			t.Fatal("deleted field is not marked deleted")
		}
		b.post("/setup/objects/Session__c/fields/Notes__c/undelete", nil).mustContain(t, "Undeleted the field")
		if h.schemaObject("Session__c").Field("Notes__c") == nil {
			t.Fatal("undeleted field is missing")
		}
		b.post("/setup/objects/Session__c/fields/Notes__c/delete", nil)
		b.post("/setup/objects/Session__c/fields/Notes__c/purge", nil).mustContain(t, "Purged the field")
		if h.schemaObject("Session__c").AnyField("Notes__c") != nil {
			t.Fatal("purged field still exists")
		}
		// Standard fields are not deleted.
		if p = b.post("/setup/objects/Account/fields/Industry/delete", nil); p.Status == http.StatusOK || h.schemaObject("Account").Field("Industry") == nil {
			t.Fatalf("deleting Account.Industry: %d", p.Status)
		}
	})
}

func TestObjectManagerAdminsOnly(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		admin := h.signIn()
		if p := admin.createObject("label", "Venue"); p.Status != http.StatusOK {
			t.Fatalf("create Venue: %d", p.Status)
		}
		admin.post("/setup/objects/Venue__c/fields", form("type", "Text", "label", "City"))
		username := "om-rep-" + strings.ToLower(string(h.env.Org.OrgID)) + "@example.com"
		if _, err := h.env.Tenants.CreateUser(h.env.Ctx, h.env.Org.OrgID, tenant.UserParams{
			Username: username, Password: password, LastName: "Rep", Profile: "Standard User",
		}); err != nil {
			t.Fatal(err)
		}
		b := h.browser()
		b.signIn(username, password)
		b.get("/home")
		gets := []string{"/setup/objects", "/setup/objects/new", "/setup/objects/api-name?label=X", "/setup/objects/Venue__c",
			"/setup/objects/Venue__c/edit", "/setup/objects/Venue__c/fields/new?type=Text", "/setup/objects/Venue__c/fields/settings?type=Text",
			"/setup/objects/Venue__c/fields/City__c"}
		for _, path := range gets {
			if p := b.get(path); p.Status != http.StatusForbidden {
				t.Errorf("GET %s as a standard user: %d", path, p.Status)
			} else {
				p.mustContain(t, "Setup is for administrators")
			}
		}
		posts := map[string]url.Values{
			"/setup/objects":                                  form("label", "Sneaky"),
			"/setup/objects/Venue__c":                         form("label", "Renamed"),
			"/setup/objects/Venue__c/delete":                  nil,
			"/setup/objects/Venue__c/undelete":                nil,
			"/setup/objects/Venue__c/purge":                   nil,
			"/setup/objects/Venue__c/fields":                  form("type", "Text", "label", "Sneaky"),
			"/setup/objects/Venue__c/fields/City__c":          form("type", "Text", "label", "Town"),
			"/setup/objects/Venue__c/fields/City__c/delete":   nil,
			"/setup/objects/Venue__c/fields/City__c/undelete": nil,
			"/setup/objects/Venue__c/fields/City__c/purge":    nil,
		}
		for path, f := range posts {
			if p := b.post(path, f); p.Status != http.StatusForbidden {
				t.Errorf("POST %s as a standard user: %d", path, p.Status)
			} else {
				p.mustContain(t, "Setup is for administrators")
			}
		}
		o := h.schemaObject("Venue__c")
		if o == nil || o.Deleted || o.Label != "Venue" || h.schemaObject("Sneaky__c") != nil || o.Field("City__c") == nil || o.Field("City__c").Label != "City" || o.Field("Sneaky__c") != nil {
			t.Fatalf("a standard user changed metadata: %+v", o)
		}
		// The navigation has no Setup link for them.
		if p := b.get("/home"); strings.Contains(p.Body, `href="/setup"`) {
			t.Error("a standard user sees the Setup link")
		}
	})
}

// values lists a picklist's values: * marks the default, (inactive) the
// inactive ones.
func values(f *metadata.Field) string {
	if f.Picklist == nil {
		return ""
	}
	var out []string
	for _, v := range f.Picklist.Values {
		s := v.Value
		if v.Default {
			s += "*"
		}
		if v.Inactive {
			s += "(inactive)"
		}
		out = append(out, s)
	}
	return strings.Join(out, ",")
}

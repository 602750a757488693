package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/soql"
)

func TestCustomObjectAndRecord(t *testing.T) {
	w := sharedWorld(t)
	n := time.Now().UnixNano() % 1e6
	label := fmt.Sprintf("Shift %d", n)
	api := fmt.Sprintf("Shift_%d__c", n)

	tb := w.open(t)
	tb.signInAdmin()

	// Setup → Object Manager → New custom object.
	tb.click("details.user-menu summary")
	tb.click(`details.user-menu a[href="/setup"]`)
	tb.waitFor(`a[href="/setup/objects"]`)
	tb.click(`a[href="/setup/objects"]`)
	tb.waitFor("#objects-table")
	tb.mustSee("Object Manager", "Account")
	tb.click(`a[href="/setup/objects/new"]`)
	tb.waitFor("form#object-form")

	// Creating without a label shows the error at the field.
	tb.click(`form#object-form button[type=submit]`)
	tb.waitFor("#object-form .field.has-error #f-label")

	tb.typeInto("#f-label", label)
	tb.typeInto("#f-plural", label+"s")
	tb.typeInto("#f-name", api)
	tb.typeInto("#f-description", "A volunteer's shift at the conference.")
	tb.click(`form#object-form button[type=submit]`)
	objectPage := "/setup/objects/" + api
	tb.waitPath("the new object's page", func(p string) bool { return strings.HasPrefix(p, objectPage) })
	tb.waitFor(`a[href="` + objectPage + `/fields/new"]`)
	tb.mustSee("Created "+label, api)

	// A Number field: choose the type, then fill in its form.
	addField := func(typ, fieldLabel string, fill func()) {
		t.Helper()
		tb.click(`a[href="` + objectPage + `/fields/new"]`)
		tb.waitFor(fmt.Sprintf(`input[name=type][value=%q]`, typ))
		tb.click(fmt.Sprintf(`input[name=type][value=%q]`, typ))
		tb.waitFor("form#field-form")
		tb.typeInto("#f-label", fieldLabel)
		if fill != nil {
			fill()
		}
		tb.click(`form#field-form button[type=submit]`)
		tb.waitPath("the object's page", func(p string) bool { return strings.HasPrefix(p, objectPage+"?") || p == objectPage })
		tb.waitFor("#fields-h")
		tb.mustSee("Created the field " + fieldLabel)
	}
	addField("Number", "Hours", func() {
		if tb.has("#f-precision") {
			tb.typeInto("#f-precision", "3")
			tb.typeInto("#f-scale", "1")
		}
	})
	addField("Picklist", "Role", func() {
		tb.waitFor("#f-values")
		tb.do(sendKeys("#f-values", "Greeter\nUsher\nSetup crew"))
	})
	fields := eval[[]string](tb, `[...document.querySelectorAll("table[aria-labelledby=fields-h] tbody tr td:nth-child(2)")].map(td => td.innerText.trim())`)
	for _, want := range []string{"Name", "Hours__c", "Role__c"} {
		if !strings.Contains(strings.Join(fields, " "), want) {
			t.Errorf("the object's fields: %q, want %s", fields, want)
		}
	}
	tb.shot("object-manager-object")

	// A record of the new object, through its own new-record form.
	tb.click(`a[href="/o/` + api + `"]`)
	tb.waitPage("list")
	tb.click(`a[href="/o/` + api + `/new"]`)
	tb.waitFor("form.record-form")
	tb.typeInto("#f-Name", "Saturday doors")
	tb.typeInto("#f-Hours__c", "4.5")
	tb.selectOption("#f-Role__c", "Usher")
	tb.click(`form.record-form button[type=submit]`)
	tb.waitPath("the new record's page", func(p string) bool { return strings.HasPrefix(p, "/r/") })
	tb.waitPage("record")
	if got := tb.text("#record-name"); got != "Saturday doors" {
		t.Errorf("the record's heading = %q", got)
	}
	tb.mustSee("Usher", "4.5")
	rec := w.one(t, "SELECT Id, Name, Hours__c, Role__c FROM "+api+" WHERE Name = "+soql.Quote("Saturday doors"))
	if field(rec, "Hours__c") != 4.5 || field(rec, "Role__c") != "Usher" {
		t.Errorf("the saved %s: %v", api, rec.Fields)
	}
}

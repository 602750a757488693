package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/soql"
	"github.com/rapportcrm/rapport/tenant"
)

func TestCreateAccountAndContact(t *testing.T) {
	createAccountAndContact(t, sharedWorld(t), true)
}

// TestCreateAccountAndContactPostgres signs in and creates the same
// records on PostgreSQL, when RAPPORT_TEST_POSTGRES is set.
func TestCreateAccountAndContactPostgres(t *testing.T) {
	w := postgresWorld(t)
	createAccountAndContact(t, w, false)
}

// createAccountAndContact creates an account from its list's New button,
// after a save that fails validation, then a contact on it, chosen in the
// lookup type-ahead with the keyboard.
func createAccountAndContact(t *testing.T, w *world, shots bool) {
	tb := w.open(t)
	tb.signInAdmin()
	shot := func(name string) {
		if shots {
			tb.shot(name)
		}
	}

	// The Accounts tab lists accounts, with a New button.
	tb.click(`nav.tabs a[href="/o/Account"]`)
	tb.waitPage("list")
	if n := tb.count(".list-grid tbody tr"); n < 10 {
		t.Errorf("the account list shows %d rows", n)
	}
	shot("account-list")
	tb.click(`.list-head a.btn.primary[href="/o/Account/new"]`)
	tb.waitFor("form.record-form")
	tb.mustSee("New Account")

	// Saving without the required name keeps the form, with the error
	// next to the field.
	name := unique("Harbor Freight Cooperative")
	phone := fmt.Sprintf("+1 415 %03d %04d", time.Now().UnixNano()/1e4%1000, time.Now().UnixNano()/1e7%10000)
	tb.typeInto("#f-Phone", phone)
	tb.click(`form.record-form button[type=submit]`)
	tb.waitFor(".field.has-error #f-Name")
	if msg := tb.text(".field.has-error .field-error"); msg == "" {
		t.Error("the Name field's error is empty")
	}
	if got := tb.attr("#f-Name", "aria-invalid"); got != "true" {
		t.Errorf("#f-Name aria-invalid = %q, want true", got)
	}
	if got := tb.value("#f-Phone"); got != phone {
		t.Errorf("the phone after a failed save = %q: the form lost what was typed", got)
	}
	shot("new-record-error")
	if n := len(w.query(t, "SELECT Id FROM Account WHERE Phone = "+soql.Quote(phone))); n != 0 {
		t.Fatalf("a failed save created %d accounts", n)
	}

	// Filled in, it saves and opens the new account.
	tb.typeInto("#f-Name", name)
	tb.selectOption("#f-Industry", "Transportation")
	tb.typeInto("#f-BillingCity", "Oakland")
	tb.click(`form.record-form button[type=submit]`)
	tb.waitPath("the new account's page", func(p string) bool { return strings.HasPrefix(p, "/r/001") })
	tb.waitPage("record")
	if got := tb.text("#record-name"); got != name {
		t.Errorf("the record page's heading = %q, want %q", got, name)
	}
	tb.mustSee("Transportation", "Oakland")
	acct := w.one(t, "SELECT Id, Name, Phone, Industry, BillingCity FROM Account WHERE Name = "+soql.Quote(name))
	if field(acct, "Phone") != phone || field(acct, "Industry") != "Transportation" || field(acct, "BillingCity") != "Oakland" {
		t.Errorf("the saved account: %v", acct.Fields)
	}
	if p := tb.path(); !strings.HasPrefix(p, "/r/"+string(acct.ID)) {
		t.Errorf("after the save the browser is at %s, want the account %s", p, acct.ID)
	}
	shot("account-record")

	// A contact on that account: the account is found by typing part of
	// its name in the lookup, and chosen with the arrow key and Enter.
	tb.goTo("/o/Contact/new")
	tb.waitFor("form.record-form")
	tb.typeInto("#f-FirstName", "Rosa")
	tb.typeInto("#f-LastName", "Delgado")
	email := fmt.Sprintf("rosa.delgado.%d@example.org", time.Now().UnixNano())
	tb.typeInto("#f-Email", email)
	tb.typeInto("#f-AccountId", strings.Fields(name)[0]+" "+strings.Fields(name)[1])
	option := fmt.Sprintf(`#f-AccountId-options li[data-id="%s"]`, acct.ID)
	tb.waitFor(option)
	if got := tb.attr("#f-AccountId", "aria-expanded"); got != "true" {
		t.Errorf("the lookup's aria-expanded with options open = %q, want true", got)
	}
	// Arrow down to our account (other accounts may match the prefix).
	ids := eval[[]string](tb, `[...document.querySelectorAll("#f-AccountId-options li[data-id]")].map(li => li.dataset.id)`)
	for i := 0; i < len(ids); i++ {
		tb.press("#f-AccountId", "ArrowDown")
		if tb.attr(option, "aria-selected") == "true" {
			break
		}
	}
	tb.press("#f-AccountId", "Enter")
	if got := tb.value(`.lookup input.lookup-id[name="AccountId"]`); got != string(acct.ID) {
		t.Fatalf("the lookup's chosen ID = %q, want %s", got, acct.ID)
	}
	if got := tb.value("#f-AccountId"); got != name {
		t.Errorf("the lookup box shows %q, want %q", got, name)
	}
	tb.click(`form.record-form button[type=submit]`)
	tb.waitPath("the new contact's page", func(p string) bool { return strings.HasPrefix(p, "/r/003") })
	tb.waitPage("record")
	if got := tb.text("#record-name"); got != "Rosa Delgado" {
		t.Errorf("the contact's heading = %q", got)
	}
	// The contact's page links to its account.
	if !tb.has(fmt.Sprintf(`.record-card a[href="/r/%s"]`, acct.ID)) {
		t.Errorf("the contact's page has no link to its account")
	}
	c := w.one(t, "SELECT Id, AccountId, Email, Account.Name FROM Contact WHERE Email = "+soql.Quote(email)+" AND AccountId = "+soql.Quote(string(acct.ID)))
	if field(c, "Account.Name") != name {
		t.Errorf("the saved contact's account: %v", c.Fields)
	}

	// And the account's page lists the contact.
	tb.goTo("/r/" + string(acct.ID))
	tb.mustSee("Rosa Delgado")
}

func TestReadOnlyUser(t *testing.T) {
	w := sharedWorld(t)
	username := fmt.Sprintf("reader.%d@e2e.example", time.Now().UnixNano())
	_, err := w.tenants.CreateUser(w.admin(), w.demo.Org.OrgID, tenant.UserParams{
		Username: username, Password: password, FirstName: "Robin", LastName: "Reader", Profile: "Read Only",
	})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	acct := w.one(t, "SELECT Id, Name, Phone FROM Account WHERE Name = 'RAICES'")
	phone := field(acct, "Phone")

	tb := w.open(t)
	tb.signIn(username, password)

	// The list: records, and no control that changes them.
	tb.goTo("/o/Account")
	tb.waitPage("list")
	tb.typeInto("#list-q", "RAICES")
	tb.waitFor(fmt.Sprintf(`.list-grid a[href="/r/%s"]`, acct.ID))
	for _, sel := range []string{
		`a[href="/o/Account/new"]`, "td.editable", "button.pencil", "#mass", `input[name="ids"]`,
	} {
		if tb.has(sel) {
			t.Errorf("the Read Only user's account list has %s", sel)
		}
	}

	// The record page: details, and no Edit, Clone or Delete.
	tb.goTo("/r/" + string(acct.ID))
	tb.waitPage("record")
	tb.mustSee("RAICES")
	for _, sel := range []string{
		`a[href$="/edit"]`, `a[href$="/clone"]`, `form[action$="/delete"]`, "details.confirm",
	} {
		if tb.has(sel) {
			t.Errorf("the Read Only user's record page has %s", sel)
		}
	}

	// Posting the edit form from the page's own script, with its CSRF
	// token, is refused with a readable message, and nothing changes.
	if tb.csrf() == "" {
		t.Fatal("the page has no CSRF token in hx-headers")
	}
	for _, htmx := range []bool{false, true} {
		res := tb.post("/r/"+string(acct.ID)+"/edit", map[string]string{"Name": "RAICES (renamed)", "Phone": "+1 000 000 0000"}, htmx)
		if res.Status < 400 || res.Status >= 500 {
			t.Errorf("POST edit as Read Only (htmx %v) = %d, want 4xx:\n%s", htmx, res.Status, clip(res.Body, 500))
		}
		if !strings.Contains(strings.ToLower(res.Body), "permission") && !strings.Contains(strings.ToLower(res.Body), "access") {
			t.Errorf("POST edit as Read Only (htmx %v) answers no readable reason:\n%s", htmx, clip(res.Body, 800))
		}
	}
	res := tb.post("/o/Account/new", map[string]string{"Name": "Read Only's account"}, false)
	if res.Status < 400 || res.Status >= 500 {
		t.Errorf("POST new account as Read Only = %d, want 4xx", res.Status)
	}
	res = tb.post("/o/Account/"+string(acct.ID)+"/cell/Phone", map[string]string{"Phone": "+1 000 000 0000"}, true)
	if res.Status < 400 || res.Status >= 500 {
		t.Errorf("POST an inline edit as Read Only = %d, want 4xx", res.Status)
	}
	after := w.one(t, "SELECT Id, Name, Phone FROM Account WHERE Id = "+soql.Quote(string(acct.ID)))
	if field(after, "Name") != "RAICES" || field(after, "Phone") != phone {
		t.Errorf("the account after the Read Only user's posts: %v", after.Fields)
	}
	if n := len(w.query(t, "SELECT Id FROM Account WHERE Name = "+soql.Quote("Read Only's account"))); n != 0 {
		t.Errorf("the Read Only user created %d accounts", n)
	}
}

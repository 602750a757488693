// Package e2e_test drives the web app in a real headless Chromium: each
// test is what a person does in the browser, and asserts both what they
// see and what was saved.
package e2e_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/demo"
	"github.com/rapportcrm/rapport/soql"
)

func TestSignIn(t *testing.T) {
	w := sharedWorld(t)
	tb := w.open(t)

	// An unauthenticated page sends the browser to sign in.
	tb.goTo("/home")
	if p := tb.path(); !strings.HasPrefix(p, "/login") {
		t.Fatalf("/home signed out went to %s, want /login", p)
	}
	tb.waitPage("login")
	tb.shot("login")

	// A wrong password keeps the browser on the form with the error, and
	// the username filled in.
	tb.typeInto("#username", w.demo.Username)
	tb.typeInto("#password", "not the password")
	tb.click(`form[action="/login"] button[type=submit]`)
	tb.waitFor(".form-error")
	tb.mustSee("username or password is not right")
	if got := tb.value("#username"); got != w.demo.Username {
		t.Errorf("username after a failed sign-in = %q, want %q", got, w.demo.Username)
	}
	if tb.has("body.page-home") {
		t.Fatal("a wrong password signed in")
	}

	// The right one opens the home page, with the user's name.
	tb.signInAdmin()
	tb.mustSee("Dana")
	if p := tb.path(); p != "/home" {
		t.Errorf("signed in at %s, want /home", p)
	}
	tb.shot("home")

	// Signing out ends the session: home sends to sign in again.
	tb.click("details.user-menu summary")
	tb.click(`form[action="/logout"] button`)
	tb.waitPage("login")
	tb.mustSee("You have signed out.")
	tb.goTo("/home")
	if p := tb.path(); !strings.HasPrefix(p, "/login") {
		t.Errorf("/home after sign-out went to %s", p)
	}
}

func TestGlobalSearch(t *testing.T) {
	w := sharedWorld(t)
	tb := w.open(t)
	tb.signInAdmin()

	// The search box in the header: type and press Enter.
	tb.do(chromedp.SendKeys(chromedp.CSS("#global-q"), "RAICES\n"))
	tb.waitPage("search")
	tb.mustSee("Results for “RAICES”")

	// Results come in one group per object, each a table of its records.
	groups := eval[[]string](tb, `[...document.querySelectorAll("main section.panel")].map(s => s.getAttribute("aria-label"))`)
	for _, want := range []string{"Accounts", "Contacts", "Opportunities"} {
		if !slices.Contains(groups, want) {
			t.Errorf("search groups = %q, want %s among them", groups, want)
		}
	}
	rows := func(group string) []string {
		return eval[[]string](tb, fmt.Sprintf(`[...document.querySelectorAll('main section.panel[aria-label=%s] tbody tr')].map(r => r.cells[0].innerText.trim())`, jsString(group)))
	}
	if got := rows("Accounts"); !slices.Contains(got, "RAICES") {
		t.Errorf("Accounts found: %q, want RAICES", got)
	}
	if got := rows("Contacts"); !slices.Contains(got, "Jonathan Ryan") {
		t.Errorf("Contacts found: %q, want Jonathan Ryan", got)
	}
	if got := rows("Opportunities"); !slices.Contains(got, demo.DonationName) {
		t.Errorf("Opportunities found: %q, want %q", got, demo.DonationName)
	}
	tb.shot("search-results")

	// A result opens its record.
	acct := w.one(t, "SELECT Id FROM Account WHERE Name = 'RAICES'")
	tb.click(fmt.Sprintf(`main section.panel[aria-label=Accounts] a[href="/r/%s"]`, acct.ID))
	tb.waitPath("the account's page", func(p string) bool { return p == "/r/"+string(acct.ID) })

	// Something that matches nothing says so.
	tb.goTo("/search?q=" + url.QueryEscape("zzyzx-no-such-thing"))
	tb.mustSee("Nothing matches")
}

func TestPhone(t *testing.T) {
	w := sharedWorld(t)
	tb := w.open(t)
	tb.viewport(390, 844, true)
	tb.signInAdmin()
	tb.noHorizontalOverflow()
	tb.screenShot("phone-home")

	// A record page: the story's biggest deal, with related lists.
	opp := w.one(t, "SELECT Id, AccountId FROM Opportunity WHERE Name = "+soql.Quote(demo.CBPOpportunity))
	tb.goTo("/r/" + string(opp.ID))
	tb.waitPage("record")
	tb.mustSee(demo.CBPOpportunity)
	tb.noHorizontalOverflow()
	tb.screenShot("phone-record")

	// An account's page, a list and a form stay within the screen too.
	tb.goTo("/r/" + string(field(opp, "AccountId").(rapport.ID)))
	tb.waitPage("record")
	tb.noHorizontalOverflow()
	tb.goTo("/o/Contact")
	tb.waitPage("list")
	tb.noHorizontalOverflow()
	tb.goTo("/o/Contact/new")
	tb.waitFor("form.record-form")
	tb.noHorizontalOverflow()
	tb.goTo("/o/Opportunity/pipeline")
	tb.waitPage("kanban")
	tb.noHorizontalOverflow()
}

package e2e_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/soql"
)

// Mass owner change and mass delete from a list: the actions appear with
// the first selected row, each asks for confirmation, then acts on the
// selected rows only.
func TestMassActions(t *testing.T) {
	w := sharedWorld(t)
	city := unique("Massville")
	ids := w.create(t, "Account",
		map[string]any{"Name": "Alder Mills " + city, "BillingCity": city},
		map[string]any{"Name": "Birch Works " + city, "BillingCity": city},
		map[string]any{"Name": "Cedar Yards " + city, "BillingCity": city},
	)
	avery := w.one(t, "SELECT Id FROM User WHERE Name = 'Avery Chen'").ID

	tb := w.open(t)
	tb.signInAdmin()
	list := "/o/Account?q=" + url.QueryEscape(city)
	tb.goTo(list)
	tb.waitPage("list")
	tb.waitFor(fmt.Sprintf(`input[name="ids"][value="%s"]`, ids[2]))
	shown := func(sel string) bool {
		return eval[bool](tb, fmt.Sprintf(`(e => e !== null && getComputedStyle(e).display !== "none")(document.querySelector(%s))`, jsString(sel)))
	}
	owner, del := `#mass button[value="owner"]`, `#mass button[value="delete"]`
	if shown(owner) || shown(del) {
		t.Error("the mass actions show before any row is selected")
	}
	if got := tb.text("#mass .mass-count"); !strings.Contains(got, "Select rows") {
		t.Errorf("the mass bar says %q with no row selected", got)
	}

	// Select the first two; the owner lookup and both actions appear.
	for _, id := range ids[:2] {
		tb.click(fmt.Sprintf(`input[name="ids"][value="%s"]`, id))
	}
	if got := tb.text("#mass .mass-count"); got != "2 selected" {
		t.Errorf("the mass bar says %q with two rows selected", got)
	}
	if !shown(owner) || !shown(del) {
		t.Fatal("the mass actions do not show with two rows selected")
	}
	tb.typeInto("#mass input.lookup-box", "Avery")
	option := fmt.Sprintf(`#mass li[data-id="%s"]`, avery)
	tb.waitFor(option)
	tb.click(option)
	tb.click(owner)
	tb.waitFor(".mass-card")
	tb.mustSee("Change the owner of 2 accounts", "Alder Mills "+city, "Birch Works "+city, "Avery Chen")
	tb.mustNotSee("Cedar Yards " + city)
	tb.screenShot("mass-owner-confirm")
	tb.click(`.mass-card button[type=submit]`)
	tb.waitGone(".mass-card")
	tb.waitPage("list")
	for i, id := range ids {
		got := field(w.one(t, "SELECT Owner.Name FROM Account WHERE Id = "+soql.Quote(string(id))), "Owner.Name")
		if want := i < 2; (got == "Avery Chen") != want {
			t.Errorf("account %d's owner is %v after the change", i, got)
		}
	}

	// Select the last two and delete them: they go to the recycle bin.
	tb.goTo(list)
	tb.waitPage("list")
	for _, id := range ids[1:] {
		sel := fmt.Sprintf(`input[name="ids"][value="%s"]`, id)
		tb.waitFor(sel)
		tb.click(sel)
	}
	tb.click(del)
	tb.waitFor(".mass-card")
	tb.mustSee("Delete 2 accounts?", "recycle bin")
	tb.click(`.mass-card button[type=submit]`)
	tb.waitGone(".mass-card")
	tb.waitPage("list")
	if n := len(w.query(t, "SELECT Id FROM Account WHERE BillingCity = "+soql.Quote(city))); n != 1 {
		t.Errorf("%d accounts left after deleting two of three", n)
	}
	if n := len(w.query(t, "SELECT Id FROM Account WHERE IsDeleted = true AND BillingCity = "+soql.Quote(city)+" ALL ROWS")); n != 2 {
		t.Errorf("%d accounts in the recycle bin, want 2", n)
	}
}

package e2e_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/soql"
)

// create saves records as the administrator and returns their IDs.
func (w *world) create(t *testing.T, object string, recs ...map[string]any) []rapport.ID {
	t.Helper()
	res, err := w.records.Create(w.admin(), object, recs, record.WriteOptions{AllOrNone: true})
	if err != nil {
		t.Fatalf("create %s: %v", object, err)
	}
	var ids []rapport.ID
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("create %s: %v", object, r.Err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

func TestInlineEdit(t *testing.T) {
	w := sharedWorld(t)
	name := unique("Inline Edit Outfitters")
	id := w.create(t, "Account", map[string]any{"Name": name, "Phone": "+1 503 555 0101", "BillingCity": "Portland"})[0]

	tb := w.open(t)
	tb.signInAdmin()
	tb.goTo("/o/Account?q=" + url.QueryEscape(name))
	tb.waitPage("list")
	cell := fmt.Sprintf("#cell-%s-BillingCity", id)
	tb.waitFor(cell)
	if got := tb.cellText(cell); got != "Portland" {
		t.Fatalf("the city cell shows %q", got)
	}

	// The pencil opens the cell's editor in place.
	tb.click(cell + " button.pencil")
	editor := cell + ".editing form.cell-editor"
	tb.waitFor(editor)
	input := fmt.Sprintf("#edit-%s-BillingCity", id)
	if got := tb.attr(input, "aria-label"); !strings.Contains(got, name) {
		t.Errorf("the editor's aria-label = %q; want it to name the record", got)
	}
	// Cancel puts the cell back as it was.
	tb.click(editor + " button[data-cancel]")
	tb.waitGone(cell + ".editing")
	if got := tb.cellText(cell); got != "Portland" {
		t.Errorf("after Cancel the cell shows %q", got)
	}

	// A double click opens it too; typing and Enter saves.
	tb.do(chromedp.DoubleClick(chromedp.CSS(cell), chromedp.NodeVisible))
	tb.waitFor(editor)
	tb.typeInto(input, "Eugene")
	tb.click(editor + " button[type=submit]")
	tb.waitGone(cell + ".editing")
	if got := tb.cellText(cell); got != "Eugene" {
		t.Errorf("after the save the cell shows %q", got)
	}
	if got := field(w.one(t, "SELECT BillingCity FROM Account WHERE Id = "+soql.Quote(string(id))), "BillingCity"); got != "Eugene" {
		t.Errorf("BillingCity saved = %v, want Eugene", got)
	}

	// An empty required name is stopped by the browser (the control is
	// marked required), and nothing is saved; Cancel restores the cell.
	nameCell := fmt.Sprintf("#cell-%s-Name", id)
	nameInput := fmt.Sprintf("#edit-%s-Name", id)
	tb.click(nameCell + " button.pencil")
	tb.waitFor(nameCell + ".editing form.cell-editor")
	tb.typeInto(nameInput, "")
	tb.click(nameCell + " button[type=submit]")
	if !eval[bool](tb, fmt.Sprintf(`document.querySelector(%s).validity.valueMissing`, jsString(nameInput))) {
		t.Error("an empty required name is not flagged as missing")
	}
	if !tb.has(nameCell + ".editing") {
		t.Error("the editor closed on an empty required name")
	}
	if got := field(w.one(t, "SELECT Name FROM Account WHERE Id = "+soql.Quote(string(id))), "Name"); got != name {
		t.Errorf("Name after a refused inline edit = %v", got)
	}
	tb.click(nameCell + " button[data-cancel]")
	tb.waitGone(nameCell + ".editing")
	if got := tb.cellText(nameCell); got != name {
		t.Errorf("after Cancel the name cell shows %q", got)
	}

	// After a reload the list shows the saved value.
	tb.goTo("/o/Account?q=" + url.QueryEscape(name))
	tb.waitFor(cell)
	if got := tb.cellText(cell); got != "Eugene" {
		t.Errorf("after reload the city cell shows %q", got)
	}
}

func TestListViewFilterAndSort(t *testing.T) {
	w := sharedWorld(t)
	city := unique("Filterton")
	w.create(t, "Account",
		map[string]any{"Name": "Zephyr Kites " + city, "BillingCity": city, "NumberOfEmployees": 40.0},
		map[string]any{"Name": "Aster Bikes " + city, "BillingCity": city, "NumberOfEmployees": 900.0},
		map[string]any{"Name": "Maple Boats " + city, "BillingCity": city, "NumberOfEmployees": 7.0},
	)

	tb := w.open(t)
	tb.signInAdmin()
	tb.goTo("/o/Account")
	tb.waitPage("list")
	tb.click(`a[href="/o/Account/views/new"]`)
	tb.waitFor("form.view-form")

	// A view of the accounts in our city, with name, city and employees.
	viewName := "City " + city[len(city)-6:]
	tb.typeInto("#view-name", viewName)
	tb.selectOption("#col-0", "Name")
	tb.selectOption("#col-1", "BillingCity")
	tb.selectOption("#col-2", "NumberOfEmployees")
	for i := 3; tb.has(fmt.Sprintf("#col-%d", i)); i++ {
		tb.selectOption(fmt.Sprintf("#col-%d", i), "")
	}
	// Choosing the condition's field swaps in its row (htmx), then the
	// operator and value.
	tb.markStale("#cond-0")
	tb.selectOption("#cond-0-field", "BillingCity")
	tb.waitFresh("#cond-0")
	tb.selectOption("#cond-0-op", "equals")
	tb.typeInto("#cond-0-value", city)
	tb.click(`form.view-form button[type=submit]`)
	tb.waitPath("the new view", func(p string) bool { return strings.HasPrefix(p, "/o/Account") && strings.Contains(p, "view=") })
	tb.waitPage("list")

	names := func() []string {
		return eval[[]string](tb, `[...document.querySelectorAll(".list-grid tbody tr")].map(r => r.querySelector("td a").innerText.trim())`)
	}
	want := []string{"Aster Bikes " + city, "Maple Boats " + city, "Zephyr Kites " + city}
	if got := names(); !slices.Equal(got, want) {
		t.Errorf("the view shows %q, want %q (by name)", got, want)
	}
	if sel := eval[string](tb, `document.querySelector("#view-pick").selectedOptions[0].text`); sel != viewName {
		t.Errorf("the view picker shows %q, want %q", sel, viewName)
	}
	headers := eval[[]string](tb, `[...document.querySelectorAll(".list-grid thead th:not(.sel)")].map(th => th.innerText.replace(/[▲▼]/g, "").trim())`)
	if len(headers) != 3 {
		t.Errorf("the view's columns: %q, want 3", headers)
	}

	// Sorting by a column's header: employees ascending, then descending.
	emp := `.list-grid thead th a[href*="sort=NumberOfEmployees"]`
	tb.click(emp)
	tb.waitJS(`document.querySelector(".list-grid thead th[aria-sort=ascending] a[href*='sort=NumberOfEmployees']") !== null`)
	want = []string{"Maple Boats " + city, "Zephyr Kites " + city, "Aster Bikes " + city}
	if got := names(); !slices.Equal(got, want) {
		t.Errorf("sorted by employees: %q, want %q", got, want)
	}
	if p := tb.path(); !strings.Contains(p, "sort=NumberOfEmployees") {
		t.Errorf("the sorted list's URL is %s: the sort is not in the address", p)
	}
	tb.click(emp)
	tb.waitJS(`document.querySelector(".list-grid thead th[aria-sort=descending]") !== null`)
	slices.Reverse(want)
	if got := names(); !slices.Equal(got, want) {
		t.Errorf("sorted by employees descending: %q, want %q", got, want)
	}

	// The view is saved: its condition and columns are read back.
	v := w.one(t, "SELECT Id, Filters, Columns FROM ListView WHERE SobjectType = 'Account' AND Name = "+soql.Quote(viewName))
	if f, _ := field(v, "Filters").(string); !strings.Contains(f, city) || !strings.Contains(f, "BillingCity") {
		t.Errorf("the saved view's filters: %q", f)
	}
	if c, _ := field(v, "Columns").(string); !strings.Contains(c, "NumberOfEmployees") {
		t.Errorf("the saved view's columns: %q", c)
	}

	// Reloading the sorted address keeps both the view and the sort.
	tb.goTo(tb.path())
	tb.waitPage("list")
	if got := names(); !slices.Equal(got, want) {
		t.Errorf("after reload: %q, want %q", got, want)
	}
}

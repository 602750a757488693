package e2e_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/soql"
)

func TestPipelineMoves(t *testing.T) {
	w := sharedWorld(t)
	name := unique("Kanban Kettles")
	id := w.create(t, "Opportunity", map[string]any{
		"Name": name, "StageName": "Prospecting", "Amount": 12000.0,
		"CloseDate": time.Now().AddDate(0, 1, 0).Format("2006-01-02"), "OwnerId": w.demo.Org.UserID,
	})[0]
	stage := func() any {
		return field(w.one(t, "SELECT StageName FROM Opportunity WHERE Id = "+soql.Quote(string(id))), "StageName")
	}
	card := fmt.Sprintf(`li.kanban-card[data-move="/o/Opportunity/%s/stage"]`, id)
	column := func(value string) string { return fmt.Sprintf(`ul.kanban-cards[data-value=%q]`, value) }
	inColumn := func(value string) string { return column(value) + " > " + card }

	tb := w.open(t)
	tb.signInAdmin()
	tb.goTo("/o/Opportunity")
	tb.click(`a[href="/o/Opportunity/pipeline"]`)
	tb.waitPage("kanban")
	tb.waitFor(inColumn("Prospecting"))
	tb.mustSee(name)
	// The board scrolls sideways in its own box; the page does not.
	tb.noHorizontalOverflow()
	tb.shot("pipeline")

	// Drag the card with the mouse to the next column.
	tb.drag(card, column("Qualification"))
	tb.waitFor(inColumn("Qualification"))
	tb.waitJS(fmt.Sprintf(`(() => { const c = document.querySelector(%s); return c && !c.classList.contains("saving") && c.dataset.value === "Qualification"; })()`, jsString(card)))
	if got := stage(); got != "Qualification" {
		t.Fatalf("StageName after the drag = %v, want Qualification", got)
	}
	// The card's keyboard menu follows the drag.
	if got := tb.value(fmt.Sprintf("#move-%s", id)); got != "Qualification" {
		t.Errorf("the card's stage menu after the drag = %q", got)
	}

	// After a reload the card is still where it was dropped.
	tb.goTo("/o/Opportunity/pipeline")
	tb.waitFor(inColumn("Qualification"))

	// Without a mouse: the card's stage menu moves it too.
	tb.selectOption(fmt.Sprintf("#move-%s", id), "Needs Analysis")
	tb.waitFor(inColumn("Needs Analysis"))
	tb.waitJS(fmt.Sprintf(`(() => { const c = document.querySelector(%s); return c && !c.classList.contains("saving") && c.dataset.value === "Needs Analysis"; })()`, jsString(card)))
	if got := stage(); got != "Needs Analysis" {
		t.Fatalf("StageName after the menu = %v, want Needs Analysis", got)
	}
	tb.goTo("/o/Opportunity/pipeline")
	tb.waitFor(inColumn("Needs Analysis"))
	if n := tb.count(card); n != 1 {
		t.Errorf("the card shows %d times on the board", n)
	}
}

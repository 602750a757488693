package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPipelineBoard(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		other, _ := listUser(t, h, "Standard User", "rep@board.example")
		acc := listCreate(t, h.env.Ctx, h, "Account", []map[string]any{{"Name": "Board Co"}})
		ids := listCreate(t, h.env.Ctx, h, "Opportunity", []map[string]any{
			{"Name": "Small deal", "StageName": "Prospecting", "CloseDate": "2030-01-01", "Amount": 1000, "AccountId": string(acc[0])},
			{"Name": "Big deal", "StageName": "Prospecting", "CloseDate": "2030-02-01", "Amount": 250000},
			{"Name": "Their deal", "StageName": "Qualification", "CloseDate": "2030-01-01", "Amount": 7, "OwnerId": string(other)},
			{"Name": "Old loss", "StageName": "Closed Lost", "CloseDate": "2001-01-01"},
		})
		b := h.signIn()
		p := b.get("/o/Opportunity/pipeline")
		if p.Status != http.StatusOK {
			t.Fatalf("pipeline: %d\n%s", p.Status, p.Body)
		}
		// Columns in the picklist's order, with totals and cards.
		order := []string{"Prospecting", "Qualification", "Needs Analysis", "Negotiation/Review", "Closed Won", "Closed Lost"}
		last := -1
		for _, s := range order {
			i := strings.Index(p.Body, `data-board="stage" data-value="`+s+`"`)
			if i < last {
				t.Fatalf("column %s missing or out of order", s)
			}
			last = i
		}
		p.mustContain(t, "Small deal", "Big deal", "Board Co", "$251,000.00", `data-move="/o/Opportunity/`+string(ids[0])+`/stage" data-value="Prospecting"`, "data-move-select", `>2</span>`)
		if strings.Contains(p.Body, "Their deal") || strings.Contains(p.Body, "Old loss") {
			t.Fatal("My board shows another owner's deal or an old closed one")
		}
		p = b.get("/o/Opportunity/pipeline?scope=all")
		p.mustContain(t, "Their deal", `aria-current="page">All opportunities`)

		// A move saves the stage; a stage that is not one is refused.
		p = b.htmx("POST", "/o/Opportunity/"+string(ids[0])+"/stage", url.Values{"value": {"Negotiation/Review"}})
		if p.Status != http.StatusOK {
			t.Fatalf("move: %d %s", p.Status, p.Body)
		}
		got, err := h.env.Records.Get(h.env.Ctx, "Opportunity", []string{string(ids[0])}, []string{"StageName", "Probability"}, false)
		if err != nil || got[0].Values["StageName"] != "Negotiation/Review" {
			t.Fatalf("after the move: %v %v", got[0].Values, err)
		}
		for _, bad := range []string{"Bogus", "", "Prospecting' OR 'x"} {
			p = b.htmx("POST", "/o/Opportunity/"+string(ids[1])+"/stage", url.Values{"value": {bad}})
			if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "is not a stage") {
				t.Fatalf("move to %q: %d %s", bad, p.Status, p.Body)
			}
		}
		if p = b.htmx("POST", "/o/Opportunity/"+string(acc[0])+"/stage", url.Values{"value": {"Prospecting"}}); p.Status != http.StatusNotFound {
			t.Fatalf("move of an account: %d", p.Status)
		}
		got, _ = h.env.Records.Get(h.env.Ctx, "Opportunity", []string{string(ids[1])}, []string{"StageName"}, false)
		if got[0].Values["StageName"] != "Prospecting" {
			t.Fatalf("a refused move changed the stage: %v", got[0].Values)
		}
		// Moved to Closed Won, the deal shows in the closed column.
		b.htmx("POST", "/o/Opportunity/"+string(ids[1])+"/stage", url.Values{"value": {"Closed Won"}})
		p = b.get("/o/Opportunity/pipeline")
		won := strings.Index(p.Body, `data-value="Closed Won"`)
		if won < 0 || !strings.Contains(p.Body[won:], "Big deal") {
			t.Fatal("a deal moved to Closed Won is not in its column")
		}
	})
}

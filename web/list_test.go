package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/tenant"
)

// listCreate creates records as the org's administrator.
func listCreate(t *testing.T, ctx context.Context, h *harness, object string, recs []map[string]any) []rapport.ID {
	t.Helper()
	res, err := h.env.Records.Create(ctx, object, recs, record.WriteOptions{AllOrNone: true})
	if err != nil {
		t.Fatalf("create %s: %v", object, err)
	}
	ids := make([]rapport.ID, len(res))
	for i, r := range res {
		if r.Err != nil {
			t.Fatalf("create %s #%d: %v", object, i, r.Err)
		}
		ids[i] = r.ID
	}
	return ids
}

// listIDs are the IDs of the rows of a list page, in order, read from the
// cells of a column.
func listIDs(p page, column string) []string {
	re := regexp.MustCompile(`<td id="cell-([0-9A-Za-z]{18})-` + regexp.QuoteMeta(column) + `"`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(p.Body, -1) {
		out = append(out, m[1])
	}
	return out
}

// listNames are the texts of the first column's links, in order.
func listNames(p page) []string {
	re := regexp.MustCompile(`<td id="cell-[0-9A-Za-z]{18}-Name"[^>]*><a href="/r/[^"]+">([^<]*)</a>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(p.Body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

var listNextRe = regexp.MustCompile(`rel="next" href="([^"]+)"`)
var listPrevRe = regexp.MustCompile(`rel="prev" href="([^"]+)"`)

func listLink(re *regexp.Regexp, p page) string {
	m := re.FindStringSubmatch(p.Body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestListAllSortAndPages(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		var recs []map[string]any
		for i := 0; i < 120; i++ {
			recs = append(recs, map[string]any{"Name": fmt.Sprintf("Acme %03d", i), "Industry": []string{"Energy", "Banking", "Retail"}[i%3],
				"NumberOfEmployees": i % 7, "BillingCity": "Springfield"})
		}
		// Equal names on a page boundary: the Id breaks the tie.
		for i := 0; i < 3; i++ {
			recs = append(recs, map[string]any{"Name": "Acme 049"})
		}
		listCreate(t, h.env.Ctx, h, "Account", recs)
		b := h.signIn()

		p := b.get("/o/Account")
		if p.Status != http.StatusOK {
			t.Fatalf("GET /o/Account: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, "All Accounts", "My Accounts", "Recently Viewed", `aria-sort="ascending"`, "123 items", `href="/o/Account/new"`)
		names := listNames(p)
		if len(names) != 50 || names[0] != "Acme 000" || names[49] != "Acme 049" {
			t.Fatalf("first page names = %v", names)
		}

		// Page through: every record once, in order, across three pages.
		var all []string
		seen := map[string]bool{}
		next := "/o/Account"
		pages := 0
		for next != "" {
			p = b.get(next)
			if p.Status != http.StatusOK {
				t.Fatalf("GET %s: %d", next, p.Status)
			}
			for _, id := range listIDs(p, "Name") {
				if seen[id] {
					t.Fatalf("row %s twice (page %d)", id, pages+1)
				}
				seen[id] = true
			}
			all = append(all, listNames(p)...)
			next = listLink(listNextRe, p)
			pages++
			if pages > 5 {
				t.Fatal("too many pages")
			}
		}
		if pages != 3 || len(all) != 123 || len(seen) != 123 {
			t.Fatalf("paged %d pages, %d names, %d ids; want 3, 123, 123", pages, len(all), len(seen))
		}
		if !slices.IsSortedFunc(all, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
			t.Fatalf("names not sorted: %v", all)
		}
		// Previous from the last page is the middle page again.
		mid := b.get(listLink(listNextRe, b.get("/o/Account")))
		prev := b.get(listLink(listPrevRe, p))
		if got, want := listIDs(prev, "Name"), listIDs(mid, "Name"); !slices.Equal(got, want) {
			t.Fatalf("previous of the last page:\n%v\nwant\n%v", got, want)
		}
		if listLink(listPrevRe, b.get(listLink(listPrevRe, prev))) != "" {
			t.Fatal("the first page, reached backwards, has a previous page")
		}

		// Descending: the reverse order, and paging works the same.
		p = b.get("/o/Account?sort=Name&dir=desc")
		p.mustContain(t, `aria-sort="descending"`)
		names = listNames(p)
		if names[0] != "Acme 119" {
			t.Fatalf("descending first = %q", names[0])
		}
		var desc []string
		for u := "/o/Account?sort=Name&dir=desc"; u != ""; u = listLink(listNextRe, p) {
			p = b.get(u)
			desc = append(desc, listIDs(p, "Name")...)
		}
		if len(desc) != 123 {
			t.Fatalf("descending pages hold %d rows", len(desc))
		}

		// Sort by a number: ascending puts the nulls first.
		p = b.get("/o/Account?sort=NumberOfEmployees&dir=desc")
		if p.Status != http.StatusOK {
			t.Fatalf("sort by employees: %d", p.Status)
		}
		var byEmp []string
		for u := "/o/Account?sort=NumberOfEmployees&dir=asc"; u != ""; u = listLink(listNextRe, p) {
			p = b.get(u)
			byEmp = append(byEmp, listIDs(p, "Name")...)
		}
		if len(byEmp) != 123 || len(uniq(byEmp)) != 123 {
			t.Fatalf("sorted by employees: %d rows, %d distinct", len(byEmp), len(uniq(byEmp)))
		}

		// Search: the name LIKE, and htmx gets just the table.
		p = listSwap(b, "/o/Account?q=acme+04")
		if strings.Contains(p.Body, "<html") || !strings.Contains(p.Body, `id="list-table"`) || len(listNames(p)) != 13 {
			t.Fatalf("htmx search answered:\n%s", p.Body)
		}
		p = b.get("/o/Account?q=cme+04")
		if got := listNames(p); len(got) != 13 {
			t.Fatalf("search 'cme 04' found %d: %v", len(got), got)
		}
		p.mustContain(t, "13 items")
		// Search text is not SOQL.
		p = b.get("/o/Account?q=" + url.QueryEscape(`x' OR Name != '`))
		if p.Status != http.StatusOK || len(listNames(p)) != 0 {
			t.Fatalf("quote in search: %d, %d rows", p.Status, len(listNames(p)))
		}
	})
}

// listSwap asks for a list's table as the search box and the headers do.
func listSwap(b *browser, path string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.h.URL(path), nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "list-table")
	return b.do(req)
}

func uniq(s []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return m
}

// listUser adds a user with a profile who signs in with the test password.
func listUser(t *testing.T, h *harness, profile, username string) (rapport.ID, *browser) {
	t.Helper()
	id, err := h.env.Tenants.CreateUser(h.env.Ctx, h.env.Org.OrgID, tenant.UserParams{
		Username: username, Password: password, FirstName: "Pat", LastName: strings.ReplaceAll(profile, " ", ""), Profile: profile})
	if err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	b := h.browser()
	b.signIn(username, password)
	return id, b
}

func TestListMyAndRecentViews(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		other, _ := listUser(t, h, "Standard User", "other@list.example")
		mine := listCreate(t, h.env.Ctx, h, "Account", []map[string]any{{"Name": "Mine A"}, {"Name": "Mine B"}})
		listCreate(t, h.env.Ctx, h, "Account", []map[string]any{{"Name": "Theirs", "OwnerId": string(other)}})
		b := h.signIn()
		p := b.get("/o/Account?view=my")
		if got := listNames(p); !slices.Equal(got, []string{"Mine A", "Mine B"}) {
			t.Fatalf("My Accounts = %v", got)
		}
		p = b.get("/o/Account")
		if got := listNames(p); len(got) != 3 {
			t.Fatalf("All Accounts = %v", got)
		}
		// Recently viewed: the user's RecentView records, newest first.
		sys := rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: h.env.Org.OrgID, UserID: h.env.Org.UserID, System: true})
		me := string(h.env.Org.UserID)
		listCreate(t, sys, h, "RecentView", []map[string]any{
			{"ViewKey": me + string(mine[0]), "RecordId": string(mine[0]), "SobjectType": "Account", "Name": "Mine A", "LastViewedDate": "2024-01-01T00:00:00Z", "OwnerId": me},
			{"ViewKey": me + string(mine[1]), "RecordId": string(mine[1]), "SobjectType": "Account", "Name": "Mine B", "LastViewedDate": "2024-02-01T00:00:00Z", "OwnerId": me},
		})
		p = b.get("/o/Account?view=recent")
		if got := listNames(p); !slices.Equal(got, []string{"Mine B", "Mine A"}) {
			t.Fatalf("Recently Viewed = %v", got)
		}
		if p = b.get("/o/Account?view=nonsense"); p.Status != http.StatusNotFound {
			t.Fatalf("unknown view: %d", p.Status)
		}
		if p = b.get("/o/NoSuchThing__c"); p.Status != http.StatusNotFound {
			t.Fatalf("unknown object: %d", p.Status)
		}
	})
}

func TestListSavedViews(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		var recs []map[string]any
		for i := 0; i < 12; i++ {
			recs = append(recs, map[string]any{"Name": fmt.Sprintf("Org %02d", i), "Industry": []string{"Energy", "Banking"}[i%2], "NumberOfEmployees": i})
		}
		listCreate(t, h.env.Ctx, h, "Account", recs)
		b := h.signIn()
		p := b.get("/o/Account/views/new")
		p.mustContain(t, `name="cond_field"`, `name="column"`, "Visible to all users")
		// A picklist condition offers the picklist's values.
		p = b.htmx("GET", "/o/Account/views/condition?i=0&cond_field=Industry&cond_op=equals", nil)
		p.mustContain(t, `<option value="Energy"`, `id="cond-0"`)

		// Bad values are readable errors on the form, not failures.
		form := url.Values{"name": {"Big energy"}, "shared": {"true"}, "column": {"Name", "Industry", "NumberOfEmployees", ""},
			"cond_field": {"Industry", "NumberOfEmployees", ""}, "cond_op": {"equals", "greaterThan", "equals"}, "cond_value": {"Energy", "lots", ""},
			"sort": {"NumberOfEmployees"}, "sort_dir": {"desc"}}
		p = b.post("/o/Account/views", form)
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad number: %d", p.Status)
		}
		p.mustContain(t, "is not a number", "Some conditions need fixing")
		for _, bad := range []url.Values{
			{"cond_field": {"Industry"}, "cond_op": {"lessThan"}, "cond_value": {"Energy"}},
			{"cond_field": {"NumberOfEmployees"}, "cond_op": {"contains"}, "cond_value": {"1"}},
			{"cond_field": {"CreatedDate"}, "cond_op": {"greaterThan"}, "cond_value": {"yesterday"}},
			{"cond_field": {"NoSuchField"}, "cond_op": {"equals"}, "cond_value": {"x"}},
			{"cond_field": {"Name"}, "cond_op": {"DROP"}, "cond_value": {"x"}},
		} {
			bad.Set("name", "Bad")
			if p = b.post("/o/Account/views", bad); p.Status != http.StatusUnprocessableEntity {
				t.Fatalf("condition %v: %d", bad, p.Status)
			}
		}

		form.Set("cond_value", "Energy")
		form["cond_value"] = []string{"Energy", "3", ""}
		p = b.post("/o/Account/views", form)
		if p.Status != http.StatusOK || !strings.Contains(p.URL, "view=") {
			t.Fatalf("save view: %d at %s\n%s", p.Status, p.URL, p.Body)
		}
		u, _ := url.Parse(p.URL)
		viewID := u.Query().Get("view")
		p.mustContain(t, "Saved the view", `selected>Big energy (shared)</option>`, `aria-sort="descending"`, "Edit view", "Delete view")
		if got := listNames(p); !slices.Equal(got, []string{"Org 10", "Org 08", "Org 06", "Org 04"}) {
			t.Fatalf("view rows = %v", got)
		}
		// The view's columns, in order.
		if i, j := strings.Index(p.Body, `-Industry"`), strings.Index(p.Body, `-NumberOfEmployees"`); i < 0 || j < i || len(listIDs(p, "OwnerId")) != 0 {
			t.Fatalf("columns not as chosen")
		}
		// Search combines with the view's filters.
		if got := listNames(b.get("/o/Account?view=" + viewID + "&q=10")); !slices.Equal(got, []string{"Org 10"}) {
			t.Fatalf("search in view = %v", got)
		}

		// Edit: rename, and a text condition with a quote stays a value.
		p = b.get("/o/Account/views/" + viewID)
		p.mustContain(t, `value="Big energy"`, `selected>Energy</option>`)
		form.Set("view", viewID)
		form.Set("name", "Energy only")
		form["cond_field"] = []string{"Industry", "Name"}
		form["cond_op"] = []string{"equals", "notEqual"}
		form["cond_value"] = []string{"Energy", `x' OR Name = 'y`}
		p = b.post("/o/Account/views", form)
		if p.Status != http.StatusOK {
			t.Fatalf("edit view: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, `selected>Energy only (shared)</option>`)
		if got := listNames(p); len(got) != 6 {
			t.Fatalf("edited view rows = %v", got)
		}

		// Another user sees the shared view, can use it, cannot change it.
		_, ob := listUser(t, h, "Standard User", "viewer@list.example")
		p = ob.get("/o/Account?view=" + viewID)
		if p.Status != http.StatusOK || len(listNames(p)) != 6 {
			t.Fatalf("other user's view: %d, %v", p.Status, listNames(p))
		}
		if strings.Contains(p.Body, "Edit view") || strings.Contains(p.Body, "Delete view") {
			t.Fatal("another user's view offers edit or delete")
		}
		if p = ob.get("/o/Account/views/" + viewID); p.Status != http.StatusForbidden {
			t.Fatalf("other user edits the view: %d", p.Status)
		}
		if p = ob.post("/o/Account/views", url.Values{"view": {viewID}, "name": {"Mine now"}}); p.Status != http.StatusForbidden {
			t.Fatalf("other user saves the view: %d", p.Status)
		}
		if p = ob.post("/o/Account/views/delete", url.Values{"view": {viewID}}); p.Status != http.StatusForbidden {
			t.Fatalf("other user deletes the view: %d", p.Status)
		}
		// Their own private view is theirs alone.
		p = ob.post("/o/Account/views", url.Values{"name": {"Private one"}, "column": {"Name"}})
		if p.Status != http.StatusOK {
			t.Fatalf("other user's own view: %d", p.Status)
		}
		if strings.Contains(b.get("/o/Account").Body, "Private one") {
			t.Fatal("a private view shows in another user's picker")
		}

		// Delete.
		p = b.post("/o/Account/views/delete", url.Values{"view": {viewID}})
		if p.Status != http.StatusOK || strings.Contains(p.Body, "Energy only (shared)</option>") || !strings.Contains(p.Body, "Deleted the view") {
			t.Fatalf("delete view: %d", p.Status)
		}
		if p = b.get("/o/Account?view=" + viewID); p.Status != http.StatusNotFound {
			t.Fatalf("deleted view: %d", p.Status)
		}
	})
}

func TestListFilterTypes(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		acc := listCreate(t, h.env.Ctx, h, "Account", []map[string]any{{"Name": "Acme"}})
		listCreate(t, h.env.Ctx, h, "Opportunity", []map[string]any{
			{"Name": "Alpha deal", "StageName": "Prospecting", "CloseDate": "2025-01-10", "Amount": 100, "AccountId": string(acc[0])},
			{"Name": "Beta deal", "StageName": "Closed Won", "CloseDate": "2025-03-10", "Amount": 5000},
			{"Name": "Gamma 100%", "StageName": "Prospecting", "CloseDate": "2025-06-10"},
		})
		b := h.signIn()
		cases := []struct {
			field, op, value string
			want             []string
		}{
			{"CloseDate", "greaterThan", "2025-02-01", []string{"Beta deal", "Gamma 100%"}},
			{"CloseDate", "lessThan", "2025-02-01", []string{"Alpha deal"}},
			{"Amount", "greaterThan", "1,000", []string{"Beta deal"}},
			{"Amount", "equals", "", []string{"Gamma 100%"}},
			{"IsWon", "equals", "true", []string{"Beta deal"}},
			{"Name", "contains", "100%", []string{"Gamma 100%"}},
			{"Name", "startsWith", "al", []string{"Alpha deal"}},
			{"Name", "contains", "_", nil},
			{"AccountId", "equals", string(acc[0]), []string{"Alpha deal"}},
			{"StageName", "notEqual", "Prospecting", []string{"Beta deal"}},
		}
		for _, tc := range cases {
			p := b.post("/o/Opportunity/views", url.Values{"name": {tc.field + " " + tc.op}, "column": {"Name", "AccountId", "Amount"},
				"cond_field": {tc.field}, "cond_op": {tc.op}, "cond_value": {tc.value}})
			if p.Status != http.StatusOK {
				t.Fatalf("%s %s %q: %d\n%s", tc.field, tc.op, tc.value, p.Status, p.Body)
			}
			if got := listNames(p); !slices.Equal(got, tc.want) {
				t.Errorf("%s %s %q = %v, want %v", tc.field, tc.op, tc.value, got, tc.want)
			}
		}
		// A reference column shows the referenced name as a link.
		p := b.get("/o/Opportunity")
		p.mustContain(t, `<a href="/r/`+string(acc[0])+`">Acme</a>`, `href="/o/Opportunity/pipeline"`)
		// Sorting by a reference sorts by the referenced name.
		if p = b.get("/o/Opportunity?sort=AccountId&dir=desc"); p.Status != http.StatusOK || listNames(p)[0] != "Alpha deal" {
			t.Fatalf("sort by account desc: %d %v", p.Status, listNames(p))
		}
	})
}

func TestListInlineEdit(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		ids := listCreate(t, h.env.Ctx, h, "Account", []map[string]any{{"Name": "Edit me", "Industry": "Energy"}})
		id := string(ids[0])
		b := h.signIn()
		b.get("/o/Account")
		p := b.htmx("GET", "/o/Account/"+id+"/cell/Industry", nil)
		p.mustContain(t, "data-cell-editor", `<select`, `selected>Energy</option>`, "Cancel")
		p = b.htmx("GET", "/o/Account/"+id+"/cell/Industry?cancel=1", nil)
		p.mustContain(t, `class="pencil"`, "Energy")

		p = b.htmx("POST", "/o/Account/"+id+"/cell/Industry", url.Values{"Industry": {"Banking"}})
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "Banking") || strings.Contains(p.Body, "<form") {
			t.Fatalf("save industry: %d\n%s", p.Status, p.Body)
		}
		p = b.htmx("POST", "/o/Account/"+id+"/cell/NumberOfEmployees", url.Values{"NumberOfEmployees": {"many"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad number: %d", p.Status)
		}
		p.mustContain(t, "Enter a number.", `aria-invalid="true"`, "data-cell-editor")
		p = b.htmx("POST", "/o/Account/"+id+"/cell/Name", url.Values{"Name": {""}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("empty name: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, `class="field-error"`)
		p = b.htmx("POST", "/o/Account/"+id+"/cell/NumberOfEmployees", url.Values{"NumberOfEmployees": {"1,200"}})
		if p.Status != http.StatusOK {
			t.Fatalf("save employees: %d\n%s", p.Status, p.Body)
		}
		p.mustContain(t, "1,200")
		got, err := h.env.Records.Get(h.env.Ctx, "Account", []string{id}, []string{"Name", "Industry", "NumberOfEmployees"}, false)
		if err != nil || len(got) != 1 || got[0] == nil {
			t.Fatalf("read back: %v", err)
		}
		v := got[0].Values
		if v["Industry"] != "Banking" || fmt.Sprint(v["NumberOfEmployees"]) != "1200" || v["Name"] != "Edit me" {
			t.Fatalf("after inline edits: %v", v)
		}
		// System fields have no editor.
		if p = b.htmx("GET", "/o/Account/"+id+"/cell/CreatedDate", nil); p.Status != http.StatusForbidden && p.Status != http.StatusNotFound {
			t.Fatalf("editor of CreatedDate: %d", p.Status)
		}
	})
}

// Under Public Read Only sharing a user edits in place only the rows they
// own: the others show no pencil, and a save of one is refused.
func TestListInlineEditFollowsSharing(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		if _, err := h.env.Records.UpdateObject(h.env.Ctx, "Account", &metadata.Object{SharingModel: metadata.SharingRead}); err != nil {
			t.Fatal(err)
		}
		rep, b := listUser(t, h, "Standard User", "rep@sharing.example")
		ids := listCreate(t, h.env.Ctx, h, "Account", []map[string]any{
			{"Name": "Shared Mine", "Industry": "Energy", "OwnerId": string(rep)},
			{"Name": "Shared Theirs", "Industry": "Energy"},
		})
		pencil := func(p page, id rapport.ID) bool {
			i := strings.Index(p.Body, `id="cell-`+string(id)+`-Industry"`)
			if i < 0 {
				t.Fatalf("no Industry cell for %s", id)
			}
			end := strings.Index(p.Body[i:], "</td>")
			return strings.Contains(p.Body[i:i+end], `class="pencil"`)
		}
		// The security cache may take a moment to see the new default.
		var p page
		for try := 0; try < 30; try++ {
			p = b.get("/o/Account?q=Shared")
			if !pencil(p, ids[1]) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !pencil(p, ids[0]) {
			t.Error("no pencil on the user's own account")
		}
		if pencil(p, ids[1]) {
			t.Error("a pencil on an account the user may only read")
		}
		if p = b.htmx("POST", "/o/Account/"+string(ids[1])+"/cell/Industry", url.Values{"Industry": {"Banking"}}); p.Status == http.StatusOK {
			t.Errorf("saving a read-only row: %d", p.Status)
		}
	})
}

func TestListMassActions(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		other, _ := listUser(t, h, "Standard User", "newowner@list.example")
		ids := listCreate(t, h.env.Ctx, h, "Account", []map[string]any{{"Name": "M1"}, {"Name": "M2"}, {"Name": "M3"}, {"Name": "M4"}, {"Name": "M5"}})
		b := h.signIn()
		p := b.get("/o/Account")
		p.mustContain(t, `id="mass"`, `name="ids"`, "Change owner…", "Delete selected…")

		// Change owner: a confirmation naming the owner, then the change.
		sel := url.Values{"action": {"owner"}, "OwnerId": {string(other)}, "ids": {string(ids[0]), string(ids[1])}, "back": {"/o/Account"}}
		p = b.post("/o/Account/mass", sel)
		p.mustContain(t, "Change the owner of 2 accounts", "The new owner will be", "M1", "M2")
		sel.Set("confirm", "yes")
		p = b.post("/o/Account/mass", sel)
		p.mustContain(t, "2 accounts now owned by Pat StandardUser.")
		got, _ := h.env.Records.Get(h.env.Ctx, "Account", []string{string(ids[0]), string(ids[1]), string(ids[2])}, []string{"OwnerId"}, false)
		if got[0].Values["OwnerId"] != other || got[1].Values["OwnerId"] != other || got[2].Values["OwnerId"] == other {
			t.Fatalf("owners after the change: %v %v %v", got[0].Values, got[1].Values, got[2].Values)
		}
		// An owner who is not an active user is refused.
		bad := url.Values{"action": {"owner"}, "OwnerId": {string(ids[3])}, "ids": {string(ids[3])}, "confirm": {"yes"}}
		if p = b.post("/o/Account/mass", bad); p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("owner that is an account: %d", p.Status)
		}

		// Delete: one row already gone fails, readably; the rest go.
		if _, err := h.env.Records.Delete(h.env.Ctx, []string{string(ids[4])}, record.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		del := url.Values{"action": {"delete"}, "ids": {string(ids[2]), string(ids[3]), string(ids[4])}}
		p = b.post("/o/Account/mass", del)
		p.mustContain(t, "Delete 3 accounts?", "recycle bin")
		del.Set("confirm", "yes")
		p = b.post("/o/Account/mass", del)
		if p.Status != http.StatusOK {
			t.Fatalf("mass delete: %d", p.Status)
		}
		p.mustContain(t, "2 accounts deleted", "1 could not be changed")
		left, _ := h.env.Records.Get(h.env.Ctx, "Account", []string{string(ids[2]), string(ids[3])}, []string{"Name"}, false)
		if left[0] != nil || left[1] != nil {
			t.Fatal("deleted accounts are still there")
		}
		if p = b.post("/o/Account/mass", url.Values{"action": {"delete"}}); p.Status != http.StatusBadRequest {
			t.Fatalf("mass action without rows: %d", p.Status)
		}
	})
}

func TestListReadOnlyUser(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		ids := listCreate(t, h.env.Ctx, h, "Account", []map[string]any{{"Name": "Look only", "Industry": "Energy"}})
		opp := listCreate(t, h.env.Ctx, h, "Opportunity", []map[string]any{{"Name": "Deal", "StageName": "Prospecting", "CloseDate": "2030-01-01"}})
		_, b := listUser(t, h, "Read Only", "reader@list.example")
		p := b.get("/o/Account")
		if p.Status != http.StatusOK {
			t.Fatalf("read only list: %d", p.Status)
		}
		p.mustContain(t, "Look only")
		for _, no := range []string{`class="pencil"`, `name="ids"`, "Delete selected", "Change owner", `href="/o/Account/new"`, `hx-trigger="dblclick"`} {
			if strings.Contains(p.Body, no) {
				t.Errorf("read only list has %q", no)
			}
		}
		id := string(ids[0])
		p = b.htmx("POST", "/o/Account/"+id+"/cell/Industry", url.Values{"Industry": {"Banking"}})
		if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "permission") {
			t.Fatalf("read only inline save: %d %s", p.Status, p.Body)
		}
		if p = b.htmx("GET", "/o/Account/"+id+"/cell/Industry", nil); p.Status != http.StatusForbidden {
			t.Fatalf("read only editor: %d", p.Status)
		}
		p = b.post("/o/Account/mass", url.Values{"action": {"delete"}, "ids": {id}, "confirm": {"yes"}})
		if p.Status != http.StatusForbidden {
			t.Fatalf("read only mass delete: %d", p.Status)
		}
		got, _ := h.env.Records.Get(h.env.Ctx, "Account", []string{id}, []string{"Industry"}, false)
		if got[0] == nil || got[0].Values["Industry"] != "Energy" {
			t.Fatalf("read only user changed the account: %v", got[0])
		}
		// An object the profile does not grant has no list.
		if p = b.get("/o/ListView"); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "have access") {
			t.Fatalf("list of an object without access: %d", p.Status)
		}
		// The board shows cards without moves; a move is refused.
		p = b.get("/o/Opportunity/pipeline?scope=all")
		p.mustContain(t, "Deal")
		if strings.Contains(p.Body, "data-move=") || strings.Contains(p.Body, "data-move-select") {
			t.Error("read only board offers moves")
		}
		if p = b.htmx("POST", "/o/Opportunity/"+string(opp[0])+"/stage", url.Values{"value": {"Qualification"}}); p.Status != http.StatusForbidden {
			t.Fatalf("read only stage move: %d", p.Status)
		}
	})
}

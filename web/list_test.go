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

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
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

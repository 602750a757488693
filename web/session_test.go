package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/web"
)

func TestSignIn(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		b := h.browser()
		// Pages need a session; the sign-in page remembers where to go.
		p := b.get("/home")
		if !strings.Contains(p.URL, "/login?next=%2Fhome") {
			t.Fatalf("GET /home signed out ended at %s", p.URL)
		}

		p = b.post("/login", url.Values{"username": {h.env.Org.Username}, "password": {"wrong password 1"}})
		if p.Status != http.StatusUnauthorized {
			t.Fatalf("wrong password: status %d", p.Status)
		}
		p.mustContain(t, "Your username or password is not right")

		p = b.post("/login", url.Values{"username": {h.env.Org.Username}, "password": {password}, "next": {"/search?q=x"}})
		if p.Status != http.StatusOK || !strings.HasSuffix(p.URL, "/search?q=x") {
			t.Fatalf("sign in with next: %d at %s", p.Status, p.URL)
		}
		// A next that leaves the site is dropped.
		b2 := h.browser()
		p = b2.post("/login", url.Values{"username": {h.env.Org.Username}, "password": {password}, "next": {"//evil.example/"}})
		if !strings.HasSuffix(p.URL, "/home") {
			t.Fatalf("sign in with an off-site next ended at %s", p.URL)
		}

		p = b.get("/home")
		p.mustContain(t, "My open tasks", "My open opportunities", "Recent records", `href="/o/Account"`)
		if got := p.Header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") {
			t.Errorf("Content-Security-Policy = %q", got)
		}

		// Sign out revokes the session: the old cookie no longer works.
		p = b.post("/logout", nil)
		p.mustContain(t, "You have signed out.")
		if p = b.get("/home"); !strings.Contains(p.URL, "/login") {
			t.Fatalf("after sign out, /home ended at %s", p.URL)
		}
	})
}

func TestCSRF(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		b := h.signIn()
		// A form posted without the session's token is refused.
		p := b.post("/logout", url.Values{"_csrf": {"forged"}})
		if p = b.get("/home"); strings.Contains(p.URL, "/login") {
			t.Fatal("a logout without the CSRF token signed the user out")
		}
		p = b.htmx("POST", "/app/Sales", nil)
		if p.Status != http.StatusMethodNotAllowed {
			t.Logf("POST /app/Sales: %d", p.Status)
		}
		b.csrf = "forged"
		p = b.htmx("POST", "/o/Account/new", url.Values{"Name": {"X"}})
		if p.Status != http.StatusForbidden && p.Status != http.StatusMethodNotAllowed && p.Status != http.StatusNotFound {
			t.Fatalf("POST with a forged CSRF token: status %d", p.Status)
		}
	})
}

func TestAppSwitcher(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		b := h.signIn()
		p := b.get("/home")
		p.mustContain(t, `href="/o/Opportunity"`)
		p = b.get("/app/Service")
		p.mustContain(t, `href="/o/Case"`, "Service")
		if strings.Contains(p.Body, `href="/o/Opportunity"`) {
			t.Error("the Service app shows an Opportunities tab")
		}
		if p = b.get("/app/Nope"); p.Status != http.StatusNotFound {
			t.Errorf("GET /app/Nope: %d", p.Status)
		}
	})
}

func TestGlobalSearchAndLookup(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		ctx := h.env.Ctx
		res, err := h.env.Records.Create(ctx, "Account", []map[string]any{{"Name": "Acme Rockets", "Industry": "Energy"}, {"Name": "Globex"}}, record.WriteOptions{AllOrNone: true})
		if err != nil || res[0].Err != nil {
			t.Fatalf("create accounts: %v %v", err, res)
		}
		if _, err := h.env.Records.Create(ctx, "Contact", []map[string]any{{"FirstName": "Wile", "LastName": "Coyote", "AccountId": string(res[0].ID)}}, record.WriteOptions{AllOrNone: true}); err != nil {
			t.Fatal(err)
		}
		b := h.signIn()
		p := b.get("/search?q=" + url.QueryEscape("acme"))
		p.mustContain(t, "Accounts", "Acme Rockets", "/r/"+string(res[0].ID))
		if strings.Contains(p.Body, "Globex") {
			t.Error("search for acme shows Globex")
		}
		p = b.get("/search?q=coyote")
		p.mustContain(t, "Contacts", "Wile Coyote", "Acme Rockets")
		p = b.get("/search?q=" + url.QueryEscape("zzzqqq"))
		p.mustContain(t, "Nothing matches")
		p = b.get("/search?q=" + url.QueryEscape(`{"weird" AND`))
		if p.Status != http.StatusOK {
			t.Errorf("search with odd characters: %d", p.Status)
		}

		p = b.htmx("GET", "/lookup/Account?_q=glo", nil)
		p.mustContain(t, `data-name="Globex"`)
		if strings.Contains(p.Body, "Acme") {
			t.Error("lookup glo shows Acme")
		}
		p = b.htmx("GET", "/lookup/Account?_q="+url.QueryEscape("%"), nil)
		p.mustContain(t, "No accounts match")
	})
}

func TestFirstRun(t *testing.T) {
	b := backends[0]
	db := b.open(t)
	first := web.FirstRun{Token: "one-time-token"}
	// An empty store: no org yet.
	h := newEmptyHarness(t, db, first)
	br := h.browser()
	p := br.get("/")
	if !strings.Contains(p.URL, "/first-run") || p.Status != http.StatusForbidden {
		t.Fatalf("GET / on an empty store: %d at %s", p.Status, p.URL)
	}
	p = br.get("/first-run?token=one-time-token")
	p.mustContain(t, "Welcome to Rapport", "An empty org")
	p = br.post("/first-run", url.Values{"token": {"one-time-token"}, "kind": {"empty"}, "name": {"Acme"}, "username": {"not-an-email"}, "password": {"short"}})
	if p.Status != http.StatusBadRequest {
		t.Fatalf("bad first-run input: %d\n%s", p.Status, p.Body)
	}
	p = br.post("/first-run", url.Values{"token": {"wrong"}, "kind": {"empty"}, "name": {"Acme"}, "username": {"boss@acme.example"}, "password": {password}})
	if p.Status != http.StatusForbidden {
		t.Fatalf("first run with a wrong token: %d", p.Status)
	}
	p = br.post("/first-run", url.Values{"token": {"one-time-token"}, "kind": {"empty"}, "name": {"Acme"}, "first": {"Road"}, "last": {"Runner"}, "username": {"boss@acme.example"}, "password": {password}})
	p.mustContain(t, "Your org is ready")
	br.signIn("boss@acme.example", password)
	// Once an org exists the page is gone.
	if p = h.browser().get("/first-run?token=one-time-token"); !strings.Contains(p.URL, "/login") {
		t.Fatalf("first run after set-up ended at %s", p.URL)
	}
}

func TestHome(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		ctx := h.env.Ctx
		opts := record.WriteOptions{AllOrNone: true}
		acct, err := h.env.Records.Create(ctx, "Account", []map[string]any{{"Name": "Initech"}}, opts)
		if err != nil || acct[0].Err != nil {
			t.Fatalf("create account: %v %v", err, acct)
		}
		id := string(acct[0].ID)
		if _, err := h.env.Records.Create(ctx, "Opportunity", []map[string]any{{"Name": "Initech renewal", "AccountId": id, "StageName": "Prospecting", "CloseDate": "2030-01-31", "Amount": 1234.5}}, opts); err != nil {
			t.Fatal(err)
		}
		if _, err := h.env.Records.Create(ctx, "Opportunity", []map[string]any{{"Name": "Initech lost", "AccountId": id, "StageName": "Closed Lost", "CloseDate": "2020-01-31"}}, opts); err != nil {
			t.Fatal(err)
		}
		if _, err := h.env.Records.Create(ctx, "Task", []map[string]any{{"Subject": "Call Bill", "WhatId": id, "ActivityDate": "2030-01-02", "Status": "Not Started", "Priority": "High"}}, opts); err != nil {
			t.Fatal(err)
		}
		b := h.signIn()
		p := b.get("/home")
		p.mustContain(t, "Initech renewal", "$1,234.50", "Call Bill", `<a href="/r/`+id+`">Initech</a>`)
		if strings.Contains(p.Body, "Initech lost") {
			t.Error("the home page lists a closed opportunity as open")
		}
		// A record opened shows up under Recent records.
		b.get("/r/" + id)
		for i := 0; ; i++ {
			if strings.Contains(b.get("/home").Body, `<a href="/r/`+id+`">Initech</a> <span class="muted">Account</span>`) {
				break
			}
			if i == 50 {
				t.Fatal("the account opened is not among the recent records")
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/auth"
	"github.com/rapportcrm/rapport/demo"
	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/postgres/pgtest"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/search"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

const (
	// browserEnv makes a missing browser a failure rather than a skip; CI
	// sets it.
	browserEnv = "RAPPORT_TEST_BROWSER"
	// chromiumEnv names the Chromium binary, if not defaultChromium.
	chromiumEnv     = "RAPPORT_CHROMIUM"
	defaultChromium = "/usr/bin/chromium"
	// artifactsEnv names the directory screenshots go to, if not
	// screenshots/ next to the tests.
	artifactsEnv = "RAPPORT_ARTIFACTS"

	// password is every demo user's password.
	password = "Demo pass 2025!"
	// attendees keeps the demo org small: its story and some sales data.
	attendees = 50
	// testTimeout bounds each test's browser work.
	testTimeout = 30 * time.Second
)

// today is the day the demo data is built around.
var today = time.Date(2025, time.March, 12, 18, 0, 0, 0, time.UTC)

// A world is a running server, wired as cmd/rapport wires it, with a demo
// org loaded, and a headless Chromium to drive it. The tests of the
// package share one on SQLite (building it takes a few seconds); each test
// gets a browser context of its own, so cookies never leak between tests.
type world struct {
	db      *sqlstore.DB
	records *record.Service
	tenants *tenant.Service
	queries *query.Service
	srv     *httptest.Server
	demo    demo.Result
	logs    *syncBuffer

	browser context.Context
	cancel  []context.CancelFunc
}

var (
	shared     *world
	sharedErr  error
	sharedOnce sync.Once
	sharedDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.close()
	}
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// chromium returns the path of the browser, or fails or skips the test
// when there is none: a test run with RAPPORT_TEST_BROWSER set must run
// the browser tests.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv(chromiumEnv)
	if path == "" {
		path = defaultChromium
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv(browserEnv) != "" {
			t.Fatalf("%s is set but there is no Chromium at %s (%v): install it (apt-get install chromium) or set %s", browserEnv, path, err, chromiumEnv)
		}
		t.Skipf("browser tests did not run: no Chromium at %s (install it or set %s; set %s to make this a failure)", path, chromiumEnv, browserEnv)
	}
	return path
}

// sharedWorld returns the package's world on SQLite, building it on first
// use.
func sharedWorld(t *testing.T) *world {
	t.Helper()
	exe := chromium(t)
	sharedOnce.Do(func() {
		sharedDir, sharedErr = os.MkdirTemp("", "rapport-e2e-")
		if sharedErr != nil {
			return
		}
		b, err := sqlite.New(filepath.Join(sharedDir, "data"))
		if err != nil {
			sharedErr = err
			return
		}
		shared, sharedErr = newWorld(b, exe, filepath.Join(sharedDir, "chromium"))
	})
	if sharedErr != nil {
		t.Fatalf("build the test world: %v", sharedErr)
	}
	return shared
}

// postgresWorld returns a world of its own on PostgreSQL, or skips the
// test without RAPPORT_TEST_POSTGRES.
func postgresWorld(t *testing.T) *world {
	t.Helper()
	exe := chromium(t)
	b := postgres.New(pgtest.Database(t))
	w, err := newWorld(b, exe, t.TempDir())
	if err != nil {
		t.Fatalf("build the PostgreSQL test world: %v", err)
	}
	t.Cleanup(w.close)
	return w
}

type storeBackend interface {
	sqlstore.Backend
	query.Dialect
}

func newWorld(b storeBackend, exe, profile string) (w *world, err error) {
	ctx := context.Background()
	w = &world{logs: &syncBuffer{}}
	defer func() {
		if err != nil {
			w.close()
		}
	}()
	log := slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if w.db, err = sqlstore.Open(ctx, b, log); err != nil {
		return w, err
	}
	w.records = record.NewService(w.db, record.Options{Logger: log})
	w.tenants = tenant.NewService(w.db, w.records, nil, log)
	access := record.Access{S: w.records}
	w.queries = query.NewService(w.db, b, w.records, query.Config{Logger: log, Access: access})
	searches := search.NewService(w.db, w.queries, w.records, search.Config{Logger: log, Access: access})
	a := auth.New(w.db, w.records.IDs(), auth.Options{}, nil, log)

	start := time.Now()
	if w.demo, err = demo.Load(ctx, w.tenants, w.records, demo.Options{Attendees: attendees, Seed: 7, Today: today, Password: password}); err != nil {
		return w, fmt.Errorf("load the demo org: %w", err)
	}
	loaded := time.Since(start)

	w.srv = httptest.NewServer(server.NewServer(server.Deps{
		Logger: log, Records: w.records, Tenants: w.tenants, Auth: a, Query: w.queries, Search: searches,
	}))

	if err := os.MkdirAll(profile, 0o755); err != nil {
		return w, err
	}
	alloc, cancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	w.cancel = append(w.cancel, cancel)
	browser, cancel := chromedp.NewContext(alloc)
	w.cancel = append(w.cancel, cancel)
	// The first Do starts the browser; it must not have a deadline, which
	// would end the browser with it.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(browser) }()
	select {
	case err = <-started:
	case <-time.After(30 * time.Second):
		err = errors.New("timed out after 30s")
	}
	if err != nil {
		return w, fmt.Errorf("start %s: %w", exe, err)
	}
	w.browser = browser
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "e2e: demo org loaded in %v, browser up in %v\n", loaded.Round(time.Millisecond), (time.Since(start) - loaded).Round(time.Millisecond))
	}
	return w, nil
}

func (w *world) close() {
	for i := len(w.cancel) - 1; i >= 0; i-- {
		w.cancel[i]()
	}
	w.cancel = nil
	if w.srv != nil {
		w.srv.Close()
	}
	if w.db != nil {
		w.db.Close()
	}
}

// admin is a context with the demo org's administrator as principal, to
// read back what a test saved.
func (w *world) admin() context.Context {
	return rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: w.demo.Org.OrgID, UserID: w.demo.Org.UserID})
}

// query runs SOQL as the administrator.
func (w *world) query(t *testing.T, soql string) []*query.Record {
	t.Helper()
	res, err := w.queries.Run(w.admin(), soql, query.Options{})
	if err != nil {
		t.Fatalf("%s: %v", soql, err)
	}
	return res.Records
}

// one runs SOQL that must find exactly one record.
func (w *world) one(t *testing.T, soql string) *query.Record {
	t.Helper()
	recs := w.query(t, soql)
	if len(recs) != 1 {
		t.Fatalf("%s: %d records, want 1", soql, len(recs))
	}
	return recs[0]
}

// field reads a (possibly dotted) field of a query record.
func field(r *query.Record, path string) any {
	name, rest, dotted := strings.Cut(path, ".")
	for _, f := range r.Fields {
		if !strings.EqualFold(f.Name, name) {
			continue
		}
		if !dotted {
			return f.Value
		}
		if sub, ok := f.Value.(*query.Record); ok && sub != nil {
			return field(sub, rest)
		}
		return nil
	}
	return nil
}

// unique makes a name no other test or run uses.
func unique(prefix string) string {
	return fmt.Sprintf("%s %d", prefix, time.Now().UnixNano()%1e9)
}

// A tab is one test's browser: a tab in a browser context of its own, so
// with its own cookies. Its methods fail the test on error. On failure it
// saves a screenshot and the page's HTML, with the server's warnings and
// the page's console errors in the test log.
type tab struct {
	t     *testing.T
	w     *world
	ctx   context.Context // the test's deadline
	base  context.Context // the tab, without a deadline
	mu    sync.Mutex
	notes []string // console errors and exceptions of the page
}

// open opens a tab for t with a viewport of 1280x900.
func (w *world) open(t *testing.T) *tab {
	t.Helper()
	base, cancel := chromedp.NewContext(w.browser, chromedp.WithNewBrowserContext())
	// The first Do opens the tab; like the browser's, it must not have a
	// deadline.
	if err := chromedp.Do(base); err != nil {
		cancel()
		t.Fatalf("open a tab: %v", err)
	}
	console := chromedp.Console(base)
	ctx, cancelTest := context.WithTimeout(base, testTimeout)
	tb := &tab{t: t, w: w, ctx: ctx, base: base}
	logStart := w.logs.Len()
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || m.Source == "security" {
				tb.mu.Lock()
				tb.notes = append(tb.notes, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
				tb.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		if t.Failed() {
			tb.saveFailure()
			if logs := w.logs.From(logStart); logs != "" {
				t.Logf("server warnings and errors:\n%s", logs)
			}
		}
		tb.mu.Lock()
		notes := tb.notes
		tb.mu.Unlock()
		for _, n := range notes {
			// An exception or a blocked script or style in a page is a
			// bug of the page.
			if strings.Contains(n, "exception") || strings.Contains(n, "Content Security Policy") || strings.Contains(n, "Refused to") {
				t.Errorf("page console: %s", n)
			} else {
				t.Logf("page console: %s", n)
			}
		}
		cancelTest()
		cancel()
	})
	tb.do(chromedp.EmulateViewport(1280, 900))
	return tb
}

// do runs actions, failing the test on error.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("browser (at %s): %v", tb.location(), err)
	}
}

// location is the tab's URL, for messages.
func (tb *tab) location() string {
	ctx, cancel := context.WithTimeout(tb.base, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(loc, tb.w.srv.URL)
}

// run runs one action that returns a value, failing the test on error.
func run[T any](tb *tab, a chromedp.Action[T]) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, a)
	if err != nil {
		tb.t.Fatalf("browser (at %s): %v", tb.location(), err)
	}
	return v
}

// eval evaluates JavaScript in the page.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	return run(tb, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}

// goTo loads a path of the server and waits for the page's main element.
func (tb *tab) goTo(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.w.srv.URL+path), chromedp.WaitReady(chromedp.CSS("main#main")))
}

// path is the path and query of the page the tab shows.
func (tb *tab) path() string {
	tb.t.Helper()
	return strings.TrimPrefix(run(tb, chromedp.Location()), tb.w.srv.URL)
}

// waitPage waits until the body has the page-NAME class of page name.
func (tb *tab) waitPage(name string) {
	tb.t.Helper()
	tb.waitFor("body.page-" + name)
}

// waitFor waits until an element matching the CSS selector is visible.
func (tb *tab) waitFor(sel string) {
	tb.t.Helper()
	tb.do(chromedp.WaitVisible(chromedp.CSS(sel)))
}

// waitGone waits until no element matches the CSS selector.
func (tb *tab) waitGone(sel string) {
	tb.t.Helper()
	tb.do(chromedp.WaitNotPresent(chromedp.CSS(sel)))
}

// waitPath waits until the tab shows a page whose path and query
// satisfy ok, across navigations.
func (tb *tab) waitPath(what string, ok func(path string) bool) string {
	tb.t.Helper()
	for {
		loc, err := chromedp.Run(tb.ctx, chromedp.Location())
		if err == nil {
			if p := strings.TrimPrefix(loc, tb.w.srv.URL); ok(p) {
				return p
			}
		}
		select {
		case <-tb.ctx.Done():
			tb.t.Fatalf("waiting for %s: still at %s", what, tb.location())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// waitJS waits until a JavaScript expression is truthy.
func (tb *tab) waitJS(js string) {
	tb.t.Helper()
	run(tb, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(50*time.Millisecond)))
}

// markStale marks the element matching sel, so that waitFresh can wait
// for htmx to replace it.
func (tb *tab) markStale(sel string) {
	tb.t.Helper()
	if !eval[bool](tb, fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (e) e.dataset.e2eStale = "1"; return !!e; })()`, jsString(sel))) {
		tb.t.Fatalf("markStale: nothing matches %s at %s", sel, tb.location())
	}
}

// waitFresh waits until an element matching sel is there and is not the
// one markStale marked: a swap replaced it.
func (tb *tab) waitFresh(sel string) {
	tb.t.Helper()
	tb.waitJS(fmt.Sprintf(`(() => { const e = document.querySelector(%s); return !!e && !e.dataset.e2eStale; })()`, jsString(sel)))
}

// text is the visible text of the first element matching sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return run(tb, chromedp.Text(chromedp.CSS(sel)))
}

// value is the value of the first form control matching sel.
func (tb *tab) value(sel string) string {
	tb.t.Helper()
	return run(tb, chromedp.Value(chromedp.CSS(sel)))
}

// attr is an attribute of the first element matching sel; empty if it
// has none.
func (tb *tab) attr(sel, name string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(document.querySelector(%s) || {getAttribute: () => ""}).getAttribute(%s) || ""`, jsString(sel), jsString(name)))
}

// cellText is the text of the first element matching sel without its
// buttons (a list cell's pencil).
func (tb *tab) cellText(sel string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) return "(missing)";
		const c = e.cloneNode(true);
		c.querySelectorAll("button").forEach(b => b.remove());
		return c.textContent.trim();
	})()`, jsString(sel)))
}

// count is how many elements match sel.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	return eval[int](tb, fmt.Sprintf("document.querySelectorAll(%s).length", jsString(sel)))
}

// has says whether some element matches sel.
func (tb *tab) has(sel string) bool {
	tb.t.Helper()
	return tb.count(sel) > 0
}

// click clicks the first visible element matching sel.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// typeInto replaces the value of a text control with text, typing it.
func (tb *tab) typeInto(sel, text string) {
	tb.t.Helper()
	tb.waitFor(sel)
	tb.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (e.value !== "") { e.value = ""; e.dispatchEvent(new Event("input", {bubbles: true})); }
	})()`, jsString(sel))))
	if text != "" {
		tb.do(chromedp.SendKeys(chromedp.CSS(sel), text))
	}
}

// sendKeys types text into the element matching sel; a newline in a
// textarea is a new line.
func sendKeys(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.CSS(sel), text)
}

// keys are the keys press knows: their key, code and key code.
var keys = map[string]struct {
	code string
	vk   int64
}{
	"Enter": {"Enter", 13}, "Escape": {"Escape", 27}, "Tab": {"Tab", 9},
	"ArrowDown": {"ArrowDown", 40}, "ArrowUp": {"ArrowUp", 38},
}

// press focuses the element matching sel and presses a key (Enter,
// ArrowDown, …) as a keyboard does: keydown, then keyup. Unlike SendKeys,
// it sends no separate character event, which would submit a form even
// when the page cancelled the keydown, as no real keyboard does.
func (tb *tab) press(sel, key string) {
	tb.t.Helper()
	k, ok := keys[key]
	if !ok {
		tb.t.Fatalf("press: unknown key %q", key)
	}
	tb.do(chromedp.Focus(chromedp.CSS(sel)), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
				Type: typ, Key: key, Code: k.code, WindowsVirtualKeyCode: k.vk, NativeVirtualKeyCode: k.vk,
			}); err != nil {
				return err
			}
		}
		return nil
	}))
}

// selectOption chooses the option with value in a <select>, as a user's
// choice does: it fires input and change.
func (tb *tab) selectOption(sel, value string) {
	tb.t.Helper()
	ok := eval[bool](tb, fmt.Sprintf(`(() => {
		const s = document.querySelector(%s);
		if (!s || ![...s.options].some(o => o.value === %s)) return false;
		s.value = %s;
		s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`, jsString(sel), jsString(value), jsString(value)))
	if !ok {
		tb.t.Fatalf("no <select> %s with an option %q at %s", sel, value, tb.location())
	}
}

// bodyText is the page's visible text.
func (tb *tab) bodyText() string {
	tb.t.Helper()
	return eval[string](tb, "document.body.innerText")
}

// mustSee fails unless the page's visible text has every string.
func (tb *tab) mustSee(want ...string) {
	tb.t.Helper()
	body := tb.bodyText()
	for _, w := range want {
		if !strings.Contains(body, w) {
			tb.t.Fatalf("the page at %s does not show %q; it shows:\n%s", tb.location(), w, clip(body, 3000))
		}
	}
}

// mustNotSee fails if the page's visible text has any of the strings.
func (tb *tab) mustNotSee(unwanted ...string) {
	tb.t.Helper()
	body := tb.bodyText()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			tb.t.Fatalf("the page at %s shows %q:\n%s", tb.location(), u, clip(body, 3000))
		}
	}
}

// signIn signs in through the login form and waits for the home page.
func (tb *tab) signIn(username, pw string) {
	tb.t.Helper()
	tb.goTo("/login")
	tb.typeInto("#username", username)
	tb.typeInto("#password", pw)
	tb.click(`form[action="/login"] button[type=submit]`)
	tb.waitPage("home")
}

// signInAdmin signs in as the demo org's administrator.
func (tb *tab) signInAdmin() { tb.t.Helper(); tb.signIn(tb.w.demo.Username, password) }

// csrf is the page's CSRF token, as htmx sends it.
func (tb *tab) csrf() string {
	tb.t.Helper()
	return eval[string](tb, `JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""`)
}

// fetchResult is what post returns of a fetch() made by the page.
type fetchResult struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// post submits a form from the page's JavaScript, with the page's
// cookies and CSRF token, as a script of the page could.
func (tb *tab) post(path string, form map[string]string, htmx bool) fetchResult {
	tb.t.Helper()
	var pairs []string
	for k, v := range form {
		pairs = append(pairs, fmt.Sprintf("[%s, %s]", jsString(k), jsString(v)))
	}
	hx := ""
	if htmx {
		hx = `"HX-Request": "true",`
	}
	js := fmt.Sprintf(`(async () => {
		const token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
		const body = new URLSearchParams([%s]);
		body.set("_csrf", token);
		const res = await fetch(%s, {method: "POST", headers: {%s "X-CSRF-Token": token}, body, redirect: "manual"});
		return {status: res.status, body: await res.text()};
	})()`, strings.Join(pairs, ", "), jsString(path), hx)
	return eval[fetchResult](tb, js)
}

// box is the center of an element in the viewport.
type box struct{ X, Y, W, H float64 }

// center scrolls the first element matching sel into view and returns its
// box.
func (tb *tab) center(sel string) box {
	tb.t.Helper()
	return eval[box](tb, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) return {X: -1, Y: -1, W: 0, H: 0};
		e.scrollIntoView({block: "center", inline: "center"});
		const r = e.getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2, W: r.width, H: r.height};
	})()`, jsString(sel)))
}

// drag drags the element matching from onto the element matching to with
// the mouse, in small steps as a hand would: pages that drag with mouse
// events (SortableJS in fallback mode) see a real drag.
func (tb *tab) drag(from, to string) {
	tb.t.Helper()
	a := tb.center(from)
	if a.W == 0 {
		tb.t.Fatalf("drag: nothing matches %s at %s", from, tb.location())
	}
	// Drop at the target's center line, at the height the drag started
	// if the target spans it, else as near as it can in the viewport.
	b := eval[box](tb, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		if (!e) return {X: -1, Y: -1, W: 0, H: 0};
		const r = e.getBoundingClientRect();
		const top = Math.max(r.top + 10, 10), bottom = Math.min(r.bottom - 10, innerHeight - 10);
		return {X: r.left + r.width / 2, Y: Math.min(Math.max(%f, top), bottom), W: r.width, H: r.height};
	})()`, jsString(to), a.Y))
	if b.W == 0 {
		tb.t.Fatalf("drag: nothing matches %s at %s", to, tb.location())
	}
	if b.X < 0 || b.Y < 0 || b.X > 1280 || b.Y > 900 {
		tb.t.Fatalf("drag: %s is outside the viewport at (%.0f, %.0f)", to, b.X, b.Y)
	}
	left := chromedp.ButtonType(input.MouseButtonLeft)
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.MouseEvent(chromedp.MouseMoved, a.X, a.Y),
		chromedp.MouseEvent(chromedp.MousePressed, a.X, a.Y, left, chromedp.ClickCount(1)),
		chromedp.Sleep(50 * time.Millisecond),
	}
	const n = 12
	for i := 1; i <= n; i++ {
		f := float64(i) / n
		x, y := a.X+(b.X-a.X)*f, a.Y+(b.Y-a.Y)*f
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, math.Round(x), math.Round(y), left, buttons(1)), chromedp.Sleep(25*time.Millisecond))
	}
	steps = append(steps,
		chromedp.MouseEvent(chromedp.MouseMoved, b.X, b.Y+2, left, buttons(1)),
		chromedp.Sleep(100*time.Millisecond),
		chromedp.MouseEvent(chromedp.MouseReleased, b.X, b.Y+2, left, chromedp.ClickCount(1)),
	)
	tb.do(steps...)
}

// buttons sets the pressed buttons of a mouse event (1 is the left one).
func buttons(n int64) chromedp.MouseOption {
	return func(p *input.DispatchMouseEventParams) { p.Buttons = n }
}

// viewport resizes the tab's viewport, as a phone or a desktop would have
// it.
func (tb *tab) viewport(width, height int64, mobile bool) {
	tb.t.Helper()
	if mobile {
		tb.do(chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
		return
	}
	tb.do(chromedp.EmulateViewport(width, height))
}

// noHorizontalOverflow fails if the page is wider than the viewport, so
// that it scrolls sideways. It names the elements that stick out: those
// not inside a box that scrolls or clips, and absolutely positioned ones,
// which can escape such a box.
func (tb *tab) noHorizontalOverflow() {
	tb.t.Helper()
	type overflow struct {
		Scroll, Inner int
		Culprits      []string
	}
	o := eval[overflow](tb, `(() => {
		const inner = window.innerWidth;
		const out = [];
		for (const e of document.body.querySelectorAll("*")) {
			const r = e.getBoundingClientRect();
			if (r.right <= inner + 1 || r.width === 0) continue;
			const pos = getComputedStyle(e).position;
			let clipped = false;
			if (pos !== "absolute" && pos !== "fixed") {
				for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
					const ox = getComputedStyle(p).overflowX;
					if (ox === "auto" || ox === "scroll" || ox === "hidden" || ox === "clip") { clipped = true; break; }
				}
			}
			if (clipped) continue;
			const cls = typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : "";
			out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + cls + " (" + pos + ", right " + Math.round(r.right) + ")");
		}
		return {Scroll: Math.max(document.body.scrollWidth, document.documentElement.scrollWidth), Inner: inner, Culprits: out.slice(0, 6)};
	})()`)
	if o.Scroll > o.Inner {
		tb.t.Errorf("%s: the page is %dpx wide in a %dpx viewport; sticking out: %q", tb.location(), o.Scroll, o.Inner, o.Culprits)
	}
}

// shot saves a full-page PNG of the tab as name.png in the artifacts
// directory.
func (tb *tab) shot(name string) {
	tb.t.Helper()
	tb.save(name, run(tb, chromedp.FullScreenshot(100)))
}

// screenShot saves a PNG of what the viewport shows, as a phone's screen
// does, as name.png.
func (tb *tab) screenShot(name string) {
	tb.t.Helper()
	tb.save(name, run(tb, chromedp.CaptureScreenshot()))
}

func (tb *tab) save(name string, buf []byte) {
	tb.t.Helper()
	path := filepath.Join(artifacts(tb.t), name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// saveFailure saves what the tab shows, as a screenshot and HTML named
// after the test, and says where in the log.
func (tb *tab) saveFailure() {
	ctx, cancel := context.WithTimeout(tb.base, 10*time.Second)
	defer cancel()
	name := "FAIL-" + regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(tb.t.Name(), "_")
	dir := artifacts(tb.t)
	var saved []string
	if buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		if os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644) == nil {
			saved = append(saved, name+".png")
		}
	} else {
		tb.t.Logf("no failure screenshot: %v", err)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		if os.WriteFile(filepath.Join(dir, name+".html"), []byte(html), 0o644) == nil {
			saved = append(saved, name+".html")
		}
	}
	if len(saved) > 0 {
		tb.t.Logf("the page at %s is saved in %s as %s", tb.location(), dir, strings.Join(saved, " and "))
	}
}

// artifacts is the directory screenshots go to: $RAPPORT_ARTIFACTS, or
// screenshots/ here.
func artifacts(t *testing.T) string {
	dir := os.Getenv(artifactsEnv)
	if dir == "" {
		dir = "screenshots"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts directory: %v", err)
	}
	return dir
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// syncBuffer is the server's log, shared by the tests of a world.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

// From is what was written since the buffer had n bytes.
func (b *syncBuffer) From(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return clip(string(b.buf.Bytes()[n:]), 8000)
}

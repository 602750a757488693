package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/tenant"
)

// companyFields are the Organization fields Company Settings edits, but
// the fiscal year, which has a select of its own.
var companyFields = []string{"Name", "Phone", "Street", "City", "State", "PostalCode", "Country",
	"DefaultLocaleSidKey", "TimeZoneSidKey", "DefaultCurrencyIsoCode"}

type companyData struct {
	Cells  []cell
	Months []setupOption
	Error  string
}

func (a *App) companyPage(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := setupSys(r.Context(), s)
	orgs, err := a.records.Get(ctx, "Organization", []string{string(s.Principal.OrgID)}, append(companyFields, "FiscalYearStartMonth"), false)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	if len(orgs) != 1 || orgs[0] == nil {
		a.renderError(w, r, s, http.StatusNotFound, "This org has no Organization record.")
		return
	}
	month, _ := number(orgs[0].Values["FiscalYearStartMonth"])
	a.renderCompany(w, r, s, http.StatusOK, orgs[0].Values, int(month), nil, "")
}

func (a *App) renderCompany(w http.ResponseWriter, r *http.Request, s *session, status int, vals map[string]any, month int, errs map[string]string, msg string) {
	sch, err := a.setupSchema(r.Context(), s)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	d := companyData{Cells: setupCells(s, sch.Object("Organization"), companyFields, vals, errs), Error: msg}
	if e := errs["FiscalYearStartMonth"]; e != "" && d.Error == "" {
		d.Error = e
	}
	for m := time.January; m <= time.December; m++ {
		d.Months = append(d.Months, setupOption{Value: strconv.Itoa(int(m)), Label: m.String(), Selected: int(m) == month})
	}
	a.setupPage(w, r, s, status, "setup_company", "Company Settings", "/setup/company", d)
}

// companySave writes the Organization record as the system: its fiscal
// year start is read-only to every user, and Setup has already let the
// administrator in.
func (a *App) companySave(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := setupSys(r.Context(), s)
	sch, err := a.setupSchema(ctx, s)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	obj := sch.Object("Organization")
	var fields = obj.LiveFields()[:0:0]
	for _, n := range companyFields {
		if f := obj.Field(n); f != nil {
			fields = append(fields, f)
		}
	}
	r.ParseForm()
	vals, errs := formValues(r.PostForm, fields, s.User.Location)
	month, err := strconv.Atoi(r.PostFormValue("FiscalYearStartMonth"))
	if err != nil || month < 1 || month > 12 {
		errs["FiscalYearStartMonth"] = "Choose the month the fiscal year starts in."
	}
	if len(errs) > 0 {
		a.renderCompany(w, r, s, http.StatusUnprocessableEntity, vals, month, errs, "")
		return
	}
	rec := map[string]any{"Id": string(s.Principal.OrgID), "FiscalYearStartMonth": month}
	for k, v := range vals {
		rec[k] = v
	}
	if lang, ok := vals["DefaultLocaleSidKey"].(string); ok && lang != "" {
		// The org's language follows its locale, as at creation.
		if l := strings.SplitN(lang, "_", 2)[0]; l == "en" {
			rec["LanguageLocaleKey"] = "en_US"
		} else if obj.Field("LanguageLocaleKey") != nil {
			rec["LanguageLocaleKey"] = l
		}
	}
	rs, err := a.records.Update(ctx, "Organization", []map[string]any{rec}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		errs, msg := fieldErrors(err)
		a.renderCompany(w, r, s, http.StatusUnprocessableEntity, vals, month, errs, msg)
		return
	}
	a.forgetUser(s)
	setupDone(w, r, "/setup/company", "Company settings saved.")
}

// binRow is one record in the recycle bin.
type binRow struct {
	ID        rapport.ID
	Name      string
	Object    string
	DeletedBy string
	DeletedAt time.Time
}

type binData struct {
	Rows  []binRow
	Total int
	Next  int // offset of the next page; 0 for none
	Prev  int // offset of the previous page; -1 for none
}

const binPageSize = 100

// binPage lists the recycle bin, newest first.
func (a *App) binPage(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	entries, err := a.records.RecycleBin(ctx)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	sch, err := a.setupSchema(ctx, s)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	off = max(0, min(off, len(entries)))
	d := binData{Total: len(entries), Prev: -1}
	page := entries[off:min(off+binPageSize, len(entries))]
	if off+binPageSize < len(entries) {
		d.Next = off + binPageSize
	}
	if off > 0 {
		d.Prev = max(0, off-binPageSize)
	}
	users := map[rapport.ID]string{}
	var ids []string
	for _, e := range page {
		if e.DeletedBy != "" {
			if _, ok := users[e.DeletedBy]; !ok {
				users[e.DeletedBy] = string(e.DeletedBy)
				ids = append(ids, string(e.DeletedBy))
			}
		}
	}
	if len(ids) > 0 {
		if us, err := a.records.Get(setupSys(ctx, s), "User", ids, []string{"Name"}, false); err == nil {
			for _, u := range us {
				if u != nil {
					users[u.ID], _ = u.Values["Name"].(string)
				}
			}
		}
	}
	for _, e := range page {
		row := binRow{ID: e.ID, Name: e.Name, Object: e.Object, DeletedBy: users[e.DeletedBy], DeletedAt: e.DeletedAt}
		if o := sch.ByPrefix(e.Object); o != nil {
			row.Object = o.Label
		}
		if row.Name == "" {
			row.Name = string(e.ID)
		}
		d.Rows = append(d.Rows, row)
	}
	a.setupPage(w, r, s, http.StatusOK, "setup_bin", "Recycle Bin", "/setup/recycle-bin", d)
}

// binAction restores or permanently deletes the chosen records.
func (a *App) binAction(w http.ResponseWriter, r *http.Request, s *session) {
	r.ParseForm()
	ids := r.PostForm["id"]
	if len(ids) == 0 {
		setupDone(w, r, "/setup/recycle-bin", "Choose the records first.")
		return
	}
	if len(ids) > record.MaxBatch {
		ids = ids[:record.MaxBatch]
	}
	var rs []record.Result
	var err error
	verb := ""
	switch r.PostFormValue("action") {
	case "restore":
		rs, err = a.records.Undelete(r.Context(), ids, record.WriteOptions{})
		verb = "restored"
	case "purge":
		rs, err = a.records.HardDelete(r.Context(), ids, record.WriteOptions{})
		verb = "permanently deleted"
	default:
		a.renderError(w, r, s, http.StatusBadRequest, "Choose to restore or to delete permanently.")
		return
	}
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	ok, failed := 0, ""
	for _, res := range rs {
		if res.Err == nil {
			ok++
		} else if failed == "" {
			failed = message(res.Err)
		}
	}
	msg := strconv.Itoa(ok) + " record" + map[bool]string{true: "", false: "s"}[ok == 1] + " " + verb + "."
	if failed != "" {
		msg += " " + strconv.Itoa(len(rs)-ok) + " failed: " + failed
	}
	setupDone(w, r, "/setup/recycle-bin", msg)
}

// auditRow is one entry of the setup audit trail.
type auditRow struct {
	At      time.Time
	User    string
	Section string
	Action  string
	Display string
}

type auditData struct {
	Rows  []auditRow
	Next  string // cursor of the next page
	First bool
}

const auditPageSize = 50

// auditPage shows the setup audit trail, newest first, a page at a time:
// each page starts after the last entry of the one before (no OFFSET).
func (a *App) auditPage(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	where := ""
	before := r.URL.Query().Get("before")
	if at, id, ok := strings.Cut(before, "_"); ok {
		t, err := time.Parse(time.RFC3339Nano, at)
		if _, ierr := rapport.ParseID(id); err != nil || ierr != nil {
			a.renderError(w, r, s, http.StatusBadRequest, "That page of the audit trail is not valid.")
			return
		}
		lit := t.UTC().Format("2006-01-02T15:04:05.000Z")
		where = " WHERE CreatedDate < " + lit + " OR (CreatedDate = " + lit + " AND Id < " + soqlString(id) + ")"
	}
	res, err := a.query.Run(ctx, "SELECT Id, CreatedDate, CreatedBy.Name, Section, Action, Display FROM SetupAuditTrail"+where+
		" ORDER BY CreatedDate DESC, Id DESC LIMIT "+itoa(auditPageSize+1), query.Options{BatchSize: query.MinBatchSize})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	d := auditData{First: before == ""}
	for i, rec := range res.Records {
		if i == auditPageSize {
			last := res.Records[i-1]
			d.Next = setupTime(last, "CreatedDate").UTC().Format(time.RFC3339Nano) + "_" + string(last.ID)
			break
		}
		d.Rows = append(d.Rows, auditRow{At: setupTime(rec, "CreatedDate"), User: setupStr(rec, "CreatedBy.Name"),
			Section: setupStr(rec, "Section"), Action: setupStr(rec, "Action"), Display: setupStr(rec, "Display")})
	}
	a.setupPage(w, r, s, http.StatusOK, "setup_audit", "Setup Audit Trail", "/setup/audit-trail", d)
}

const loginHistorySize = 500

type loginsData struct {
	Rows  []tenant.LoginAttempt
	Limit int
}

// loginsPage shows the org's latest login attempts, newest first.
func (a *App) loginsPage(w http.ResponseWriter, r *http.Request, s *session) {
	hist, err := a.auth.History(r.Context(), s.Principal.OrgID, loginHistorySize)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	a.setupPage(w, r, s, http.StatusOK, "setup_logins", "Login History", "/setup/login-history", loginsData{Rows: hist, Limit: loginHistorySize})
}

type appsData struct {
	Apps  []tenant.ConnectedApp
	Name  string
	Error string
	// New holds the credentials of the app just created, shown once.
	New *tenant.AppCredentials
}

func (a *App) appsPage(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderApps(w, r, s, http.StatusOK, appsData{})
}

func (a *App) renderApps(w http.ResponseWriter, r *http.Request, s *session, status int, d appsData) {
	apps, err := a.tenants.ConnectedApps(r.Context(), s.Principal.OrgID)
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	sort.SliceStable(apps, func(i, j int) bool { return apps[i].CreatedAt.After(apps[j].CreatedAt) })
	d.Apps = apps
	a.setupPage(w, r, s, status, "setup_apps", "Connected Apps", "/setup/connected-apps", d)
}

// appCreate registers a connected app and shows its secret once.
func (a *App) appCreate(w http.ResponseWriter, r *http.Request, s *session) {
	name := strings.TrimSpace(r.PostFormValue("Name"))
	creds, err := a.tenants.CreateConnectedApp(r.Context(), s.Principal.OrgID, name)
	if err != nil {
		if rapport.ErrorCode(err) == rapport.InvalidArgument {
			a.renderApps(w, r, s, http.StatusUnprocessableEntity, appsData{Name: name, Error: message(err)})
			return
		}
		a.failed(w, r, s, err)
		return
	}
	a.log.InfoContext(r.Context(), "connected app created", "org_id", s.Principal.OrgID, "user_id", s.Principal.UserID)
	a.renderApps(w, r, s, http.StatusCreated, appsData{New: &creds, Name: name})
}

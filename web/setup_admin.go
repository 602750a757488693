package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
)

// setupAdminRoutes adds users, profiles, permission sets, roles, sharing
// settings, connected apps, company settings, the recycle bin, the setup
// audit trail and login history.
//
// Security records (users, roles, profiles, permission sets and their
// grants) are written as the signed-in administrator, so that the record
// service checks Manage Users and writes the setup audit trail; the
// Organization record, whose fiscal year is read-only to users, is written
// as the system once Setup has let the administrator in.
func (a *App) setupAdminRoutes(admin func(pattern string, h handlerFunc)) {
	admin("GET /setup/users", a.usersList)
	admin("GET /setup/users/new", a.userNew)
	admin("POST /setup/users", a.userCreate)
	admin("GET /setup/users/{id}", a.userPage)
	admin("POST /setup/users/{id}", a.userSave)
	admin("POST /setup/users/{id}/password", a.userPassword)
	admin("POST /setup/users/{id}/unlock", a.userUnlock)

	admin("GET /setup/profiles", a.profilesList)
	admin("POST /setup/profiles", a.profileClone)
	admin("GET /setup/profiles/{id}", a.profilePage)
	admin("POST /setup/profiles/{id}", a.profileSave)
	admin("GET /setup/profiles/{id}/fields/{object}", a.profileFields)
	admin("POST /setup/profiles/{id}/fields/{object}", a.profileFieldsSave)

	admin("GET /setup/permission-sets", a.permSetsList)
	admin("POST /setup/permission-sets", a.permSetCreate)
	admin("GET /setup/permission-sets/{id}", a.permSetPage)
	admin("POST /setup/permission-sets/{id}", a.permSetSave)
	admin("GET /setup/permission-sets/{id}/fields/{object}", a.permSetFields)
	admin("POST /setup/permission-sets/{id}/fields/{object}", a.permSetFieldsSave)
	admin("GET /setup/permission-sets/{id}/assignments", a.assignmentsPage)
	admin("POST /setup/permission-sets/{id}/assignments", a.assignmentAdd)
	admin("POST /setup/permission-sets/{id}/assignments/{aid}/delete", a.assignmentRemove)

	admin("GET /setup/roles", a.rolesPage)
	admin("POST /setup/roles", a.roleCreate)
	admin("GET /setup/roles/{id}", a.rolePage)
	admin("POST /setup/roles/{id}", a.roleRename)
	admin("POST /setup/roles/{id}/delete", a.roleDelete)

	admin("GET /setup/groups", a.groupsPage)
	admin("POST /setup/groups", a.groupCreate)
	admin("GET /setup/groups/{id}", a.groupPage)
	admin("POST /setup/groups/{id}", a.groupSave)
	admin("POST /setup/groups/{id}/members", a.groupMemberAdd)
	admin("POST /setup/groups/{id}/members/{mid}/delete", a.groupMemberRemove)
	admin("POST /setup/groups/{id}/delete", a.groupDelete)

	admin("GET /setup/sharing", a.sharingPage)
	admin("POST /setup/sharing/defaults", a.sharingDefaults)
	admin("GET /setup/sharing/{object}", a.sharingRulesPage)
	admin("POST /setup/sharing/{object}/rules", a.sharingRuleAdd)
	admin("POST /setup/sharing/{object}/rules/{name}/delete", a.sharingRuleDelete)

	admin("GET /setup/connected-apps", a.appsPage)
	admin("POST /setup/connected-apps", a.appCreate)

	admin("GET /setup/company", a.companyPage)
	admin("POST /setup/company", a.companySave)

	admin("GET /setup/recycle-bin", a.binPage)
	admin("POST /setup/recycle-bin", a.binAction)

	admin("GET /setup/audit-trail", a.auditPage)
	admin("GET /setup/login-history", a.loginsPage)
}

// A setupOption is one choice of a select.
type setupOption struct {
	Value, Label string
	Selected     bool
}

// setupDone sends the browser on to target with a one-line message.
func setupDone(w http.ResponseWriter, r *http.Request, target, flash string) {
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	http.Redirect(w, r, target+sep+"flash="+url.QueryEscape(flash), http.StatusSeeOther)
}

// setupEach runs "SELECT … FROM X" with the condition where (may be empty) and
// calls fn with every record, paging by Id so that no page is deep.
func (a *App) setupEach(ctx context.Context, selectFrom, where string, fn func(rec *query.Record) error) error {
	const page = 2000
	last := ""
	for {
		var conds []string
		if where != "" {
			conds = append(conds, "("+where+")")
		}
		if last != "" {
			conds = append(conds, "Id > "+soqlString(last))
		}
		q := selectFrom
		if len(conds) > 0 {
			q += " WHERE " + strings.Join(conds, " AND ")
		}
		q += " ORDER BY Id LIMIT " + itoa(page)
		res, err := a.query.Run(ctx, q, query.Options{BatchSize: page})
		if err != nil {
			return err
		}
		for _, rec := range res.Records {
			if err := fn(rec); err != nil {
				return err
			}
			last = string(rec.ID)
		}
		if len(res.Records) < page {
			return nil
		}
	}
}

// setupStr reads a field (or a dotted path) of a query record as text.
func setupStr(rec *query.Record, path string) string {
	v, ok := pathValue(rec, path)
	if !ok || v == nil {
		return ""
	}
	return displayString(v)
}

// setupBool reads a checkbox of a query record.
func setupBool(rec *query.Record, name string) bool {
	v, _ := rec.Get(name)
	b, _ := v.(bool)
	return b
}

// setupTime reads a date-time of a query record.
func setupTime(rec *query.Record, name string) time.Time {
	v, _ := rec.Get(name)
	t, _ := asTime(v)
	return t
}

// setupErr is the error of a write: the call's, or its first record's.
func setupErr(rs []record.Result, err error) error {
	if err != nil {
		return err
	}
	for _, r := range rs {
		if r.Err != nil {
			return r.Err
		}
	}
	return nil
}

// setupID reads a record ID from the URL path.
// setupTarget reads the ID of the record a Setup page is about from the
// path, or answers a readable 404 naming what was not found.
func (a *App) setupTarget(w http.ResponseWriter, r *http.Request, s *session, name, what string) (rapport.ID, bool) {
	id, ok := setupID(r, name)
	if !ok {
		a.renderError(w, r, s, http.StatusNotFound, "That "+what+" was not found.")
	}
	return id, ok
}

func setupID(r *http.Request, name string) (rapport.ID, bool) {
	id, err := rapport.ParseID(r.PathValue(name))
	return id, err == nil
}

// setupSys is ctx acting as the system on behalf of the signed-in user.
func setupSys(ctx context.Context, s *session) context.Context {
	return rapport.WithPrincipal(ctx, rapport.Principal{OrgID: s.Principal.OrgID, UserID: s.Principal.UserID, System: true})
}

// setupSchema is the org's metadata.
func (a *App) setupSchema(ctx context.Context, s *session) (*metadata.Schema, error) {
	return a.records.Schema(ctx, s.Principal.OrgID)
}

// setupCells are the inputs of fields of obj with their values and errors.
func setupCells(s *session, obj *metadata.Object, names []string, vals map[string]any, errs map[string]string) []cell {
	var out []cell
	for _, n := range names {
		f := obj.Field(n)
		if f == nil {
			continue
		}
		c := newCell(s, f, vals[f.Name], "")
		c.Error = errs[f.Name]
		out = append(out, c)
	}
	return out
}

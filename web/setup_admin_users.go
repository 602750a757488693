package web

import (
	"context"
	"crypto/rand"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/tenant"
)

// userRow is one user in the list.
type userRow struct {
	ID        rapport.ID
	Name      string
	Username  string
	Email     string
	Profile   string
	Role      string
	Active    bool
	LastLogin time.Time
}

type usersData struct {
	Users []userRow
}

// usersList lists the org's users with their last successful login.
func (a *App) usersList(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	var d usersData
	err := a.setupEach(ctx, "SELECT Id, Name, Username, Email, Profile.Name, UserRole.Name, IsActive FROM User", "", func(rec *query.Record) error {
		d.Users = append(d.Users, userRow{ID: rec.ID, Name: setupStr(rec, "Name"), Username: setupStr(rec, "Username"), Email: setupStr(rec, "Email"),
			Profile: setupStr(rec, "Profile.Name"), Role: setupStr(rec, "UserRole.Name"), Active: setupBool(rec, "IsActive")})
		return nil
	})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	last := a.lastLogins(ctx, s)
	for i := range d.Users {
		d.Users[i].LastLogin = last[d.Users[i].ID]
	}
	sort.SliceStable(d.Users, func(i, j int) bool { return strings.ToLower(d.Users[i].Name) < strings.ToLower(d.Users[j].Name) })
	a.setupPage(w, r, s, http.StatusOK, "setup_users", "Users", "/setup/users", d)
}

// lastLogins maps users to their last successful login, from the recent
// login history.
func (a *App) lastLogins(ctx context.Context, s *session) map[rapport.ID]time.Time {
	out := map[rapport.ID]time.Time{}
	hist, err := a.auth.History(ctx, s.Principal.OrgID, 2000)
	if err != nil {
		a.log.WarnContext(ctx, "read login history", "error", err)
		return out
	}
	for _, h := range hist {
		if h.Outcome == tenant.LoginSuccess && h.At.After(out[h.UserID]) {
			out[h.UserID] = h.At
		}
	}
	return out
}

// userForm is the new and edit user forms.
type userForm struct {
	ID        rapport.ID
	New       bool
	FirstName string
	LastName  string
	Email     string
	Username  string
	Profile   string // new: name; edit: ID
	Role      rapport.ID
	TimeZone  string
	Active    bool
	Self      bool // the signed-in user: cannot deactivate themselves
	Profiles  []setupOption
	Roles     []setupOption
	TimeZones []setupOption
	Errors    map[string]string
	Error     string
	// Shown on the edit page.
	LockedUntil time.Time
	LastLogin   time.Time
	// Password is a generated password, shown once after creation.
	Password string
}

// options fills the form's choices, marking the current ones.
func (a *App) userOptions(ctx context.Context, s *session, f *userForm) error {
	f.Profiles, f.Roles, f.TimeZones = nil, []setupOption{{Value: "", Label: "No role"}}, nil
	err := a.setupEach(ctx, "SELECT Id, Name FROM Profile", "", func(rec *query.Record) error {
		name := setupStr(rec, "Name")
		value := name
		if !f.New {
			value = string(rec.ID)
		}
		f.Profiles = append(f.Profiles, setupOption{Value: value, Label: name, Selected: strings.EqualFold(value, f.Profile)})
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(f.Profiles, func(i, j int) bool { return f.Profiles[i].Label < f.Profiles[j].Label })
	roles, err := a.roleTree(ctx)
	if err != nil {
		return err
	}
	for _, rl := range roles {
		f.Roles = append(f.Roles, setupOption{Value: string(rl.ID), Label: strings.Repeat("— ", rl.Depth) + rl.Name, Selected: rl.ID == f.Role})
	}
	sch, err := a.setupSchema(ctx, s)
	if err != nil {
		return err
	}
	if tz := sch.Object("User").Field("TimeZoneSidKey"); tz != nil && tz.Picklist != nil {
		for _, pv := range tz.Picklist.Values {
			if !pv.Inactive {
				f.TimeZones = append(f.TimeZones, setupOption{Value: pv.Value, Label: labelOf(pv), Selected: pv.Value == f.TimeZone})
			}
		}
	}
	return nil
}

func (a *App) userNew(w http.ResponseWriter, r *http.Request, s *session) {
	f := &userForm{New: true, Profile: "Standard User", Active: true}
	if orgs, err := a.records.Get(setupSys(r.Context(), s), "Organization", []string{string(s.Principal.OrgID)}, []string{"TimeZoneSidKey"}, false); err == nil && len(orgs) == 1 && orgs[0] != nil {
		f.TimeZone, _ = orgs[0].Values["TimeZoneSidKey"].(string)
	}
	a.userFormPage(w, r, s, http.StatusOK, f)
}

func (a *App) userFormPage(w http.ResponseWriter, r *http.Request, s *session, status int, f *userForm) {
	if err := a.userOptions(r.Context(), s, f); err != nil {
		a.failed(w, r, s, err)
		return
	}
	title := "New user"
	if !f.New {
		title = strings.TrimSpace(f.FirstName + " " + f.LastName)
	}
	a.setupPage(w, r, s, status, "setup_users_form", title, "/setup/users", f)
}

// generatePassword makes a password that meets the policy: twelve
// letters and digits, at least one of each.
func generatePassword() string {
	const letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "23456789"
	b := make([]byte, 12)
	rand.Read(b)
	out := make([]byte, len(b))
	for i, x := range b {
		set := letters + digits
		switch i {
		case 0:
			set = letters
		case len(b) - 1:
			set = digits
		}
		out[i] = set[int(x)%len(set)]
	}
	return string(out)
}

func (a *App) userCreate(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	f := &userForm{New: true, Active: true,
		FirstName: strings.TrimSpace(r.PostFormValue("FirstName")), LastName: strings.TrimSpace(r.PostFormValue("LastName")),
		Email: strings.TrimSpace(r.PostFormValue("Email")), Username: strings.TrimSpace(r.PostFormValue("Username")),
		Profile: r.PostFormValue("Profile"), Role: rapport.ID(r.PostFormValue("UserRoleId")), TimeZone: r.PostFormValue("TimeZoneSidKey")}
	pw := r.PostFormValue("Password")
	generated := pw == ""
	if generated {
		pw = generatePassword()
	}
	if f.Role != "" {
		if _, err := rapport.ParseID(string(f.Role)); err != nil {
			f.Errors = map[string]string{"UserRoleId": "Choose a role from the list."}
			a.userFormPage(w, r, s, http.StatusUnprocessableEntity, f)
			return
		}
	}
	id, err := a.tenants.CreateUser(ctx, s.Principal.OrgID, tenant.UserParams{
		Username: f.Username, Password: pw, Email: f.Email, FirstName: f.FirstName, LastName: f.LastName,
		Profile: f.Profile, Role: f.Role,
	})
	if err != nil {
		f.Errors, f.Error = fieldErrors(err)
		a.userFormPage(w, r, s, http.StatusUnprocessableEntity, f)
		return
	}
	if f.TimeZone != "" {
		// The new user has the org's time zone; the administrator chose
		// another.
		rs, err := a.records.Update(ctx, "User", []map[string]any{{"Id": string(id), "TimeZoneSidKey": f.TimeZone}}, recordOptions())
		if err := setupErr(rs, err); err != nil {
			a.failed(w, r, s, err)
			return
		}
	}
	if !generated {
		setupDone(w, r, "/setup/users/"+string(id), "User "+f.Username+" created.")
		return
	}
	f.ID, f.Password = id, pw
	a.setupPage(w, r, s, http.StatusCreated, "setup_users_created", "User created", "/setup/users", f)
}

// userPage shows a user's edit form, password reset and lockout.
func (a *App) userPage(w http.ResponseWriter, r *http.Request, s *session) {
	f, ok := a.loadUser(w, r, s)
	if !ok {
		return
	}
	a.userFormPage(w, r, s, http.StatusOK, f)
}

// loadUser reads the user the path names into a form.
func (a *App) loadUser(w http.ResponseWriter, r *http.Request, s *session) (*userForm, bool) {
	ctx := r.Context()
	id, ok := setupID(r, "id")
	if !ok || id.Prefix() != "005" {
		a.renderError(w, r, s, http.StatusNotFound, "That user was not found.")
		return nil, false
	}
	users, err := a.records.Get(ctx, "User", []string{string(id)}, []string{"FirstName", "LastName", "Email", "Username", "ProfileId", "UserRoleId", "TimeZoneSidKey", "IsActive"}, false)
	if err != nil {
		a.failed(w, r, s, err)
		return nil, false
	}
	if len(users) != 1 || users[0] == nil {
		a.renderError(w, r, s, http.StatusNotFound, "That user was not found.")
		return nil, false
	}
	v := users[0].Values
	str := func(k string) string { x, _ := v[k].(string); return x }
	idv := func(k string) rapport.ID { x, _ := v[k].(rapport.ID); return x }
	f := &userForm{ID: id, FirstName: str("FirstName"), LastName: str("LastName"), Email: str("Email"), Username: str("Username"),
		Profile: string(idv("ProfileId")), Role: idv("UserRoleId"), TimeZone: str("TimeZoneSidKey"), Self: id == s.Principal.UserID}
	f.Active, _ = v["IsActive"].(bool)
	if until, err := a.tenants.Directory().Lockout(ctx, f.Username); err == nil && until.After(a.now()) {
		f.LockedUntil = until
	}
	f.LastLogin = a.lastLogins(ctx, s)[id]
	return f, true
}

// userSave saves a user's details; deactivating a user also revokes their
// sessions.
func (a *App) userSave(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	f, ok := a.loadUser(w, r, s)
	if !ok {
		return
	}
	wasActive := f.Active
	f.FirstName, f.LastName = strings.TrimSpace(r.PostFormValue("FirstName")), strings.TrimSpace(r.PostFormValue("LastName"))
	f.Email = strings.TrimSpace(r.PostFormValue("Email"))
	f.Profile, f.Role, f.TimeZone = r.PostFormValue("ProfileId"), rapport.ID(r.PostFormValue("UserRoleId")), r.PostFormValue("TimeZoneSidKey")
	f.Active = r.PostFormValue("IsActive") == "true"
	if f.Self && !f.Active {
		f.Error = "You cannot deactivate yourself."
		a.userFormPage(w, r, s, http.StatusUnprocessableEntity, f)
		return
	}
	rec := map[string]any{"Id": string(f.ID), "FirstName": f.FirstName, "LastName": f.LastName, "Email": f.Email,
		"ProfileId": f.Profile, "TimeZoneSidKey": f.TimeZone, "IsActive": f.Active}
	if f.Role == "" {
		rec["UserRoleId"] = nil
	} else {
		rec["UserRoleId"] = string(f.Role)
	}
	rs, err := a.records.Update(ctx, "User", []map[string]any{rec}, recordOptions())
	if err := setupErr(rs, err); err != nil {
		f.Errors, f.Error = fieldErrors(err)
		a.userFormPage(w, r, s, http.StatusUnprocessableEntity, f)
		return
	}
	if f.Active != wasActive {
		if err := a.auth.SetUserActive(ctx, f.ID, f.Active); err != nil {
			a.failed(w, r, s, err)
			return
		}
	}
	if f.Self {
		a.forgetUser(s)
	}
	msg := "User saved."
	switch {
	case wasActive && !f.Active:
		msg = "User deactivated: their sessions have ended."
	case !wasActive && f.Active:
		msg = "User activated."
	}
	setupDone(w, r, "/setup/users/"+string(f.ID), msg)
}

// userPassword sets a user's password.
func (a *App) userPassword(w http.ResponseWriter, r *http.Request, s *session) {
	f, ok := a.loadUser(w, r, s)
	if !ok {
		return
	}
	if err := a.tenants.SetPassword(r.Context(), s.Principal.OrgID, f.ID, r.PostFormValue("Password")); err != nil {
		if rapport.ErrorCode(err) == rapport.InvalidArgument {
			f.Errors = map[string]string{"Password": message(err)}
			a.userFormPage(w, r, s, http.StatusUnprocessableEntity, f)
			return
		}
		a.failed(w, r, s, err)
		return
	}
	setupDone(w, r, "/setup/users/"+string(f.ID), "Password changed.")
}

// userUnlock lifts a user's lockout after failed logins.
func (a *App) userUnlock(w http.ResponseWriter, r *http.Request, s *session) {
	f, ok := a.loadUser(w, r, s)
	if !ok {
		return
	}
	if err := a.auth.Unlock(r.Context(), f.Username); err != nil {
		a.failed(w, r, s, err)
		return
	}
	setupDone(w, r, "/setup/users/"+string(f.ID), "User unlocked.")
}

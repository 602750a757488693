package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/tenant"
)

// idIn finds the first record ID after prefix in s (a URL or a page).
func idIn(t *testing.T, s, prefix string) rapport.ID {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `([0-9A-Za-z]{18})`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s… ID in:\n%s", prefix, s)
	}
	return rapport.ID(m[1])
}

// as is a context acting as user.
func (h *harness) as(user rapport.ID) context.Context {
	return rapport.WithPrincipal(context.Background(), rapport.Principal{OrgID: h.env.Org.OrgID, UserID: user})
}

// newUser adds a user of the org with a profile.
func (h *harness) newUser(name, profile string) (rapport.ID, string) {
	h.t.Helper()
	username := fmt.Sprintf("%s.%d@setup.example", strings.ToLower(name), time.Now().UnixNano())
	id, err := h.env.Tenants.CreateUser(context.Background(), h.env.Org.OrgID, tenant.UserParams{Username: username, Password: password, LastName: name, Profile: profile})
	if err != nil {
		h.t.Fatalf("CreateUser %s: %v", name, err)
	}
	return id, username
}

// eventually retries fn until it returns nil, for a little longer than the
// record service caches security data.
func eventually(t *testing.T, what string, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (h *harness) newAccount(ctx context.Context, values map[string]any) rapport.ID {
	h.t.Helper()
	rs, err := h.env.Records.Create(ctx, "Account", []map[string]any{values}, record.WriteOptions{AllOrNone: true})
	if err != nil || rs[0].Err != nil {
		h.t.Fatalf("create account: %v %v", err, rs)
	}
	return rs[0].ID
}

// canEdit tries renaming an account as user.
func (h *harness) canEdit(user, account rapport.ID, name string) error {
	rs, err := h.env.Records.Update(h.as(user), "Account", []map[string]any{{"Id": string(account), "Name": name}}, record.WriteOptions{AllOrNone: true})
	if err != nil {
		return err
	}
	return rs[0].Err
}

func TestSetupUsers(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		admin := h.signIn()
		p := admin.get("/setup/users")
		p.mustContain(t, h.env.Org.Username, "System Administrator", "New user")
		p = admin.get("/setup/users/new")
		p.mustContain(t, `name="Username"`, "Standard User", "America/Los_Angeles")

		username := fmt.Sprintf("casey.%d@setup.example", time.Now().UnixNano())
		// A weak password is refused next to its field.
		p = admin.post("/setup/users", url.Values{"FirstName": {"Casey"}, "LastName": {"Brooks"}, "Username": {username}, "Profile": {"Standard User"}, "Password": {"short"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("weak password: %d", p.Status)
		}
		p.mustContain(t, "at least 8 characters", `value="Casey"`)

		p = admin.post("/setup/users", url.Values{"FirstName": {"Casey"}, "LastName": {"Brooks"}, "Username": {username}, "Email": {username},
			"Profile": {"Standard User"}, "TimeZoneSidKey": {"Europe/Paris"}, "Password": {"first pass 12"}})
		p.mustContain(t, "created", "Casey")
		id := idIn(t, p.URL, "/setup/users/")
		users, err := h.env.Records.Get(h.env.Ctx, "User", []string{string(id)}, []string{"TimeZoneSidKey", "Username"}, false)
		if err != nil || users[0] == nil || users[0].Values["TimeZoneSidKey"] != "Europe/Paris" {
			t.Fatalf("new user = %v, %v", users, err)
		}
		// The audit trail names who created the user; so does the user.
		admin.get("/setup/audit-trail").mustContain(t, "Created user Casey Brooks ("+username+") with profile Standard User")
		if u, _ := h.env.Records.Get(h.env.Ctx, "User", []string{string(id)}, []string{"CreatedById"}, false); u[0].Values["CreatedById"] != h.env.Org.UserID {
			t.Errorf("the new user's CreatedById = %v, want the administrator %s", u[0].Values["CreatedById"], h.env.Org.UserID)
		}

		casey := h.browser()
		casey.signIn(username, "first pass 12")
		if p = casey.get("/home"); !strings.HasSuffix(p.URL, "/home") {
			t.Fatalf("the new user's home ended at %s", p.URL)
		}

		// A generated password is shown once and works.
		other := fmt.Sprintf("gen.%d@setup.example", time.Now().UnixNano())
		p = admin.post("/setup/users", url.Values{"LastName": {"Gen"}, "Username": {other}, "Profile": {"Read Only"}})
		if p.Status != http.StatusCreated {
			t.Fatalf("create with a generated password: %d\n%s", p.Status, p.Body)
		}
		m := regexp.MustCompile(`id="new-pw" readonly value="([^"]+)"`).FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no generated password shown:\n%s", p.Body)
		}
		h.browser().signIn(other, m[1])

		// Reset the password: the old one stops working.
		admin.get("/setup/users/" + string(id))
		p = admin.post("/setup/users/"+string(id)+"/password", url.Values{"Password": {"second pass 34"}})
		p.mustContain(t, "Password changed.")
		if p = h.browser().post("/login", url.Values{"username": {username}, "password": {"first pass 12"}}); p.Status != http.StatusUnauthorized {
			t.Fatalf("old password after reset: %d", p.Status)
		}
		h.browser().signIn(username, "second pass 34")

		// Deactivate: the user's session stops working and they cannot
		// sign in.
		p = admin.get("/setup/users/" + string(id))
		p.mustContain(t, `value="Brooks"`, "Reset password", "not locked out")
		p = admin.post("/setup/users/"+string(id), url.Values{"FirstName": {"Casey"}, "LastName": {"Brooks-Lee"}, "Email": {username},
			"ProfileId": {string(idIn(t, p.Body, `<select id="u-profile" name="ProfileId" required><option value="`))}, "UserRoleId": {""}, "TimeZoneSidKey": {"Europe/Paris"}, "IsActive": {"false"}})
		p.mustContain(t, "User deactivated")
		if p = casey.get("/home"); !strings.Contains(p.URL, "/login") {
			t.Fatalf("a deactivated user's session still reaches %s", p.URL)
		}
		if p = h.browser().post("/login", url.Values{"username": {username}, "password": {"second pass 34"}}); p.Status != http.StatusUnauthorized {
			t.Fatalf("a deactivated user signs in: %d", p.Status)
		}
		p = admin.get("/setup/users")
		p.mustContain(t, "Casey Brooks-Lee", "Inactive")

		// An administrator cannot deactivate themselves.
		p = admin.get("/setup/users/" + string(h.env.Org.UserID))
		p.mustContain(t, "You cannot deactivate yourself")

		// Lockout: ten bad passwords lock the user; Unlock lets them in.
		lock, lockName := h.newUser("Locked", "Standard User")
		for i := 0; i < 10; i++ {
			h.browser().post("/login", url.Values{"username": {lockName}, "password": {"wrong pass 1"}})
		}
		if p = h.browser().post("/login", url.Values{"username": {lockName}, "password": {password}}); p.Status != http.StatusUnauthorized {
			t.Fatalf("locked user signs in: %d", p.Status)
		}
		p = admin.get("/setup/users/" + string(lock))
		p.mustContain(t, "Locked out after failed logins")
		p = admin.post("/setup/users/"+string(lock)+"/unlock", nil)
		p.mustContain(t, "User unlocked.", "not locked out")
		h.browser().signIn(lockName, password)
	})
}

func TestSetupOrgPages(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		// Login history: a failed and a successful login.
		if p := h.browser().post("/login", url.Values{"username": {h.env.Org.Username}, "password": {"not it 123"}}); p.Status != http.StatusUnauthorized {
			t.Fatalf("bad login: %d", p.Status)
		}
		admin := h.signIn()
		p := admin.get("/setup/login-history")
		p.mustContain(t, h.env.Org.Username, "Invalid Password", "Success", "Web")

		// Company settings.
		p = admin.get("/setup/company")
		p.mustContain(t, `name="Name"`, `name="FiscalYearStartMonth"`, "Default Time Zone")
		p = admin.post("/setup/company", url.Values{"Name": {"Acme Worldwide"}, "Phone": {"+1 555 0100"}, "City": {"Lyon"}, "Country": {"France"},
			"DefaultLocaleSidKey": {"fr_FR"}, "TimeZoneSidKey": {"Europe/Paris"}, "DefaultCurrencyIsoCode": {"EUR"}, "FiscalYearStartMonth": {"4"}})
		p.mustContain(t, "Company settings saved.", `value="Acme Worldwide"`, `value="Lyon"`)
		orgs, err := h.env.Records.Get(h.env.Ctx, "Organization", []string{string(h.env.Org.OrgID)}, []string{"Name", "FiscalYearStartMonth", "DefaultCurrencyIsoCode", "TimeZoneSidKey"}, false)
		if err != nil || orgs[0] == nil {
			t.Fatal(err)
		}
		v := orgs[0].Values
		if v["Name"] != "Acme Worldwide" || fmt.Sprint(v["FiscalYearStartMonth"]) != "4" || v["DefaultCurrencyIsoCode"] != "EUR" || v["TimeZoneSidKey"] != "Europe/Paris" {
			t.Errorf("organization = %v", v)
		}
		p = admin.post("/setup/company", url.Values{"Name": {""}, "DefaultLocaleSidKey": {"fr_FR"}, "TimeZoneSidKey": {"Europe/Paris"}, "DefaultCurrencyIsoCode": {"EUR"}, "FiscalYearStartMonth": {"4"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Errorf("company without a name: %d", p.Status)
		}

		// Recycle bin: restore one record, delete another for good.
		keep := h.newAccount(h.env.Ctx, map[string]any{"Name": "Keep Me Inc"})
		purge := h.newAccount(h.env.Ctx, map[string]any{"Name": "Purge Me Inc"})
		if _, err := h.env.Records.Delete(h.env.Ctx, []string{string(keep), string(purge)}, record.WriteOptions{AllOrNone: true}); err != nil {
			t.Fatal(err)
		}
		p = admin.get("/setup/recycle-bin")
		p.mustContain(t, "Keep Me Inc", "Purge Me Inc", "Account", "Restore")
		p = admin.post("/setup/recycle-bin", url.Values{"id": {string(keep)}, "action": {"restore"}})
		p.mustContain(t, "1 record restored.")
		p = admin.post("/setup/recycle-bin", url.Values{"id": {string(purge)}, "action": {"purge"}})
		p.mustContain(t, "1 record permanently deleted.")
		if strings.Contains(p.Body, "Purge Me Inc") || strings.Contains(p.Body, "Keep Me Inc") {
			t.Errorf("the bin still lists the records:\n%s", p.Body)
		}
		recs, err := h.env.Records.Get(h.env.Ctx, "Account", []string{string(keep), string(purge)}, []string{"Name"}, true)
		if err != nil || recs[0] == nil || recs[0].Deleted || recs[1] != nil {
			t.Errorf("after restore and purge: %v %v", recs, err)
		}

		// Connected apps: the secret is shown once, the client ID stays.
		p = admin.get("/setup/connected-apps")
		p.mustContain(t, "No connected apps yet")
		p = admin.post("/setup/connected-apps", url.Values{"Name": {"Data Loader"}})
		if p.Status != http.StatusCreated {
			t.Fatalf("create a connected app: %d", p.Status)
		}
		clientID := regexp.MustCompile(`id="app-id" readonly value="([^"]+)"`).FindStringSubmatch(p.Body)
		secret := regexp.MustCompile(`id="app-secret" readonly value="([^"]+)"`).FindStringSubmatch(p.Body)
		if clientID == nil || secret == nil || !strings.HasPrefix(clientID[1], "3MVG") {
			t.Fatalf("no credentials shown:\n%s", p.Body)
		}
		p = admin.get("/setup/connected-apps")
		p.mustContain(t, "Data Loader", clientID[1])
		if strings.Contains(p.Body, secret[1]) {
			t.Error("the client secret is shown again")
		}
		p = admin.post("/setup/connected-apps", url.Values{"Name": {" "}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Errorf("a connected app without a name: %d", p.Status)
		}
	})
}

func TestSetupRolesAndSharing(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		admin := h.signIn()
		p := admin.post("/setup/roles", url.Values{"Name": {"Chief Executive"}})
		p.mustContain(t, "Role Chief Executive created.")
		ceo := idIn(t, p.Body, "/setup/roles/")
		p = admin.post("/setup/roles", url.Values{"Name": {"Sales Rep"}, "ParentRoleId": {string(ceo)}})
		p.mustContain(t, "Role Sales Rep created.", "Chief Executive")
		p = admin.get("/setup/roles")
		rep := idIn(t, p.Body[strings.Index(p.Body, "Chief Executive"):], "/setup/roles/")
		p.mustContain(t, "Sales Rep", `data-level="2" style="--depth: 1"`)
		p = admin.post("/setup/roles/"+string(rep), url.Values{"Name": {"Sales Representative"}})
		p.mustContain(t, "Role saved.", "Sales Representative", "Reports to")
		// Moved to the top and back; a role cannot report to one below it.
		parentOf := func(id rapport.ID) any {
			t.Helper()
			recs, err := h.env.Records.Get(h.env.Ctx, "UserRole", []string{string(id)}, []string{"ParentRoleId"}, false)
			if err != nil || recs[0] == nil {
				t.Fatalf("read role %s: %v", id, err)
			}
			return recs[0].Values["ParentRoleId"]
		}
		admin.post("/setup/roles/"+string(rep), url.Values{"Name": {"Sales Representative"}, "ParentRoleId": {""}}).mustContain(t, "Role saved.")
		if got := parentOf(rep); got != nil {
			t.Errorf("moved to the top, the role reports to %v", got)
		}
		admin.post("/setup/roles/"+string(rep), url.Values{"Name": {"Sales Representative"}, "ParentRoleId": {string(ceo)}}).mustContain(t, "Role saved.")
		if got := parentOf(rep); got != ceo {
			t.Errorf("moved back, the role reports to %v, want %s", got, ceo)
		}
		if p = admin.post("/setup/roles/"+string(ceo), url.Values{"Name": {"Chief Executive"}, "ParentRoleId": {string(rep)}}); p.Status != http.StatusUnprocessableEntity || parentOf(ceo) != nil {
			t.Errorf("a role under its own subordinate: %d, parent %v", p.Status, parentOf(ceo))
		}
		p.mustContain(t, "cannot report to itself or to a role below it")
		if strings.Contains(admin.get("/setup/roles/"+string(ceo)).Body, `<option value="`+string(rep)+`"`) {
			t.Error("a role offers its subordinate as its parent")
		}

		// A user in the child role; the admin at the top.
		user, _ := h.newUser("Rep", "Standard User")
		rs, err := h.env.Records.Update(h.env.Ctx, "User", []map[string]any{{"Id": string(user), "UserRoleId": string(rep)}, {"Id": string(h.env.Org.UserID), "UserRoleId": string(ceo)}}, record.WriteOptions{AllOrNone: true})
		if err != nil || rs[0].Err != nil {
			t.Fatalf("set roles: %v %v", err, rs)
		}
		p = admin.get("/setup/roles/" + string(rep))
		p.mustContain(t, "Users in this role", "Rep")
		if strings.Contains(p.Body, "Delete role") {
			t.Error("a role with users offers Delete")
		}
		p = admin.post("/setup/roles/"+string(rep)+"/delete", nil)
		if p.Status != http.StatusUnprocessableEntity {
			t.Errorf("delete a role with users: %d", p.Status)
		}
		p = admin.post("/setup/roles", url.Values{"Name": {"Temp"}, "ParentRoleId": {string(rep)}})
		temp := idIn(t, p.Body[strings.Index(p.Body, "Roles under it"):], "/setup/roles/")
		p = admin.post("/setup/roles/"+string(temp)+"/delete", nil)
		p.mustContain(t, "Role deleted.")

		// Account to Private: the rep no longer sees the admin's account.
		energy := h.newAccount(h.env.Ctx, map[string]any{"Name": "Solar Co", "Industry": "Energy"})
		visible := func(want bool) func() error {
			return func() error {
				recs, err := h.env.Records.Get(h.as(user), "Account", []string{string(energy)}, []string{"Name"}, false)
				if err != nil {
					return err
				}
				if got := recs[0] != nil; got != want {
					return fmt.Errorf("the rep sees the account: %v, want %v", got, want)
				}
				return nil
			}
		}
		eventually(t, "before", visible(true))
		p = admin.get("/setup/sharing")
		p.mustContain(t, "Organization-wide defaults", `name="Account"`, "Controlled by Parent")
		p = admin.post("/setup/sharing/defaults", url.Values{"Account": {"Private"}})
		p.mustContain(t, "Sharing settings saved.")
		eventually(t, "after Private", visible(false))

		// A criteria-based rule shares energy accounts with the rep's role.
		p = admin.get("/setup/sharing/Account")
		p.mustContain(t, "Sharing rules", "Sales Representative")
		p = admin.post("/setup/sharing/Account/rules", url.Values{"Name": {"Energy_to_reps"}, "Kind": {"criteria"}, "Field": {"Industry"}, "Op": {"equals"}, "Value": {"Energy"},
			"To": {"role:" + string(rep)}, "Access": {"Read"}})
		p.mustContain(t, "Sharing rule added.", "Energy_to_reps", "Industry")
		eventually(t, "after the rule", visible(true))
		if err := h.canEdit(user, energy, "Solar Co 2"); err == nil {
			t.Error("a Read rule lets the rep edit")
		}
		// An owner-based rule: records owned by the CEO role, Read/Write.
		p = admin.post("/setup/sharing/Account/rules", url.Values{"Name": {"CEO_to_reps"}, "Kind": {"owner"}, "From": {"role:" + string(ceo)},
			"To": {"rolesub:" + string(rep)}, "Access": {"Edit"}})
		p.mustContain(t, "Sharing rule added.", "CEO_to_reps")
		eventually(t, "after the owner rule", func() error { return h.canEdit(user, energy, "Solar Co 2") })
		p = admin.post("/setup/sharing/Account/rules/CEO_to_reps/delete", nil)
		p.mustContain(t, "Sharing rule deleted.")
		if strings.Contains(p.Body, "CEO_to_reps") {
			t.Error("the deleted rule is still listed")
		}
		p = admin.post("/setup/sharing/Account/rules", url.Values{"Name": {"bad name!"}, "Kind": {"owner"}, "From": {"role:" + string(ceo)}, "To": {"role:" + string(rep)}, "Access": {"Read"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Errorf("a bad rule name: %d", p.Status)
		}

		// The audit trail shows the changes, newest first.
		p = admin.get("/setup/audit-trail")
		p.mustContain(t, "Created Role Chief Executive", "Changed Role", "Changed object Account")
		if strings.Index(p.Body, "Changed object Account") > strings.Index(p.Body, "Created Role Chief Executive") {
			t.Error("the audit trail is not newest first")
		}
	})
}

func TestSetupProfilesAndPermissionSets(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		admin := h.signIn()
		p := admin.get("/setup/profiles")
		p.mustContain(t, "Read Only", "Standard User", "System Administrator")
		readOnly := idIn(t, p.Body[strings.Index(p.Body, ">Read Only<")-40:], "/setup/profiles/")

		p = admin.post("/setup/profiles", url.Values{"Name": {"Auditor"}, "Source": {string(readOnly)}})
		p.mustContain(t, "Profile Auditor created.", "Object permissions")
		mustCheck(t, p, "Account.read", true)
		auditor := idIn(t, p.URL, "/setup/profiles/")
		mustCheck(t, p, "Account.edit", false)
		user, _ := h.newUser("Auditor", "Auditor")
		acct := h.newAccount(h.env.Ctx, map[string]any{"Name": "Audited Ltd"})
		eventually(t, "clone reads", func() error {
			recs, err := h.env.Records.Get(h.as(user), "Account", []string{string(acct)}, []string{"Name", "Industry"}, false)
			if err == nil && recs[0] == nil {
				err = fmt.Errorf("the auditor cannot read the account")
			}
			return err
		})
		if err := h.canEdit(user, acct, "Changed"); err == nil {
			t.Fatal("a Read Only clone edits an account")
		}

		// Grant Edit on Account to the profile.
		p = admin.post("/setup/profiles/"+string(auditor), url.Values{"o": {"Account"}, "Account.read": {"true"}, "Account.edit": {"true"}})
		p.mustContain(t, "Permissions saved.")
		mustCheck(t, p, "Account.edit", true)
		eventually(t, "after Edit granted", func() error { return h.canEdit(user, acct, "Audited Ltd 2") })

		// Field permissions: make Industry editable.
		p = admin.get("/setup/profiles/" + string(auditor) + "/fields/Account")
		p.mustContain(t, "Industry")
		mustCheck(t, p, "Industry.read", true)
		mustCheck(t, p, "Industry.edit", false)
		p = admin.post("/setup/profiles/"+string(auditor)+"/fields/Account", url.Values{"f": {"Industry", "Website"}, "Industry.read": {"true"}, "Industry.edit": {"true"}})
		p.mustContain(t, "Field permissions saved.")
		mustCheck(t, p, "Industry.edit", true)
		mustCheck(t, p, "Website.read", false)
		eventually(t, "after Industry editable", func() error {
			rs, err := h.env.Records.Update(h.as(user), "Account", []map[string]any{{"Id": string(acct), "Industry": "Banking"}}, record.WriteOptions{AllOrNone: true})
			if err == nil {
				err = rs[0].Err
			}
			return err
		})
		eventually(t, "Website hidden", func() error {
			_, err := h.env.Records.Get(h.as(user), "Account", []string{string(acct)}, []string{"Website"}, false)
			if err == nil {
				return fmt.Errorf("the auditor still reads Website")
			}
			return nil
		})

		// System permissions.
		p = admin.post("/setup/profiles/"+string(auditor), url.Values{"sys": {"1"}, "PermissionsApiEnabled": {"true"}, "PermissionsViewSetup": {"true"}})
		mustCheck(t, p, "PermissionsViewSetup", true)
		mustCheck(t, p, "PermissionsRunReports", false)

		// A permission set grants Contact edit to one user.
		if err := contactEdit(h, user); err == nil {
			t.Fatal("the auditor edits contacts already")
		}
		p = admin.get("/setup/permission-sets")
		p.mustContain(t, "New permission set")
		if strings.Contains(p.Body, "Read Only") {
			t.Error("the permission sets list shows profiles' own sets")
		}
		p = admin.post("/setup/permission-sets", url.Values{"Label": {"Contact Editors"}, "Name": {"Contact_Editors"}})
		p.mustContain(t, "Permission set Contact Editors created.")
		set := idIn(t, p.URL, "/setup/permission-sets/")
		p = admin.post("/setup/permission-sets/"+string(set), url.Values{"o": {"Contact"}, "Contact.read": {"true"}, "Contact.edit": {"true"}})
		p.mustContain(t, "Permissions saved.")
		p = admin.get("/setup/permission-sets/" + string(set) + "/assignments")
		p.mustContain(t, "Auditor")
		p = admin.post("/setup/permission-sets/"+string(set)+"/assignments", url.Values{"AssigneeId": {string(user)}})
		p.mustContain(t, "Permission set assigned.", "Auditor")
		eventually(t, "after assignment", func() error { return contactEdit(h, user) })
		aid := idIn(t, p.Body, "/assignments/")
		p = admin.post("/setup/permission-sets/"+string(set)+"/assignments/"+string(aid)+"/delete", nil)
		p.mustContain(t, "Assignment removed.")
		eventually(t, "after unassignment", func() error {
			if contactEdit(h, user) == nil {
				return fmt.Errorf("the auditor still edits contacts")
			}
			return nil
		})

		p = admin.get("/setup/audit-trail")
		p.mustContain(t, "Created Profile Auditor", "Permission Sets")
	})
}

// mustCheck fails unless the page's checkbox name is checked (or not).
func mustCheck(t *testing.T, p page, name string, want bool) {
	t.Helper()
	m := regexp.MustCompile(`<input type="checkbox" name="` + regexp.QuoteMeta(name) + `" value="true"[^>]*>`).FindString(p.Body)
	if m == "" {
		t.Fatalf("page %s has no checkbox %s", p.URL, name)
	}
	if got := strings.Contains(m, " checked"); got != want {
		t.Fatalf("checkbox %s checked = %v, want %v: %s", name, got, want, m)
	}
}

// contactEdit tries creating and renaming a contact as user.
func contactEdit(h *harness, user rapport.ID) error {
	h.t.Helper()
	acct := h.newAccount(h.env.Ctx, map[string]any{"Name": "Probe Ltd"})
	rs, err := h.env.Records.Create(h.env.Ctx, "Contact", []map[string]any{{"LastName": "Probe", "AccountId": string(acct)}}, record.WriteOptions{AllOrNone: true})
	if err != nil || rs[0].Err != nil {
		h.t.Fatalf("create contact: %v %v", err, rs)
	}
	rs, err = h.env.Records.Update(h.as(user), "Contact", []map[string]any{{"Id": string(rs[0].ID), "LastName": "Probed"}}, record.WriteOptions{AllOrNone: true})
	if err != nil {
		return err
	}
	return rs[0].Err
}

func TestSetupAdminOnly(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		_, username := h.newUser("Plain", "Standard User")
		b := h.browser()
		b.signIn(username, password)
		b.get("/home")
		id := string(h.env.Org.UserID)
		gets := []string{"/setup/users", "/setup/users/new", "/setup/users/" + id, "/setup/profiles", "/setup/profiles/" + id,
			"/setup/profiles/" + id + "/fields/Account", "/setup/permission-sets", "/setup/permission-sets/" + id,
			"/setup/permission-sets/" + id + "/fields/Account", "/setup/permission-sets/" + id + "/assignments",
			"/setup/roles", "/setup/roles/" + id, "/setup/groups", "/setup/groups/" + id, "/setup/sharing", "/setup/sharing/Account", "/setup/connected-apps",
			"/setup/company", "/setup/recycle-bin", "/setup/audit-trail", "/setup/login-history"}
		for _, path := range gets {
			if p := b.get(path); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Setup is for administrators") {
				t.Errorf("GET %s as a Standard User: %d", path, p.Status)
			}
		}
		posts := []string{"/setup/users", "/setup/users/" + id, "/setup/users/" + id + "/password", "/setup/users/" + id + "/unlock",
			"/setup/profiles", "/setup/profiles/" + id, "/setup/profiles/" + id + "/fields/Account",
			"/setup/permission-sets", "/setup/permission-sets/" + id, "/setup/permission-sets/" + id + "/fields/Account",
			"/setup/permission-sets/" + id + "/assignments", "/setup/permission-sets/" + id + "/assignments/" + id + "/delete",
			"/setup/roles", "/setup/roles/" + id, "/setup/roles/" + id + "/delete", "/setup/groups", "/setup/groups/" + id,
			"/setup/groups/" + id + "/members", "/setup/groups/" + id + "/members/" + id + "/delete", "/setup/groups/" + id + "/delete", "/setup/sharing/defaults",
			"/setup/sharing/Account/rules", "/setup/sharing/Account/rules/X/delete", "/setup/connected-apps", "/setup/company",
			"/setup/recycle-bin"}
		for _, path := range posts {
			if p := b.post(path, url.Values{"Name": {"Hacked"}, "Password": {"hacked pass 1"}}); p.Status != http.StatusForbidden {
				t.Errorf("POST %s as a Standard User: %d", path, p.Status)
			}
		}
		// Nothing changed.
		orgs, _ := h.env.Records.Get(h.env.Ctx, "Organization", []string{string(h.env.Org.OrgID)}, []string{"Name"}, false)
		if orgs[0].Values["Name"] == "Hacked" {
			t.Error("a Standard User renamed the org")
		}
		h.browser().signIn(h.env.Org.Username, password)
	})
}

// Public groups: created, filled with a user and a nested group, used by a
// sharing rule (the user sees what the rule shares), emptied and deleted.
func TestSetupPublicGroups(t *testing.T) {
	onBackends(t, func(t *testing.T, h *harness) {
		admin := h.signIn()
		p := admin.post("/setup/groups", url.Values{"Name": {"Event Staff"}, "DeveloperName": {"Event_Staff"}})
		p.mustContain(t, "Group Event Staff created.", "Add a member")
		staff := idIn(t, p.URL, "/setup/groups/")
		p = admin.post("/setup/groups", url.Values{"Name": {"Volunteers"}})
		volunteers := idIn(t, p.URL, "/setup/groups/")
		if p = admin.post("/setup/groups", url.Values{"Name": {""}}); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("a group without a name: %d", p.Status)
		}

		user, _ := h.newUser("Volunteer", "Standard User")
		admin.post("/setup/groups/"+string(volunteers)+"/members", url.Values{"UserOrGroupId": {string(user)}}).mustContain(t, "Member added.", "Volunteer")
		p = admin.post("/setup/groups/"+string(staff)+"/members", url.Values{"UserOrGroupId": {string(volunteers)}})
		p.mustContain(t, "Member added.", `href="/setup/groups/`+string(volunteers)+`"`)
		admin.get("/setup/groups").mustContain(t, "Event Staff", "Event_Staff", "Volunteers")

		// Private accounts, shared with the outer group by a rule: the
		// volunteer, in it through the nested group, sees them.
		acct := h.newAccount(h.env.Ctx, map[string]any{"Name": "Moscone Center", "Industry": "Hospitality"})
		visible := func(want bool) func() error {
			return func() error {
				recs, err := h.env.Records.Get(h.as(user), "Account", []string{string(acct)}, []string{"Name"}, false)
				if err != nil {
					return err
				}
				if got := recs[0] != nil; got != want {
					return fmt.Errorf("the volunteer sees the account: %v, want %v", got, want)
				}
				return nil
			}
		}
		admin.post("/setup/sharing/defaults", url.Values{"Account": {"Private"}}).mustContain(t, "Sharing settings saved.")
		eventually(t, "when Private", visible(false))
		admin.get("/setup/sharing/Account").mustContain(t, "Public group: Event Staff")
		admin.post("/setup/sharing/Account/rules", url.Values{"Name": {"Venues_to_staff"}, "Kind": {"criteria"}, "Field": {"Industry"}, "Op": {"equals"},
			"Value": {"Hospitality"}, "To": {string(staff)}, "Access": {"Read"}}).mustContain(t, "Sharing rule added.")
		eventually(t, "after the rule to the group", visible(true))

		// A group a rule uses cannot go; once out of the group, the user no
		// longer sees the account.
		if p = admin.post("/setup/groups/"+string(staff)+"/delete", nil); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("deleting a group a rule uses: %d", p.Status)
		}
		p = admin.get("/setup/groups/" + string(staff))
		m := regexp.MustCompile(`action="/setup/groups/` + string(staff) + `/members/([^/]+)/delete"`).FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no Remove for the nested group:\n%s", p.Body)
		}
		admin.post("/setup/groups/"+string(staff)+"/members/"+m[1]+"/delete", nil).mustContain(t, "Member removed.", "No members yet.")
		eventually(t, "after leaving the group", visible(false))
		admin.post("/setup/sharing/Account/rules/Venues_to_staff/delete", nil).mustContain(t, "Sharing rule deleted.")
		admin.post("/setup/groups/"+string(staff)+"/delete", nil).mustContain(t, "Group deleted.")
		if strings.Contains(admin.get("/setup/groups").Body, "Event Staff") {
			t.Error("the deleted group is still listed")
		}
		admin.get("/setup/audit-trail").mustContain(t, "Created Group Event Staff")
	})
}

package web

import "net/http"

// Setup is for administrators: users who may customize the application
// or manage users. Its pages share a side navigation (setupNav).

// setupRoutes adds Setup: the Object Manager (setup_objects.go), and
// users, security and the org's settings (setup_admin.go).
func (a *App) setupRoutes(page func(pattern string, h handlerFunc)) {
	admin := func(pattern string, h handlerFunc) { page(pattern, a.setupOnly(h)) }
	admin("GET /setup", a.setupHome)
	a.objectManagerRoutes(admin)
	a.setupAdminRoutes(admin)
}

// setupOnly refuses Setup to users who are not administrators.
func (a *App) setupOnly(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		if !s.User.Admin {
			a.renderError(w, r, s, http.StatusForbidden, "Setup is for administrators. Ask yours for access.")
			return
		}
		h(w, r, s)
	}
}

// A setupLink is one entry of Setup's side navigation.
type setupLink struct {
	Section string
	Label   string
	URL     string
}

// setupLinks are Setup's pages, by section.
var setupLinks = []setupLink{
	{"Objects", "Object Manager", "/setup/objects"},
	{"Users", "Users", "/setup/users"},
	{"Users", "Profiles", "/setup/profiles"},
	{"Users", "Permission Sets", "/setup/permission-sets"},
	{"Users", "Roles", "/setup/roles"},
	{"Users", "Public Groups", "/setup/groups"},
	{"Security", "Sharing Settings", "/setup/sharing"},
	{"Security", "Login History", "/setup/login-history"},
	{"Security", "Setup Audit Trail", "/setup/audit-trail"},
	{"Apps", "Connected Apps", "/setup/connected-apps"},
	{"Company", "Company Settings", "/setup/company"},
	{"Company", "Recycle Bin", "/setup/recycle-bin"},
}

// setupView is the data of every Setup page: the side navigation with the
// current page marked, and the page's own data.
type setupView struct {
	Links   []setupLink
	Current string // URL of the current entry
	Page    any
}

// setupPage renders a Setup page: templates/NAME.html defines "content"
// and uses {{template "setup_nav" .Data}} for the side navigation; its
// own data is .Data.Page.
func (a *App) setupPage(w http.ResponseWriter, r *http.Request, s *session, status int, name, title, current string, data any) {
	a.render(w, r, s, status, name, title+" · Setup", setupView{Links: setupLinks, Current: current, Page: data})
}

func (a *App) setupHome(w http.ResponseWriter, r *http.Request, s *session) {
	a.setupPage(w, r, s, http.StatusOK, "setup_home", "Setup", "", nil)
}

package web

import (
	"net/http"
	"strings"

	"github.com/rapportcrm/rapport/metadata"
)

// An appDef is one app of the app switcher: a name and its object tabs.
// Custom objects join every app's tabs.
type appDef struct {
	Name    string
	Label   string
	Objects []string
}

// apps are the built-in apps, the first being the default.
var apps = []appDef{
	{"Sales", "Sales", []string{"Account", "Contact", "Lead", "Opportunity", "Campaign", "Contract", "Task", "Event"}},
	{"Service", "Service", []string{"Account", "Contact", "Case", "Task", "Event"}},
	{"Marketing", "Marketing", []string{"Campaign", "Lead", "Contact", "Account", "EmailMessage"}},
}

// appCookie remembers the app a user last switched to.
const appCookie = "rapport_app"

// nav is the header of every signed-in page.
type nav struct {
	App  appDef
	Apps []appDef
	Tabs []navTab
}

type navTab struct {
	Label  string
	URL    string
	Active bool
}

// currentApp is the app the user last switched to, or the first.
func currentApp(r *http.Request) appDef {
	if c, err := r.Cookie(appCookie); err == nil {
		for _, a := range apps {
			if a.Name == c.Value {
				return a
			}
		}
	}
	return apps[0]
}

// nav builds the header for the user in s: the current app's tabs for the
// objects the user may read.
func (a *App) nav(r *http.Request, s *session, page string) *nav {
	cur := currentApp(r)
	n := &nav{App: cur, Apps: apps}
	n.Tabs = append(n.Tabs, navTab{Label: "Home", URL: "/home", Active: page == "home"})
	sch, err := a.records.Schema(r.Context(), s.Principal.OrgID)
	if err != nil {
		return n
	}
	active := r.PathValue("object")
	if id := r.PathValue("id"); active == "" && len(id) >= 3 {
		if o := sch.ByPrefix(id[:3]); o != nil {
			active = o.Name
		}
	}
	add := func(o *metadata.Object) {
		if s.Policy != nil && !s.Policy.Object(o.Name).Read {
			return
		}
		n.Tabs = append(n.Tabs, navTab{Label: o.PluralLabel, URL: "/o/" + o.Name, Active: strings.EqualFold(active, o.Name)})
	}
	for _, name := range cur.Objects {
		if o := sch.Object(name); o != nil {
			add(o)
		}
	}
	for _, o := range sch.Objects() {
		if o.Custom {
			add(o)
		}
	}
	return n
}

// switchApp makes an app current and opens its home page.
func (a *App) switchApp(w http.ResponseWriter, r *http.Request, s *session) {
	name := r.PathValue("name")
	for _, ad := range apps {
		if ad.Name == name {
			http.SetCookie(w, &http.Cookie{Name: appCookie, Value: name, Path: "/", HttpOnly: true, Secure: isHTTPS(r), SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
			http.Redirect(w, r, "/home", http.StatusSeeOther)
			return
		}
	}
	a.renderError(w, r, s, http.StatusNotFound, "There is no app named "+name+".")
}

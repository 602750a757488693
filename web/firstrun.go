package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/tenant"
)

// The first-run page makes the first org of an empty store. It answers
// only to the one-time token `rapport serve` printed, and only while the
// store has no org.

type firstRunData struct {
	Token    string
	Demo     bool // the demo org can be loaded
	Name     string
	Username string
	First    string
	Last     string
	Kind     string // "empty" or "demo"
	Error    string
	Errors   map[string]string
}

func (a *App) storeEmpty(ctx context.Context) (bool, error) {
	orgs, err := a.tenants.Directory().Orgs(ctx)
	return len(orgs) == 0, err
}

// firstRunAllowed checks the token and that the store is still empty.
func (a *App) firstRunAllowed(w http.ResponseWriter, r *http.Request, token string) bool {
	if a.first.Token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(a.first.Token)) != 1 {
		a.render(w, r, nil, http.StatusForbidden, "error", "Setup link needed", errorData{Status: http.StatusForbidden,
			Message: "Open the setup link that rapport serve printed when it started: it holds a one-time token."})
		return false
	}
	empty, err := a.storeEmpty(r.Context())
	if err != nil {
		a.serverError(w, r, err)
		return false
	}
	if !empty {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return false
	}
	return true
}

func (a *App) firstRunPage(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	token := r.URL.Query().Get("token")
	if !a.firstRunAllowed(w, r, token) {
		return
	}
	a.render(w, r, nil, http.StatusOK, "first_run", "Set up Rapport", firstRunData{Token: token, Demo: a.first.Demo != nil, Kind: "demo"})
}

func (a *App) firstRunSubmit(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w)
	d := firstRunData{
		Token: r.PostFormValue("token"), Demo: a.first.Demo != nil,
		Name: strings.TrimSpace(r.PostFormValue("name")), Username: strings.TrimSpace(r.PostFormValue("username")),
		First: strings.TrimSpace(r.PostFormValue("first")), Last: strings.TrimSpace(r.PostFormValue("last")),
		Kind: r.PostFormValue("kind"),
	}
	if !a.firstRunAllowed(w, r, d.Token) {
		return
	}
	password := r.PostFormValue("password")
	var err error
	if d.Kind == "demo" && a.first.Demo != nil {
		err = a.first.Demo(r.Context(), d.Username, password)
	} else {
		_, err = a.tenants.CreateOrg(r.Context(), tenant.OrgParams{
			Name: d.Name, Username: d.Username, Password: password, FirstName: d.First, LastName: d.Last,
		})
	}
	if err != nil {
		var fields []string
		if re, ok := err.(*rapport.Error); ok {
			fields = re.Fields
		}
		if rapport.ErrorCode(err) == rapport.Internal || rapport.ErrorCode(err) == "" {
			a.serverError(w, r, err)
			return
		}
		d.Error = message(err)
		d.Errors = map[string]string{}
		for _, f := range fields {
			d.Errors[f] = d.Error
		}
		a.render(w, r, nil, http.StatusBadRequest, "first_run", "Set up Rapport", d)
		return
	}
	a.log.InfoContext(r.Context(), "first org created from the setup page", "kind", d.Kind)
	http.Redirect(w, r, "/login?notice="+url.QueryEscape("Your org is ready. Sign in as "+d.Username+".")+"&next=/home", http.StatusSeeOther)
}

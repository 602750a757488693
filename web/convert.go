package web

import (
	"net/http"

	"github.com/rapportcrm/rapport/metadata"
)

// canConvert reports whether the user may convert leads: create accounts,
// contacts and opportunities.
func (a *App) canConvert(s *session, sch *metadata.Schema) bool {
	for _, o := range []string{"Account", "Contact"} {
		if sch.Object(o) == nil || (s.Policy != nil && !s.Policy.Object(o).Create) {
			return false
		}
	}
	return true
}

func (a *App) convertForm(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderError(w, r, s, http.StatusNotFound, "Not yet.")
}

func (a *App) convertSubmit(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderError(w, r, s, http.StatusNotFound, "Not yet.")
}

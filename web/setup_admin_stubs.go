package web

import "net/http"

func (a *App) notYet(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderError(w, r, s, http.StatusNotImplemented, "Not yet.")
}

func (a *App) sharingPage(w http.ResponseWriter, r *http.Request, s *session)      { a.notYet(w, r, s) }
func (a *App) sharingDefaults(w http.ResponseWriter, r *http.Request, s *session)  { a.notYet(w, r, s) }
func (a *App) sharingRulesPage(w http.ResponseWriter, r *http.Request, s *session) { a.notYet(w, r, s) }
func (a *App) sharingRuleAdd(w http.ResponseWriter, r *http.Request, s *session)   { a.notYet(w, r, s) }
func (a *App) sharingRuleDelete(w http.ResponseWriter, r *http.Request, s *session) {
	a.notYet(w, r, s)
}

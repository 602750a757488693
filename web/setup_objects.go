package web

// objectManagerRoutes adds the Object Manager: objects, fields, picklist
// values, relationships and field history tracking.
func (a *App) objectManagerRoutes(admin func(pattern string, h handlerFunc)) {
}

package web

// recordRoutes adds record pages, forms and their actions.
func (a *App) recordRoutes(page func(pattern string, h handlerFunc)) {
}

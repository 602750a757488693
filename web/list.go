package web

// listRoutes adds the list views and the opportunity pipeline.
func (a *App) listRoutes(page func(pattern string, h handlerFunc)) {
}

package server

import (
	"net/http"
)

// addRoutes lists every route Rapport serves.
func addRoutes(mux *http.ServeMux, d Deps) {
	mux.HandleFunc("GET /healthz", handleHealth())
}

func handleHealth() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	}
}

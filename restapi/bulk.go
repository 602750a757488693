package restapi

import (
	"net/http"

	"github.com/rapportcrm/rapport"
)

// Bulk wraps a Bulk API 2.0 handler (package bulkapi) as REST wraps REST
// handlers (version, token, daily limit), but bounds the body at maxBody:
// data uploads are far larger than REST bodies.
func (a *API) Bulk(maxBody int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := r.Body
		a.REST(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, body, maxBody)
			next.ServeHTTP(w, r)
		})).ServeHTTP(w, r)
	})
}

// WriteError writes err as Salesforce's error array with its status, as
// every REST handler does.
func (a *API) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	a.writeError(w, r, err)
}

// ErrorCode returns Salesforce's errorCode string for a Rapport code.
func ErrorCode(code rapport.Code) string { return wireOf(code).errorCode }

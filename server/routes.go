package server

import (
	"net/http"

	"github.com/rapportcrm/rapport/restapi"
)

// addRoutes lists every route Rapport serves.
func addRoutes(mux *http.ServeMux, d Deps, api *restapi.API) {
	mux.HandleFunc("GET /healthz", handleHealth())

	// Login, OAuth 2.0 and identity.
	mux.Handle("POST /services/Soap/u/{version}", api.SOAP())
	mux.Handle("POST /services/Soap/u/{version}/{org}", api.SOAP())
	mux.Handle("POST /services/oauth2/token", api.Token())
	mux.Handle("POST /services/oauth2/revoke", api.Revoke())
	mux.Handle("GET /services/oauth2/revoke", api.Revoke())
	mux.Handle("GET /services/oauth2/userinfo", api.Session(api.UserInfo()))
	mux.Handle("POST /services/oauth2/userinfo", api.Session(api.UserInfo()))
	mux.Handle("GET /id/{org}/{user}", api.Session(api.Identity()))

	// REST: versions, then everything under /services/data/vNN.0.
	mux.Handle("GET /services/data", api.Versions())
	mux.Handle("GET /services/data/{$}", api.Versions())
	rest := func(pattern string, h http.Handler) { mux.Handle(pattern, api.REST(h)) }
	const v = "/services/data/{version}"
	rest("GET "+v, api.Resources())
	rest("GET "+v+"/{$}", api.Resources())
	rest("GET "+v+"/limits", api.Limits())

	rest("GET "+v+"/sobjects", api.DescribeGlobal())
	rest("GET "+v+"/sobjects/{$}", api.DescribeGlobal())
	rest("GET "+v+"/sobjects/{object}", api.SObjectInfo())
	rest("POST "+v+"/sobjects/{object}", api.Create())
	rest("POST "+v+"/sobjects/{object}/{$}", api.Create())
	rest("GET "+v+"/sobjects/{object}/describe", api.Describe())
	rest("GET "+v+"/sobjects/{object}/describe/{$}", api.Describe())
	rest("GET "+v+"/sobjects/{object}/updated", api.Updated())
	rest("GET "+v+"/sobjects/{object}/deleted", api.Deleted())
	rest("GET "+v+"/sobjects/{object}/{id}", api.Retrieve())
	rest("PATCH "+v+"/sobjects/{object}/{id}", api.Update())
	rest("DELETE "+v+"/sobjects/{object}/{id}", api.Delete())
	rest("POST "+v+"/sobjects/{object}/{field}", api.Create())
	rest("GET "+v+"/sobjects/{object}/{field}/{value}", api.RetrieveByExternalID())
	rest("PATCH "+v+"/sobjects/{object}/{field}/{value}", api.Upsert())

	rest("POST "+v+"/composite/sobjects", api.CollectionCreate())
	rest("PATCH "+v+"/composite/sobjects", api.CollectionUpdate())
	rest("DELETE "+v+"/composite/sobjects", api.CollectionDelete())
	rest("GET "+v+"/composite/sobjects/{object}", api.CollectionRetrieve())
	rest("POST "+v+"/composite/sobjects/{object}", api.CollectionRetrieve())
	rest("PATCH "+v+"/composite/sobjects/{object}/{field}", api.CollectionUpsert())
	rest("POST "+v+"/composite", api.Composite())
	rest("POST "+v+"/composite/batch", api.Batch())
	rest("POST "+v+"/composite/tree/{object}", api.Tree())

	rest("GET "+v+"/tooling/sobjects", api.ToolingGlobal())
	rest("POST "+v+"/tooling/sobjects/{type}", api.ToolingCreate())
	rest("GET "+v+"/tooling/sobjects/{type}", api.ToolingInfo())
	rest("GET "+v+"/tooling/query", api.ToolingQuery())

	if api.HasQuery() {
		rest("GET "+v+"/query", api.Query(false))
		rest("GET "+v+"/queryAll", api.Query(true))
		rest("GET "+v+"/query/{locator}", api.QueryMore())
		rest("GET "+v+"/queryAll/{locator}", api.QueryMore())
		rest("GET "+v+"/recent", api.Recent())
		rest("GET "+v+"/recent/{$}", api.Recent())
	}
	if api.HasSearch() {
		rest("GET "+v+"/search", api.Search())
		rest("GET "+v+"/search/{$}", api.Search())
		rest("GET "+v+"/parameterizedSearch", api.ParameterizedSearch())
		rest("GET "+v+"/parameterizedSearch/{$}", api.ParameterizedSearch())
		rest("POST "+v+"/parameterizedSearch", api.ParameterizedSearch())
		rest("POST "+v+"/parameterizedSearch/{$}", api.ParameterizedSearch())
	}

	// Bulk API 2.0: /services/data/vNN.0/jobs/ingest and /jobs/query.
	if d.Bulk != nil {
		d.Bulk.Handlers(api.WriteError).Routes(func(pattern string, h http.Handler, maxBody int64) {
			mux.Handle(pattern, api.Bulk(maxBody, h))
		})
	}
}

func handleHealth() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	}
}

// Package web is Rapport's web app for people: server-rendered HTML from
// html/template, with htmx swapping the parts of a page that change, and
// its assets (htmx, SortableJS, one stylesheet, one script) embedded in the
// binary. It calls the services the APIs call — record, query, search,
// tenant, auth — never the API over HTTP, and is generated from metadata:
// every object, standard or custom, gets list views, record pages and
// forms without code of its own.
//
// Routes (app.go lists them):
//
//	/login /logout /first-run          sign-in, sign-out, first-run setup
//	/home /search /app/{name}          home page, global search, app switcher
//	/lookup/{object}?_q=               type-ahead options of lookup fields
//	/o/{object}                        list views (list.go)
//	/o/{object}/new  /r/{id}…          forms and record pages (record.go)
//	/setup/…                           Setup (setup*.go)
//	/static/…                          embedded assets, cached by hash
//
// Conventions:
//
//   - A page handler is a handlerFunc: it runs signed in, with the
//     principal in the request's context, and gets the *session (user,
//     policy, CSRF token). Every request that is not GET or HEAD must carry
//     the session's CSRF token (form field _csrf, or header X-CSRF-Token,
//     which the layout makes htmx send).
//   - Pages are templates/NAME.html, each defining "content" (and any
//     fragments htmx asks for by name); templates/partial_*.html are
//     shared. render writes a page in the layout, renderFragment one
//     named template.
//   - Field values are shown and edited through cell (fields.go): the
//     right text, link or control for each field type, in the user's time
//     zone and currency; formValues reads a submitted form back.
//   - A domain error becomes a readable message: next to the fields it
//     names when it names any, else at the top of the form (fieldErrors),
//     or as an error page or toast (failed).
//   - Writes from a form are all-or-nothing (recordOptions).
package web

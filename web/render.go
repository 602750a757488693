package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/rapportcrm/rapport"
)

//go:embed templates
var templateFS embed.FS

//go:embed assets/app.css assets/app.js assets/favicon.svg assets/vendor
var assetFS embed.FS

// A view is what the layout renders around a page: the page's own data is
// Data.
type view struct {
	Title string
	S     *session
	Nav   *nav
	Data  any
	// Page names the page, for the body's class and the active tab.
	Page string
	// Flash is a one-line message shown once at the top of the page.
	Flash string
}

// parsePages parses every page in templates/ with the layout and the
// shared partials: each page file defines "content" (and may define
// fragments htmx asks for by name); partial_*.html files are shared by
// every page.
func (a *App) parsePages() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(a.funcs()).ParseFS(templateFS, "templates/layout.html"))
	if partials, _ := fs.Glob(templateFS, "templates/partial_*.html"); len(partials) > 0 {
		template.Must(base.ParseFS(templateFS, partials...))
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || strings.HasPrefix(name, "partial_") {
			continue
		}
		pages[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, n))
	}
	return pages
}

// render writes a whole page: the layout around the page's content.
func (a *App) render(w http.ResponseWriter, r *http.Request, s *session, status int, page, title string, data any) {
	a.renderView(w, r, status, page, &view{Title: title, S: s, Data: data, Page: page})
}

func (a *App) renderView(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	t := a.pages[page]
	if t == nil {
		a.serverError(w, r, fmt.Errorf("web: no page %q", page))
		return
	}
	if v.S != nil && v.Nav == nil {
		v.Nav = a.nav(r, v.S, v.Page)
	}
	if v.Flash == "" {
		v.Flash = r.URL.Query().Get("flash")
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		a.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderFragment writes one named template of a page, for htmx to swap
// into the page it asked from.
func (a *App) renderFragment(w http.ResponseWriter, r *http.Request, s *session, status int, page, name string, data any) {
	t := a.pages[page]
	if t == nil {
		a.serverError(w, r, fmt.Errorf("web: no page %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, &view{S: s, Data: data, Page: page}); err != nil {
		a.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorData struct {
	Status  int
	Message string
}

// renderError answers with a readable error page, or, to htmx, with the
// message alone for the page's error area.
func (a *App) renderError(w http.ResponseWriter, r *http.Request, s *session, status int, msg string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Retarget", "#toast")
		w.Header().Set("HX-Reswap", "innerHTML")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<div class="toast toast-error" role="alert">%s</div>`, template.HTMLEscapeString(msg))
		return
	}
	a.render(w, r, s, status, "error", http.StatusText(status), errorData{Status: status, Message: msg})
}

// serverError logs err and answers with a page that does not repeat it.
func (a *App) serverError(w http.ResponseWriter, r *http.Request, err error) {
	a.log.ErrorContext(r.Context(), "web request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprint(w, `<!doctype html><title>Something went wrong</title><p>Something went wrong on our side. Try again in a moment.</p>`)
}

// failed answers a request whose service call failed: a domain error as a
// readable message with its status, anything else as a server error.
func (a *App) failed(w http.ResponseWriter, r *http.Request, s *session, err error) {
	var re *rapport.Error
	if !errors.As(err, &re) || re.Code == rapport.Internal {
		a.serverError(w, r, err)
		return
	}
	a.renderError(w, r, s, statusOf(re.Code), message(err))
}

// statusOf is the HTTP status a page answers a domain error with.
func statusOf(c rapport.Code) int {
	switch c {
	case rapport.NotFound, rapport.EntityIsDeleted:
		return http.StatusNotFound
	case rapport.InsufficientAccess, rapport.InsufficientAccessCrossRef:
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}

// message is a domain error's text as a person reads it.
func message(err error) string {
	var re *rapport.Error
	if errors.As(err, &re) {
		msg := re.Message
		switch re.Code {
		case rapport.InsufficientAccess, rapport.InsufficientAccessCrossRef:
			if msg == "" {
				msg = "You don't have access to do that."
			}
		case rapport.NotFound:
			if msg == "" {
				msg = "That record was not found. It may have been deleted, or you may not have access to it."
			}
		}
		if msg != "" {
			return strings.ToUpper(msg[:1]) + msg[1:]
		}
	}
	return "Something went wrong. Try again in a moment."
}

// static serves the embedded assets. Their URLs carry a hash of their
// content, so they can be cached for good.
func (a *App) static() http.Handler {
	sub, _ := fs.Sub(assetFS, "assets")
	files := http.FileServerFS(sub)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	}))
}

// favicon answers browsers that ask for /favicon.ico with the logo.
func (a *App) favicon(w http.ResponseWriter, r *http.Request) {
	b, _ := assetFS.ReadFile("assets/favicon.svg")
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(b)
}

// assetURLs maps each asset to its URL with a content hash.
func assetURLs() map[string]string {
	out := map[string]string{}
	fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := assetFS.ReadFile(p)
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "assets/")
		out[name] = "/static/" + name + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	return out
}

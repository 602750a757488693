package restapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport"
)

// The API versions served: two-digit versions only, since the sf CLI picks
// the highest with a string comparison.
const (
	MinVersion = 31
	MaxVersion = 64
)

// parseVersion parses "v50.0" into 50.
func parseVersion(s string) (int, bool) {
	n, ok := strings.CutPrefix(s, "v")
	if !ok {
		return 0, false
	}
	return parseBareVersion(n)
}

// parseBareVersion parses "50.0" into 50.
func parseBareVersion(s string) (int, bool) {
	n, ok := strings.CutSuffix(s, ".0")
	if !ok || len(n) != 2 {
		return 0, false
	}
	v, err := strconv.Atoi(n)
	if err != nil || v < MinVersion || v > MaxVersion {
		return 0, false
	}
	return v, true
}

// releaseLabel names the release of a version: 31 is Summer '14, and three
// releases a year follow (Winter, Spring, Summer).
func releaseLabel(v int) string {
	i := v - 31
	season := [3]string{"Summer", "Winter", "Spring"}[i%3]
	year := 14 + (i+2)/3
	return fmt.Sprintf("%s '%02d", season, year)
}

// Versions serves GET /services/data: the versions, oldest first.
func (a *API) Versions() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		out := make([]object, 0, MaxVersion-MinVersion+1)
		for v := MinVersion; v <= MaxVersion; v++ {
			out = append(out, object{
				{"label", releaseLabel(v)},
				{"url", fmt.Sprintf("/services/data/v%d.0", v)},
				{"version", fmt.Sprintf("%d.0", v)},
			})
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// Resources serves GET /services/data/vNN.0: the resource map.
func (a *API) Resources() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, _ := rapport.PrincipalFrom(r.Context())
		base := "/services/data/" + r.PathValue("version") + "/"
		names := []string{"tooling", "metadata", "eclair", "folders", "prechatForms", "contact-tracing", "chatter", "payments",
			"tabs", "appMenu", "quickActions", "queryAll", "commerce", "wave", "iot", "analytics", "search", "identity",
			"composite", "parameterizedSearch", "fingerprint", "theme", "nouns", "domino", "event", "serviceTemplates",
			"recent", "connect", "licensing", "limits", "process", "async-queries", "query", "match", "emailConnect",
			"compactLayouts", "knowledgeManagement", "sobjects", "actions", "support", "jobs"}
		out := object{}
		for _, n := range names {
			if n == "identity" {
				out = append(out, member{n, a.origin(r) + "/id/" + string(p.OrgID) + "/" + string(p.UserID)})
				continue
			}
			out = append(out, member{n, base + n})
		}
		writeJSON(w, http.StatusOK, out)
	}
}

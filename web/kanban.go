package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
)

// The opportunity pipeline is a board with a column per stage, in the
// order of the StageName picklist. Open opportunities are cards; closed
// columns show the opportunities closed in the last closedDays days.
// Dragging a card to another column, or choosing a stage in its select,
// posts the stage to /o/Opportunity/{id}/stage (app.js's data-board).
const (
	// boardCap is the most cards a column shows ("+N more" beyond).
	boardCap = 200
	// closedDays is how far back closed columns look.
	closedDays = 30
)

func (a *App) kanbanRoutes(page func(pattern string, h handlerFunc)) {
	page("GET /o/Opportunity/pipeline", a.pipeline)
	page("POST /o/Opportunity/{id}/stage", a.moveStage)
}

type boardData struct {
	Scope   string // "my" or "all"
	Columns []*boardColumn
	// Stages are every stage, for each card's keyboard select.
	Stages  []metadata.PicklistValue
	CanMove bool
	Amount  *metadata.Field
	Closed  int // closedDays
	Error   string
}

type boardColumn struct {
	Value  string
	Label  string
	Closed bool
	Won    bool
	Cards  []boardCard
	Count  int
	More   int
	Total  cell
}

type boardCard struct {
	ID          rapport.ID
	Name        string
	Account     string
	AccountID   string
	Amount      cell
	CloseDate   string
	Owner       string
	OwnerAvatar string
	Stage       string
}

// stageField is Opportunity.StageName, and the object.
func (a *App) stageField(w http.ResponseWriter, r *http.Request, s *session) (*metadata.Object, *metadata.Field, bool) {
	sch, err := a.records.Schema(r.Context(), s.Principal.OrgID)
	if err != nil {
		a.serverError(w, r, err)
		return nil, nil, false
	}
	obj := sch.Object("Opportunity")
	if obj == nil || (s.Policy != nil && !s.Policy.Object(obj.Name).Read) {
		a.renderError(w, r, s, http.StatusForbidden, "You don't have access to opportunities. Ask your administrator for access.")
		return nil, nil, false
	}
	f := obj.Field("StageName")
	if f == nil || f.Picklist == nil || !readable(s, obj, f) {
		a.renderError(w, r, s, http.StatusNotFound, "Opportunities have no stages to show as a pipeline.")
		return nil, nil, false
	}
	return obj, f, true
}

// pipeline shows the board.
func (a *App) pipeline(w http.ResponseWriter, r *http.Request, s *session) {
	obj, stage, ok := a.stageField(w, r, s)
	if !ok {
		return
	}
	ctx := r.Context()
	d := boardData{Scope: "my", Closed: closedDays}
	if r.URL.Query().Get("scope") == "all" {
		d.Scope = "all"
	}
	d.CanMove = obj.Updateable && (s.Policy == nil || s.Policy.Object(obj.Name).Edit) && editable(s, obj, stage, false)
	canRead := func(name string) bool { f := obj.Field(name); return f != nil && readable(s, obj, f) }
	if canRead("Amount") {
		d.Amount = obj.Field("Amount")
	}
	since := a.now().In(s.User.Location).AddDate(0, 0, -closedDays).Format("2006-01-02")
	where := "(IsClosed = false OR CloseDate >= " + since + ")"
	if !canRead("IsClosed") || !canRead("CloseDate") {
		where = "IsClosed = false"
	}
	if d.Scope == "my" {
		where += " AND OwnerId = " + soqlString(string(s.Principal.UserID))
	}
	fields := []string{"Id", "Name", "StageName", "Owner.Name"}
	if canRead("AccountId") {
		fields = append(fields, "AccountId", "Account.Name")
	}
	if d.Amount != nil {
		fields = append(fields, "Amount")
	}
	if canRead("CloseDate") {
		fields = append(fields, "CloseDate")
	}

	byValue := map[string]*boardColumn{}
	for _, pv := range stage.Picklist.Values {
		if pv.Inactive {
			continue
		}
		d.Stages = append(d.Stages, pv)
		c := &boardColumn{Value: pv.Value, Label: labelOf(pv), Closed: pv.Closed, Won: pv.Won}
		d.Columns = append(d.Columns, c)
		byValue[strings.ToLower(pv.Value)] = c
	}
	// Counts and totals of every column in one query.
	agg := "SELECT StageName, COUNT(Id) n"
	if d.Amount != nil {
		agg += ", SUM(Amount) total"
	}
	res, err := a.query.Run(ctx, agg+" FROM Opportunity WHERE "+where+" GROUP BY StageName", query.Options{})
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	for _, rec := range res.Records {
		v, _ := rec.Get("StageName")
		c := byValue[strings.ToLower(displayString(v))]
		if c == nil {
			continue
		}
		if n, ok := rec.Get("n"); ok {
			if x, ok := number(n); ok {
				c.Count = int(x)
			}
		}
		if t, ok := rec.Get("total"); ok && d.Amount != nil {
			c.Total = newCell(s, d.Amount, t, "")
		}
	}
	for _, c := range d.Columns {
		if d.Amount != nil && c.Total.Field == nil {
			c.Total = newCell(s, d.Amount, 0.0, "")
		}
		if c.Count == 0 {
			continue
		}
		q := "SELECT " + strings.Join(fields, ", ") + " FROM Opportunity WHERE StageName = " + soqlString(c.Value) + " AND " + where +
			" ORDER BY CloseDate ASC NULLS LAST, Id LIMIT " + itoa(boardCap)
		if !canRead("CloseDate") {
			q = strings.Replace(q, "ORDER BY CloseDate ASC NULLS LAST, Id", "ORDER BY Id", 1)
		}
		res, err := a.query.Run(ctx, q, query.Options{BatchSize: boardCap})
		if err != nil {
			a.failed(w, r, s, err)
			return
		}
		for _, rec := range res.Records {
			c.Cards = append(c.Cards, a.card(s, obj, d.Amount, rec))
		}
		c.More = max(c.Count-len(c.Cards), 0)
	}
	a.render(w, r, s, http.StatusOK, "kanban", "Pipeline", d)
}

func (a *App) card(s *session, obj *metadata.Object, amount *metadata.Field, rec *query.Record) boardCard {
	str := func(path string) string {
		v, _ := pathValue(rec, path)
		if v == nil {
			return ""
		}
		return displayString(v)
	}
	c := boardCard{ID: rec.ID, Name: str("Name"), Account: str("Account.Name"), AccountID: str("AccountId"),
		Owner: str("Owner.Name"), Stage: str("StageName")}
	c.OwnerAvatar = initials(c.Owner)
	if amount != nil {
		v, _ := rec.Get("Amount")
		c.Amount = newCell(s, amount, v, "")
	}
	if v, _ := rec.Get("CloseDate"); v != nil {
		c.CloseDate = newCell(s, obj.Field("CloseDate"), v, "").text()
	}
	return c
}

// moveStage sets an opportunity's stage: a card moved on the board.
func (a *App) moveStage(w http.ResponseWriter, r *http.Request, s *session) {
	obj, stage, ok := a.stageField(w, r, s)
	if !ok {
		return
	}
	if !obj.Updateable || (s.Policy != nil && !s.Policy.Object(obj.Name).Edit) || !editable(s, obj, stage, false) {
		a.renderError(w, r, s, http.StatusForbidden, "You don't have permission to change the stage of opportunities.")
		return
	}
	id, err := rapport.ParseID(r.PathValue("id"))
	if err != nil || !strings.HasPrefix(string(id), obj.KeyPrefix) {
		a.renderError(w, r, s, http.StatusNotFound, "That opportunity was not found.")
		return
	}
	value := strings.TrimSpace(r.PostFormValue("value"))
	var pv *metadata.PicklistValue
	for i, v := range stage.Picklist.Values {
		if v.Value == value && !v.Inactive {
			pv = &stage.Picklist.Values[i]
		}
	}
	if pv == nil {
		a.renderError(w, r, s, http.StatusBadRequest, "“"+value+"” is not a stage. Choose one of the board's columns.")
		return
	}
	res, err := a.records.Update(r.Context(), obj.Name, []map[string]any{{"Id": string(id), "StageName": pv.Value}}, recordOptions())
	if err == nil && len(res) == 1 {
		err = res[0].Err
	}
	if err != nil {
		a.failed(w, r, s, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(`<div class="toast" role="status">Moved to ` + template.HTMLEscapeString(labelOf(*pv)) + `.</div>`))
}

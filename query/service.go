package query

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/soql"
)

// Batch sizes: Salesforce's default and bounds for Sforce-Query-Options.
const (
	DefaultBatchSize = 2000
	MinBatchSize     = 200
	MaxBatchSize     = 2000
	// CursorTTL is how long a locator stays valid without use.
	CursorTTL = 15 * time.Minute
	// maxCursors bounds the open cursors of one process.
	maxCursors = 10000
	// childChunk bounds the parents of one child subquery statement.
	childChunk = 1000
)

// A Store gives read access to an org's namespace.
type Store interface {
	// QueryConn returns the handle reads of the org run on and the
	// qualifier of its table names.
	QueryConn(ctx context.Context, org rapport.ID) (*sql.DB, string, error)
}

// A SchemaSource returns an org's metadata (record.Service is one).
type SchemaSource interface {
	Schema(ctx context.Context, org rapport.ID) (*metadata.Schema, error)
}

// Config configures a Service; zero values take defaults.
type Config struct {
	Now    func() time.Time
	Access Access
	Logger *slog.Logger
}

// Service runs SOQL for the principals in its callers' contexts.
type Service struct {
	store   Store
	d       Dialect
	schemas SchemaSource
	cfg     Config

	mu       sync.Mutex
	cursors  map[string]*cursor
	settings map[string]settingsEntry
}

// NewService returns a query service.
func NewService(store Store, d Dialect, schemas SchemaSource, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Access == nil {
		cfg.Access = AllowAll{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, d: d, schemas: schemas, cfg: cfg, cursors: map[string]*cursor{}, settings: map[string]settingsEntry{}}
}

// Options change how a query runs.
type Options struct {
	// BatchSize is the most records of one page: 200 to 2000 (default).
	BatchSize int
	// All includes deleted records, as queryAll and ALL ROWS do.
	All bool
}

func (o Options) batch() int {
	switch {
	case o.BatchSize <= 0:
		return DefaultBatchSize
	case o.BatchSize < MinBatchSize:
		return MinBatchSize
	case o.BatchSize > MaxBatchSize:
		return MaxBatchSize
	}
	return o.BatchSize
}

// prepared is a bound query ready to compile.
type prepared struct {
	env    *env
	p      *plan
	db     *sql.DB
	prefix string
	org    rapport.ID
}

// prepare parses and binds src for the principal in ctx.
func (s *Service) prepare(ctx context.Context, src string) (*prepared, error) {
	pr, ok := rapport.PrincipalFrom(ctx)
	if !ok || pr.OrgID == "" {
		return nil, errors.New("query: no principal in context")
	}
	q, err := soql.Parse(src)
	if err != nil {
		var se *soql.Error
		if errors.As(err, &se) {
			return nil, &rapport.Error{Code: rapport.MalformedQuery, Message: se.SalesforceMessage()}
		}
		return nil, &rapport.Error{Code: rapport.MalformedQuery, Message: err.Error()}
	}
	sch, err := s.schemas.Schema(ctx, pr.OrgID)
	if err != nil {
		return nil, err
	}
	db, prefix, err := s.store.QueryConn(ctx, pr.OrgID)
	if err != nil {
		return nil, err
	}
	set, err := s.settingsFor(ctx, db, prefix, sch, pr)
	if err != nil {
		return nil, err
	}
	e := &env{ctx: ctx, src: src, sch: sch, access: s.cfg.Access, now: s.cfg.Now().In(set.loc), fiscal: set.fiscal, tz: set.loc.String(), principal: pr}
	p, err := e.bindQuery(q)
	if err != nil {
		return nil, err
	}
	return &prepared{env: e, p: p, db: db, prefix: prefix, org: pr.OrgID}, nil
}

func (s *Service) compiler(pq *prepared) *compiler {
	return &compiler{d: s.d, prefix: pq.prefix, env: pq.env}
}

// Compile returns the SQL of src's first page and its arguments, for tests
// and explanations.
func (s *Service) Compile(ctx context.Context, src string, opt Options) (string, []any, error) {
	pq, err := s.prepare(ctx, src)
	if err != nil {
		return "", nil, err
	}
	if opt.All {
		pq.p.allRows = true
	}
	c := s.compiler(pq)
	switch {
	case pq.p.countOnly:
		return c.count(pq.p), c.args, nil
	case pq.p.aggregate:
		return c.aggregate(pq.p), c.args, nil
	}
	return c.records(pq.p, firstPageLimit(pq.p, opt.batch()), pq.p.offset), c.args, nil
}

func firstPageLimit(p *plan, batch int) int64 {
	if p.limit >= 0 && p.limit <= int64(batch) {
		return p.limit
	}
	return int64(batch) + 1
}

// Run runs a query and returns its first page.
func (s *Service) Run(ctx context.Context, src string, opt Options) (*Result, error) {
	pq, err := s.prepare(ctx, src)
	if err != nil {
		return nil, err
	}
	if opt.All {
		pq.p.allRows = true
	}
	p := pq.p
	switch {
	case p.countOnly:
		return s.runCount(ctx, pq)
	case p.aggregate:
		return s.runAggregate(ctx, pq)
	}
	batch := opt.batch()
	c := s.compiler(pq)
	rows, err := s.fetchC(ctx, pq.db, c, c.records(p, firstPageLimit(p, batch), p.offset), p.cols)
	if err != nil {
		return nil, err
	}
	res := &Result{Done: true, TotalSize: len(rows)}
	if len(rows) > batch {
		rows = rows[:batch]
		// More than a page: take the whole result's Ids now, so that
		// pages are a consistent snapshot and totalSize is exact.
		c := s.compiler(pq)
		idRows, err := s.fetchC(ctx, pq.db, c, c.ids(p), []column{{storage: metadata.StoreID}})
		if err != nil {
			return nil, err
		}
		ids := make([]rapport.ID, len(idRows))
		for i, r := range idRows {
			ids[i] = r[0].(rapport.ID)
		}
		res.TotalSize = len(ids)
		if len(ids) > batch {
			res.Done = false
			res.Locator = s.openCursor(pq, ids, batch)
		}
	}
	res.Records, err = s.shape(ctx, pq, rows)
	return res, err
}

// More returns the page a locator names.
func (s *Service) More(ctx context.Context, locator string) (*Result, error) {
	pr, ok := rapport.PrincipalFrom(ctx)
	if !ok {
		return nil, errors.New("query: no principal in context")
	}
	invalid := rapport.Errorf(rapport.InvalidQueryLocator, "invalid query locator")
	id, offStr, ok := strings.Cut(locator, "-")
	off, err := strconv.Atoi(offStr)
	if !ok || err != nil || off < 0 {
		return nil, invalid
	}
	s.mu.Lock()
	cur := s.cursors[id]
	now := s.cfg.Now()
	if cur != nil && now.Sub(cur.used) > CursorTTL {
		delete(s.cursors, id)
		cur = nil
	}
	if cur != nil {
		cur.used = now
	}
	s.mu.Unlock()
	if cur == nil || cur.org != pr.OrgID || cur.user != pr.UserID || off >= len(cur.ids) {
		return nil, invalid
	}
	end := min(off+cur.batch, len(cur.ids))
	page := cur.ids[off:end]
	pq := cur.pq
	pq.env.ctx = ctx
	c := s.compiler(pq)
	rows, err := s.fetchC(ctx, pq.db, c, c.byIDs(pq.p, page), pq.p.cols)
	if err != nil {
		return nil, err
	}
	// Put the rows back in the cursor's order; rows deleted since are
	// left out.
	byID := make(map[rapport.ID][]any, len(rows))
	for _, r := range rows {
		byID[r[0].(rapport.ID)] = r
	}
	ordered := make([][]any, 0, len(page))
	for _, id := range page {
		if r := byID[id]; r != nil {
			ordered = append(ordered, r)
		}
	}
	res := &Result{TotalSize: len(cur.ids), Done: end >= len(cur.ids)}
	if !res.Done {
		res.Locator = id + "-" + strconv.Itoa(end)
	} else {
		s.mu.Lock()
		delete(s.cursors, id)
		s.mu.Unlock()
	}
	res.Records, err = s.shape(ctx, pq, ordered)
	return res, err
}

// A cursor holds the Ids of a result larger than one page.
type cursor struct {
	pq    *prepared
	org   rapport.ID
	user  rapport.ID
	ids   []rapport.ID
	batch int
	used  time.Time
}

func (s *Service) openCursor(pq *prepared, ids []rapport.ID, batch int) string {
	var raw [9]byte
	rand.Read(raw[:])
	id := "01g" + strings.ToUpper(fmt.Sprintf("%x", raw[:]))[:15]
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cursors) >= maxCursors {
		// Drop expired cursors, then the least recently used.
		var oldest string
		for k, c := range s.cursors {
			if now.Sub(c.used) > CursorTTL {
				delete(s.cursors, k)
			} else if oldest == "" || c.used.Before(s.cursors[oldest].used) {
				oldest = k
			}
		}
		if len(s.cursors) >= maxCursors && oldest != "" {
			delete(s.cursors, oldest)
		}
	}
	s.cursors[id] = &cursor{pq: pq, org: pq.org, user: pq.env.principal.UserID, ids: ids, batch: batch, used: now}
	return id + "-" + strconv.Itoa(batch)
}

func (s *Service) runCount(ctx context.Context, pq *prepared) (*Result, error) {
	c := s.compiler(pq)
	rows, err := s.fetchC(ctx, pq.db, c, c.count(pq.p), []column{{storage: metadata.StoreDecimal, count: true}})
	if err != nil {
		return nil, err
	}
	n := rows[0][0].(int64)
	if pq.p.offset > 0 {
		n = max(0, n-pq.p.offset)
	}
	if pq.p.limit >= 0 && n > pq.p.limit {
		n = pq.p.limit
	}
	return &Result{TotalSize: int(n), Done: true, Records: []*Record{}}, nil
}

// maxAggregateRows is the most rows an aggregate query returns: it cannot
// page.
const maxAggregateRows = 2000

func (s *Service) runAggregate(ctx context.Context, pq *prepared) (*Result, error) {
	p := pq.p
	c := s.compiler(pq)
	cols := make([]column, len(p.out))
	for i, n := range p.out {
		k := n.aggOp.kind()
		cols[i] = column{storage: k.storage, count: k.count}
	}
	rows, err := s.fetchC(ctx, pq.db, c, c.aggregate(p), cols)
	if err != nil {
		return nil, err
	}
	if len(rows) > maxAggregateRows {
		return nil, rapport.Errorf(rapport.MalformedQuery, "Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch")
	}
	res := &Result{TotalSize: len(rows), Done: true, Records: make([]*Record, len(rows))}
	for i, r := range rows {
		rec := &Record{Type: "AggregateResult", Fields: make([]Value, len(p.out))}
		for j, n := range p.out {
			rec.Fields[j] = Value{Name: n.name, Field: n.field, Value: r[j]}
		}
		res.Records[i] = rec
	}
	return res, nil
}

// fetchC runs a statement the compiler c wrote, unless writing it failed.
func (s *Service) fetchC(ctx context.Context, db *sql.DB, c *compiler, q string, cols []column) ([][]any, error) {
	if c.err != nil {
		return nil, c.err
	}
	return s.fetch(ctx, db, q, c.args, cols)
}

// fetch runs a statement and decodes its rows by cols.
func (s *Service) fetch(ctx context.Context, db *sql.DB, q string, args []any, cols []column) ([][]any, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	n := len(cols)
	var out [][]any
	for rows.Next() {
		raw := make([]any, n)
		ptrs := make([]any, n)
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("query: scan: %w", err)
		}
		for i, col := range cols {
			if col.count {
				raw[i] = toInt(raw[i])
				continue
			}
			v, err := s.d.Decode(col.storage, raw[i])
			if err != nil {
				return nil, fmt.Errorf("query: column %d: %w", i, err)
			}
			raw[i] = v
		}
		out = append(out, raw)
	}
	return out, rows.Err()
}

func toInt(v any) any {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case []byte:
		n, _ := strconv.ParseInt(string(x), 10, 64)
		return n
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return v
}

// shape builds the records of a page, with their child subqueries.
func (s *Service) shape(ctx context.Context, pq *prepared, rows [][]any) ([]*Record, error) {
	p := pq.p
	children, err := s.runChildren(ctx, pq, p, rows)
	if err != nil {
		return nil, err
	}
	out := make([]*Record, len(rows))
	for i, r := range rows {
		id := r[0].(rapport.ID)
		out[i] = &Record{Type: p.root.Name, ID: id, Fields: s.values(pq, p.out, r, id, children)}
	}
	return out, nil
}

// runChildren runs each child subquery for the page's parents and returns
// the results by subquery and parent.
func (s *Service) runChildren(ctx context.Context, pq *prepared, p *plan, rows [][]any) (map[*childPlan]map[rapport.ID]*Result, error) {
	if len(p.children) == 0 || len(rows) == 0 {
		return nil, nil
	}
	parents := make([]rapport.ID, len(rows))
	for i, r := range rows {
		parents[i] = r[0].(rapport.ID)
	}
	out := map[*childPlan]map[rapport.ID]*Result{}
	for _, cp := range p.children {
		byParent := map[rapport.ID]*Result{}
		cols := append(append([]column(nil), cp.p.cols...), column{storage: metadata.StoreID})
		for lo := 0; lo < len(parents); lo += childChunk {
			hi := min(lo+childChunk, len(parents))
			c := s.compiler(pq)
			q := c.children(cp, parents[lo:hi])
			extra := cols
			if cp.p.limit >= 0 || cp.p.offset > 0 {
				extra = append(extra, column{storage: metadata.StoreDecimal, count: true}) // rn
			}
			kids, err := s.fetchC(ctx, pq.db, c, q, extra)
			if err != nil {
				return nil, err
			}
			for _, k := range kids {
				parent := k[len(cp.p.cols)].(rapport.ID)
				res := byParent[parent]
				if res == nil {
					res = &Result{Done: true}
					byParent[parent] = res
				}
				id := k[0].(rapport.ID)
				res.Records = append(res.Records, &Record{Type: cp.p.root.Name, ID: id, Fields: s.values(pq, cp.p.out, k, id, nil)})
				res.TotalSize++
			}
		}
		out[cp] = byParent
	}
	return out, nil
}

// values builds the keys of one record from a row.
func (s *Service) values(pq *prepared, nodes []*node, row []any, id rapport.ID, children map[*childPlan]map[rapport.ID]*Result) []Value {
	out := make([]Value, 0, len(nodes))
	for _, n := range nodes {
		switch {
		case n.child != nil:
			var v any
			if res := children[n.child][id]; res != nil {
				v = res
			} else {
				v = (*Result)(nil)
			}
			out = append(out, Value{Name: n.name, Value: v})
		case n.rel:
			pid, _ := row[n.idCol].(rapport.ID)
			if pid == "" {
				out = append(out, Value{Name: n.name, Field: n.field, Value: (*Record)(nil)})
				continue
			}
			typ := ""
			if o := pq.env.sch.ByPrefix(pid.Prefix()); o != nil {
				typ = o.Name
			}
			fields := n.fields
			if n.typeOf != nil {
				var ok bool
				if fields, ok = n.typeOf[typ]; !ok {
					fields = n.typeElse
				}
			}
			out = append(out, Value{Name: n.name, Field: n.field, Value: &Record{Type: typ, ID: pid, Fields: s.values(pq, fields, row, pid, nil)}})
		default:
			out = append(out, Value{Name: n.name, Field: n.field, Value: post(n, row[n.col])})
		}
	}
	return out
}

// post applies toLabel() and FORMAT() to a value.
func post(n *node, v any) any {
	if v == nil || n.post == "" || n.field == nil {
		return v
	}
	switch n.post {
	case "tolabel":
		if s, ok := v.(string); ok && n.field.Picklist != nil {
			parts := strings.Split(s, ";")
			for i, p := range parts {
				if pv, ok := n.field.Picklist.Lookup(p); ok {
					parts[i] = pv.DisplayLabel()
				}
			}
			return strings.Join(parts, ";")
		}
	case "format":
		return formatValue(n.field, v)
	}
	return v
}

// formatValue renders a value as FORMAT() does, in the en_US style.
func formatValue(f *metadata.Field, v any) any {
	switch x := v.(type) {
	case float64:
		s := strconv.FormatFloat(x, 'f', f.Scale, 64)
		s = groupThousands(s)
		switch f.Type {
		case metadata.TypeCurrency:
			return "$" + s
		case metadata.TypePercent:
			return s + "%"
		}
		return s
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.UTC().Format("1/2/2006 3:04 PM")
	case string:
		if f.Type == metadata.TypeDate {
			if t, err := time.Parse("2006-01-02", x); err == nil {
				return t.Format("1/2/2006")
			}
		}
	}
	return v
}

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

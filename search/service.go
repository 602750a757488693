package search

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"unicode/utf8"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/soql"
	"github.com/rapportcrm/rapport/sosl"
)

// Limits Salesforce sets on a search.
const (
	// MaxLimit is the most records a search returns, and the largest
	// LIMIT; a larger LIMIT is read as MaxLimit.
	MaxLimit = 2000
	// MaxOffset is the largest OFFSET.
	MaxOffset = 2000
	// MaxTermLength is the longest term searched for; a longer one finds
	// nothing.
	MaxTermLength = 10_000
	// DefaultMaxMatches is Config.MaxMatches unless set.
	DefaultMaxMatches = 2000
)

// An Index finds records by their words: the org's live records, by key
// prefix, whose text matches term in scope, among the objects of prefixes,
// best match first, at most limit of each prefix. sqlstore.DB is one.
type Index interface {
	Search(ctx context.Context, org rapport.ID, term sosl.Term, scope sosl.Scope, prefixes []string, limit int) (map[string][]rapport.ID, error)
}

// A Querier runs SOQL for the principal in ctx; query.Service is one.
type Querier interface {
	Run(ctx context.Context, soql string, opt query.Options) (*query.Result, error)
}

// Config configures a Service; zero values take defaults.
type Config struct {
	// Access decides which objects the principal may search (CanRead);
	// the query service, with the same Access, decides which fields and
	// records they see.
	Access query.Access
	// MaxMatches is how many matches of one object, the most relevant,
	// a search considers: its WHERE, ORDER BY, LIMIT and OFFSET apply to
	// those. At most DefaultMaxMatches, which is the default.
	MaxMatches int
	Logger     *slog.Logger
}

// Service runs SOSL searches for the principals in its callers' contexts.
type Service struct {
	index   Index
	q       Querier
	schemas query.SchemaSource
	cfg     Config
}

// NewService returns a search service over an index, with q fetching the
// records found.
func NewService(index Index, q Querier, schemas query.SchemaSource, cfg Config) *Service {
	if cfg.Access == nil {
		cfg.Access = query.AllowAll{}
	}
	if cfg.MaxMatches <= 0 || cfg.MaxMatches > DefaultMaxMatches {
		cfg.MaxMatches = DefaultMaxMatches
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{index: index, q: q, schemas: schemas, cfg: cfg}
}

// Search parses SOSL and runs it.
func (s *Service) Search(ctx context.Context, src string) ([]*query.Record, error) {
	se, err := sosl.Parse(src)
	if err != nil {
		return nil, malformed(err)
	}
	return s.Run(ctx, se)
}

// Parameterized runs a parameterized search.
func (s *Service) Parameterized(ctx context.Context, ps *sosl.Parameterized) ([]*query.Record, error) {
	se, err := sosl.FromParameterized(ps)
	if err != nil {
		return nil, malformed(err)
	}
	return s.Run(ctx, se)
}

// malformed turns a syntax error into MALFORMED_SEARCH.
func malformed(err error) error {
	var e *sosl.Error
	if errors.As(err, &e) {
		if e.Pos.IsValid() {
			return &rapport.Error{Code: rapport.MalformedSearch, Message: e.SalesforceMessage()}
		}
		return &rapport.Error{Code: rapport.MalformedSearch, Message: e.Msg}
	}
	return &rapport.Error{Code: rapport.MalformedSearch, Message: err.Error()}
}

// A target is one object a search returns records of.
type target struct {
	obj *metadata.Object
	r   *sosl.Returning
}

// Run runs a parsed search and returns the records of every RETURNING
// object in one list: the objects in RETURNING order (without RETURNING,
// every searchable object the principal may read, by name, with its Id
// only), each object's records by relevance unless it has ORDER BY. The
// fields, conditions and sort of each object go through the query service,
// so that field and record access apply as they do to SOQL.
func (s *Service) Run(ctx context.Context, se *sosl.Search) ([]*query.Record, error) {
	pr, ok := rapport.PrincipalFrom(ctx)
	if !ok || pr.OrgID == "" {
		return nil, errors.New("search: no principal in context")
	}
	if termChars(se.Term) < 2 {
		return nil, rapport.Errorf(rapport.InvalidSearch, "search term must be longer than one character")
	}
	if utf8.RuneCountInString(se.Term.String()) > MaxTermLength {
		return []*query.Record{}, nil
	}
	limit := int64(MaxLimit)
	if se.Limit != nil {
		limit = min(limit, se.Limit.Value)
	}
	sch, err := s.schemas.Schema(ctx, pr.OrgID)
	if err != nil {
		return nil, err
	}
	targets, err := s.targets(ctx, sch, se)
	if err != nil {
		return nil, err
	}
	out := []*query.Record{}
	for _, t := range targets {
		left := limit - int64(len(out))
		if left <= 0 {
			break
		}
		recs, err := s.fetch(ctx, pr.OrgID, se, t, left)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	s.cfg.Logger.DebugContext(ctx, "search run", "objects", len(targets), "records", len(out))
	return out, nil
}

// termChars counts the letters and digits of a term's words.
func termChars(t sosl.Term) int {
	switch x := t.(type) {
	case *sosl.Word:
		return countWordRunes(x.Value)
	case *sosl.Phrase:
		return countWordRunes(x.Value)
	case *sosl.AndTerm:
		n := 0
		for _, y := range x.Terms {
			n += termChars(y)
		}
		return n
	case *sosl.OrTerm:
		n := 0
		for _, y := range x.Terms {
			n += termChars(y)
		}
		return n
	case *sosl.NotTerm:
		return termChars(x.X)
	}
	return 0
}

func countWordRunes(s string) int {
	n := 0
	for _, w := range sosl.Tokens(s) {
		n += utf8.RuneCountInString(w)
	}
	return n
}

// targets resolves the objects a search returns.
func (s *Service) targets(ctx context.Context, sch *metadata.Schema, se *sosl.Search) ([]target, error) {
	if len(se.Returning) == 0 {
		var out []target
		for _, obj := range sch.Objects() {
			if obj.Searchable && s.cfg.Access.CanRead(ctx, obj) == nil {
				out = append(out, target{obj: obj, r: &sosl.Returning{Object: soql.Ident{Name: obj.Name}}})
			}
		}
		return out, nil
	}
	out := make([]target, 0, len(se.Returning))
	for _, r := range se.Returning {
		obj := sch.Object(r.Object.Name)
		if obj == nil || s.cfg.Access.CanRead(ctx, obj) != nil {
			return nil, rapport.Errorf(rapport.InvalidType, "sObject type '%s' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", r.Object.Name)
		}
		if !obj.Searchable {
			return nil, rapport.Errorf(rapport.InvalidType, "entity type %s does not support search", obj.Name)
		}
		if r.Offset != nil && r.Offset.Value > MaxOffset {
			return nil, rapport.Errorf(rapport.NumberOutsideValidRange, "Maximum SOSL offset allowed is %d", MaxOffset)
		}
		out = append(out, target{obj: obj, r: r})
	}
	return out, nil
}

// firstMatches is the fewest matches asked of the index for an object
// whose records come by relevance.
const firstMatches = 100

// fetch returns the records of one object that match the search, at most
// most of them.
func (s *Service) fetch(ctx context.Context, org rapport.ID, se *sosl.Search, t target, most int64) ([]*query.Record, error) {
	r := t.r
	limit := most
	if r.Limit != nil {
		limit = min(limit, r.Limit.Value)
	}
	var offset int64
	if r.Offset != nil {
		offset = r.Offset.Value
	}
	// With ORDER BY every match counts; by relevance, the best ones first
	// and more only if the WHERE and record access leave too few.
	k := s.cfg.MaxMatches
	if len(r.OrderBy) == 0 {
		k = min(k, max(2*int(offset+limit), firstMatches))
	}
	var ids []rapport.ID
	if limit > 0 {
		hits, err := s.index.Search(ctx, org, se.Term, se.Scope, []string{t.obj.KeyPrefix}, k)
		if err != nil {
			return nil, err
		}
		ids = hits[t.obj.KeyPrefix]
	}
	if len(ids) == 0 {
		// Nothing to return, but the fields and conditions must still
		// be valid: bind them to a query that reads no row.
		if r.Lparen.IsValid() {
			if _, err := s.run(ctx, soqlFor(t.obj, r, nil, -1, -1)); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	if len(r.OrderBy) > 0 {
		return s.run(ctx, soqlFor(t.obj, r, ids, limit, offset))
	}

	// By relevance: read the matches in rank order, a chunk at a time,
	// until the page is full, asking the index for more while it may have
	// them.
	need := int(offset + limit)
	var got []*query.Record
	seen := make(map[rapport.ID]bool, len(ids))
	size := max(need, 50)
	for {
		var next []rapport.ID
		for _, id := range ids {
			if !seen[id] {
				next = append(next, id)
			}
		}
		for lo := 0; lo < len(next) && len(got) < need; {
			hi := min(lo+size, len(next))
			chunk := next[lo:hi]
			recs, err := s.run(ctx, soqlFor(t.obj, r, chunk, -1, -1))
			if err != nil {
				return nil, err
			}
			rank := make(map[rapport.ID]int, len(chunk))
			for i, id := range chunk {
				rank[id] = i
				seen[id] = true
			}
			slices.SortFunc(recs, func(a, b *query.Record) int { return rank[a.ID] - rank[b.ID] })
			got = append(got, recs...)
			lo, size = hi, size*2
		}
		if len(got) >= need || len(ids) < k || k >= s.cfg.MaxMatches {
			break
		}
		k = min(s.cfg.MaxMatches, 4*k)
		hits, err := s.index.Search(ctx, org, se.Term, se.Scope, []string{t.obj.KeyPrefix}, k)
		if err != nil {
			return nil, err
		}
		ids = hits[t.obj.KeyPrefix]
	}
	if int64(len(got)) <= offset {
		return nil, nil
	}
	got = got[offset:]
	if int64(len(got)) > limit {
		got = got[:limit]
	}
	return got, nil
}

// run runs one object's query, reporting its syntax errors as SOSL's.
func (s *Service) run(ctx context.Context, src string) ([]*query.Record, error) {
	res, err := s.q.Run(ctx, src, query.Options{BatchSize: query.MaxBatchSize})
	if err != nil {
		var re *rapport.Error
		if errors.As(err, &re) && re.Code == rapport.MalformedQuery {
			return nil, &rapport.Error{Code: rapport.MalformedSearch, Message: re.Message, Fields: re.Fields}
		}
		return nil, err
	}
	return res.Records, nil
}

// soqlFor writes the SOQL query of one RETURNING object over ids: its
// fields (Id if none), its WHERE and the ids, its ORDER BY, and limit and
// offset unless negative. With no ids it reads nothing.
func soqlFor(obj *metadata.Object, r *sosl.Returning, ids []rapport.ID, limit, offset int64) string {
	idPath := &soql.FieldPath{Segments: []string{metadata.FieldID}}
	q := &soql.Query{From: soql.From{Object: soql.Ident{Name: obj.Name}}, Fields: r.Fields, OrderBy: r.OrderBy}
	if len(q.Fields) == 0 {
		q.Fields = []soql.SelectItem{idPath}
	}
	var byID soql.Cond
	if len(ids) == 0 {
		byID = &soql.Comparison{Left: idPath, Op: soql.EQ, Value: &soql.NullLit{}}
	} else {
		in := &soql.InExpr{Left: idPath, Values: make([]soql.Expr, len(ids))}
		for i, id := range ids {
			lit := soql.Quote(string(id))
			in.Values[i] = &soql.StringLit{Raw: lit[1 : len(lit)-1], Value: string(id)}
		}
		byID = in
	}
	q.Where = byID
	if r.Where != nil {
		q.Where = &soql.AndExpr{Conds: []soql.Cond{r.Where, byID}}
	}
	if limit >= 0 {
		q.Limit = &soql.IntLit{Value: limit}
	}
	if offset > 0 {
		q.Offset = &soql.IntLit{Value: offset}
	}
	return q.String()
}

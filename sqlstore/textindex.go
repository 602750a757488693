package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/sosl"
)

// The full-text index of SOSL. Each namespace has a table _search with one
// row per live record of a searchable object that has text to find:
//
//	_search (docid, id, prefix, name, email, phone, other)
//
// prefix is the key prefix of the record's object; name, email, phone and
// other hold the words (see sosl.Normalize) of its name field, its email
// fields, its phone fields and its other text fields. docid, for a
// backend that asks for it, is a number whose high bits are the key prefix
// (see SearchDocRange), so that it can narrow a search to one object by a
// range of numbers. The backend makes the table searchable (an FTS5 table over it in SQLite, a
// tsvector column with a GIN index in PostgreSQL) and writes the
// statement that searches it.
//
// The index changes in the transaction of every write: Insert adds rows,
// Update rewrites a record's row when a field it holds changed, SetDeleted
// takes records out and puts undeleted ones back, Delete removes them, and
// dropping an object removes its rows. Records that existed before the
// index are added once, when the org is migrated.

// A SearchBackend is a Backend that can keep and search the full-text
// index. Both backends can; with a backend that cannot, no index is kept
// and Search fails.
type SearchBackend interface {
	Backend
	// SearchSchema returns the statements that create the table _search,
	// qualified by p, and whatever makes it searchable. The table has the
	// columns docid (a 64-bit integer, unique if SearchDocIDs), id
	// (text, unique), prefix, name, email, phone and other, all text, the
	// last four NOT NULL DEFAULT ''.
	SearchSchema(p string) []string
	// SearchDocIDs reports whether the backend narrows a search to an
	// object by a range of docids, which then number each object's rows
	// within its range (see SearchDocRange); otherwise every docid is 0.
	SearchDocIDs() bool
	// SearchMatch returns a statement selecting id and prefix (and, with
	// texts set, name, email, phone and other) of the rows of p's _search
	// that match m in column col ("" for every column) and whose prefix is
	// one of prefixes, best match first within each prefix, and at most
	// limit rows of each prefix unless limit is 0.
	SearchMatch(p string, m *Match, col string, prefixes []string, limit int, texts bool) (string, []any)
}

// docSeqBits is how many low bits of a docid number the records of one
// key prefix; the bits above hold the prefix.
const docSeqBits = 44

// SearchDocRange returns the first and last docid a record of the key
// prefix can have.
func SearchDocRange(prefix string) (lo, hi int64) {
	n := int64(0)
	for i := 0; i < len(prefix) && i < 3; i++ {
		n = n*62 + int64(base62Digit(prefix[i]))
	}
	return n << docSeqBits, n<<docSeqBits | (1<<docSeqBits - 1)
}

func base62Digit(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 10
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 36
	}
	return 0
}

// MatchOp is the kind of a Match.
type MatchOp int

// The kinds of Match.
const (
	MatchPhrase MatchOp = iota // Words in a row, in one column
	MatchAnd                   // every Args and none of Not
	MatchOr                    // one of Args
)

// A Match is a full-text condition lowered from a SOSL term, for a backend
// to render: a phrase of one or more words, or AND and OR of matches.
type Match struct {
	Op MatchOp
	// Words of a phrase, each a word of the index possibly with the
	// wildcards * and ? (see sosl.Patterns and MatchWord).
	Words []string
	// Args of AND and OR; Not of AND, whose matches it excludes.
	Args []*Match
	Not  []*Match
}

// MatchWord says how a backend matches one word of a phrase: text exactly,
// or every word that starts with text when prefix is set. A word whose
// only wildcard is a final * is its prefix; for any other wildcard the
// text before the first one is used as a prefix, and Search then checks
// the rows it found against the whole pattern.
func MatchWord(w string) (text string, prefix bool) {
	i := strings.IndexAny(w, "*?")
	if i < 0 {
		return w, false
	}
	return w[:i], true
}

// lowerTerm lowers a SOSL term to a Match, or nil if it holds no word.
func lowerTerm(t sosl.Term) *Match {
	switch x := t.(type) {
	case *sosl.Word:
		return phrase(x.Value)
	case *sosl.Phrase:
		return phrase(x.Value)
	case *sosl.AndTerm:
		m := &Match{Op: MatchAnd}
		for _, y := range x.Terms {
			if n, ok := y.(*sosl.NotTerm); ok {
				if l := lowerTerm(n.X); l != nil {
					m.Not = append(m.Not, l)
				}
			} else if l := lowerTerm(y); l != nil {
				m.Args = append(m.Args, l)
			}
		}
		switch {
		case len(m.Args) == 0:
			return nil
		case len(m.Args) == 1 && len(m.Not) == 0:
			return m.Args[0]
		}
		return m
	case *sosl.OrTerm:
		m := &Match{Op: MatchOr}
		for _, y := range x.Terms {
			if l := lowerTerm(y); l != nil {
				m.Args = append(m.Args, l)
			}
		}
		switch len(m.Args) {
		case 0:
			return nil
		case 1:
			return m.Args[0]
		}
		return m
	case *sosl.NotTerm:
		return nil // only inside an AndTerm
	}
	return nil
}

func phrase(value string) *Match {
	words := sosl.Patterns(value)
	if len(words) == 0 {
		return nil
	}
	return &Match{Op: MatchPhrase, Words: words}
}

// exact reports whether the backend's match is exact: no word has a
// wildcard other than a final *.
func (m *Match) exact() bool {
	for _, w := range m.Words {
		if i := strings.IndexAny(w, "*?"); i >= 0 && strings.Trim(w[i:], "*") != "" {
			return false
		}
	}
	for _, a := range m.Args {
		if !a.exact() {
			return false
		}
	}
	for _, n := range m.Not {
		if !n.exact() {
			return false
		}
	}
	return true
}

// eval reports whether the words of cols, one list per column searched,
// satisfy m.
func (m *Match) eval(cols [][]string) bool {
	switch m.Op {
	case MatchPhrase:
		for _, col := range cols {
			for i := 0; i+len(m.Words) <= len(col); i++ {
				ok := true
				for j, w := range m.Words {
					if !sosl.MatchPattern(w, col[i+j]) {
						ok = false
						break
					}
				}
				if ok {
					return true
				}
			}
		}
		return false
	case MatchAnd:
		for _, a := range m.Args {
			if !a.eval(cols) {
				return false
			}
		}
		for _, n := range m.Not {
			if n.eval(cols) {
				return false
			}
		}
		return true
	case MatchOr:
		for _, a := range m.Args {
			if a.eval(cols) {
				return true
			}
		}
	}
	return false
}

// verifyLimit bounds the rows of one prefix read to check a pattern that
// the backend matched by its prefix only.
const verifyLimit = 50_000

// scopeColumn is the index column a scope searches; "" for all of them.
func scopeColumn(s sosl.Scope) string {
	switch s {
	case sosl.ScopeName:
		return "name"
	case sosl.ScopeEmail:
		return "email"
	case sosl.ScopePhone:
		return "phone"
	}
	return ""
}

// Search returns, by key prefix, the IDs of the org's records whose text
// matches term in scope, among the objects of prefixes: the best matches
// first, at most limit of each prefix.
func (db *DB) Search(ctx context.Context, org rapport.ID, term sosl.Term, scope sosl.Scope, prefixes []string, limit int) (map[string][]rapport.ID, error) {
	sb, ok := db.b.(SearchBackend)
	if !ok {
		return nil, fmt.Errorf("search: the %s backend keeps no search index", db.b.Name())
	}
	out := map[string][]rapport.ID{}
	m := lowerTerm(term)
	if m == nil || len(prefixes) == 0 || limit <= 0 {
		return out, nil
	}
	ns, err := db.namespace(ctx, org)
	if err != nil {
		return nil, err
	}
	col := scopeColumn(scope)
	exact := m.exact()
	sqlLimit := limit
	if !exact {
		sqlLimit = verifyLimit
	}
	q, args := sb.SearchMatch(ns.Prefix, m, col, prefixes, sqlLimit, !exact)
	rows, err := ns.Reader.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, prefix string
		if exact {
			if err := rows.Scan(&id, &prefix); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
		} else {
			var name, email, phone, other string
			if err := rows.Scan(&id, &prefix, &name, &email, &phone, &other); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			if len(out[prefix]) >= limit || !m.eval(scopeWords(col, name, email, phone, other)) {
				continue
			}
		}
		out[prefix] = append(out[prefix], rapport.ID(id))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// scopeWords splits the index columns a search looks in into words.
func scopeWords(col, name, email, phone, other string) [][]string {
	switch col {
	case "name":
		return [][]string{strings.Fields(name)}
	case "email":
		return [][]string{strings.Fields(email)}
	case "phone":
		return [][]string{strings.Fields(phone)}
	}
	return [][]string{strings.Fields(name), strings.Fields(email), strings.Fields(phone), strings.Fields(other)}
}

// ----------------------------------------------------------------------------
// What the index holds

// maxFieldText is how much of one field's text the index holds, and
// maxColumnText how much of all the fields of one index column: the rest
// of a long text area is not searched.
const (
	maxFieldText  = 32 << 10
	maxColumnText = 256 << 10
)

// indexPlan says which fields of an object go to which index column.
type indexPlan struct {
	name, email, phone, other []*metadata.Field
}

func (p *indexPlan) fields() []*metadata.Field {
	out := make([]*metadata.Field, 0, len(p.name)+len(p.email)+len(p.phone)+len(p.other))
	out = append(out, p.name...)
	out = append(out, p.email...)
	out = append(out, p.phone...)
	return append(out, p.other...)
}

// planIndex returns what the index holds of obj's records, or nil if obj
// is not searchable or the backend keeps no index.
func (t *tx) planIndex(obj *metadata.Object) *indexPlan {
	if _, ok := t.db.b.(SearchBackend); !ok || !obj.Searchable {
		return nil
	}
	p := &indexPlan{}
	for _, f := range obj.Fields {
		if f.Deleted || !f.Stored() || f.System {
			continue
		}
		switch {
		case f.NameField || f.Name == obj.NameField:
			if f.Storage() == metadata.StoreText {
				p.name = append(p.name, f)
			}
		case f.Compound != "" && f.Compound == obj.NameField:
			// A part of the name (FirstName): the name holds it.
		case f.Type == metadata.TypeEmail:
			p.email = append(p.email, f)
		case f.Type == metadata.TypePhone:
			p.phone = append(p.phone, f)
		case f.Type.IsText():
			p.other = append(p.other, f)
		}
	}
	return p
}

// A doc is the index row of one record.
type doc struct {
	id                        rapport.ID
	name, email, phone, other string
}

func (d *doc) empty() bool { return d.name == "" && d.email == "" && d.phone == "" && d.other == "" }

// docOf builds the index row of a record from its values, which value
// returns by field.
func (p *indexPlan) docOf(id rapport.ID, value func(*metadata.Field) any) doc {
	d := doc{id: id}
	d.name = p.words(p.name, value, false)
	d.email = p.words(p.email, value, false)
	d.phone = p.words(p.phone, value, true)
	d.other = p.words(p.other, value, false)
	return d
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// words returns the index words of fields' values. Phone numbers are also
// held with their digits run together, so that 4155551212 finds
// (415) 555-1212.
func (p *indexPlan) words(fields []*metadata.Field, value func(*metadata.Field) any, phone bool) string {
	var b strings.Builder
	for _, f := range fields {
		s, _ := value(f).(string)
		if s == "" {
			continue
		}
		if b.Len() >= maxColumnText {
			break
		}
		if len(s) > maxFieldText {
			cut := maxFieldText
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			s = s[:cut]
		}
		if f.Type == metadata.TypeHTML {
			s = htmlTag.ReplaceAllString(s, " ")
		}
		w := sosl.Normalize(s)
		if w == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if phone && strings.IndexByte(w, ' ') > 0 {
			if digits := strings.ReplaceAll(w, " ", ""); isDigits(digits) {
				b.WriteByte(' ')
				b.WriteString(digits)
			}
		}
	}
	return b.String()
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ----------------------------------------------------------------------------
// Keeping the index current

// writeDocs adds or replaces the index rows of docs, and removes the rows
// of records whose doc is empty.
func (t *tx) writeDocs(ctx context.Context, obj *metadata.Object, docs []doc) error {
	var gone []rapport.ID
	live := docs[:0:0]
	for _, d := range docs {
		if d.empty() {
			gone = append(gone, d.id)
		} else {
			live = append(live, d)
		}
	}
	if err := t.unindex(ctx, gone); err != nil {
		return err
	}
	const n = 7
	tbl := t.own("_search")
	numbered := t.db.b.(SearchBackend).SearchDocIDs()
	base, _ := SearchDocRange(obj.KeyPrefix)
	return chunk(len(live), min(500, t.db.b.MaxParams()/n), func(lo, hi int) error {
		// New rows take the next numbers of the object's range; a row
		// that exists keeps its docid.
		var seq int64
		if numbered {
			var err error
			if seq, err = t.Next(ctx, "search:"+obj.KeyPrefix, 1, int64(hi-lo)); err != nil {
				return err
			}
		}
		var b strings.Builder
		b.WriteString("INSERT INTO " + tbl + " (docid, id, prefix, name, email, phone, other) VALUES ")
		args := make([]any, 0, (hi-lo)*n)
		for i, d := range live[lo:hi] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + t.params(i*n+1, n) + ")")
			docid := int64(0)
			if numbered {
				docid = base | (seq + int64(i))
			}
			args = append(args, docid, string(d.id), obj.KeyPrefix, d.name, d.email, d.phone, d.other)
		}
		b.WriteString(" ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone, other = excluded.other")
		if _, err := t.q.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("index %s: %w", obj.Name, err)
		}
		return nil
	})
}

// unindex removes the index rows of records.
func (t *tx) unindex(ctx context.Context, ids []rapport.ID) error {
	return chunk(len(ids), t.db.b.MaxParams()/2, func(lo, hi int) error {
		_, err := t.q.ExecContext(ctx, "DELETE FROM "+t.own("_search")+" WHERE id IN ("+t.params(1, hi-lo)+")", idArgs(ids[lo:hi])...)
		if err != nil {
			return fmt.Errorf("unindex: %w", err)
		}
		return nil
	})
}

// indexInserted indexes rows just inserted.
func (t *tx) indexInserted(ctx context.Context, obj *metadata.Object, fields []*metadata.Field, rows [][]any) error {
	p := t.planIndex(obj)
	if p == nil {
		return nil
	}
	at := make(map[*metadata.Field]int, len(fields))
	idAt, deletedAt := -1, -1
	for i, f := range fields {
		at[f] = i
		switch f.Column {
		case metadata.ColID:
			idAt = i
		case metadata.ColIsDeleted:
			deletedAt = i
		}
	}
	if idAt < 0 {
		return fmt.Errorf("index %s: inserted rows have no Id", obj.Name)
	}
	docs := make([]doc, 0, len(rows))
	for _, row := range rows {
		if deletedAt >= 0 && row[deletedAt] == true {
			continue
		}
		id, _ := row[idAt].(rapport.ID)
		if s, ok := row[idAt].(string); ok {
			id = rapport.ID(s)
		}
		d := p.docOf(id, func(f *metadata.Field) any {
			if i, ok := at[f]; ok {
				return row[i]
			}
			return nil
		})
		if !d.empty() {
			docs = append(docs, d)
		}
	}
	return t.writeDocs(ctx, obj, docs)
}

// indexUpdated rewrites a record's index row if a field it holds changed.
func (t *tx) indexUpdated(ctx context.Context, obj *metadata.Object, id rapport.ID, changed []*metadata.Field) error {
	p := t.planIndex(obj)
	if p == nil {
		return nil
	}
	for _, f := range p.fields() {
		for _, c := range changed {
			if c == f || c.Column == f.Column {
				return t.reindex(ctx, obj, p, []rapport.ID{id})
			}
		}
	}
	return nil
}

// indexDeleted takes records out of the index, or puts undeleted ones
// back.
func (t *tx) indexDeleted(ctx context.Context, obj *metadata.Object, ids []rapport.ID, deleted bool) error {
	p := t.planIndex(obj)
	switch {
	case p == nil:
		return nil
	case deleted:
		return t.unindex(ctx, ids)
	}
	return t.reindex(ctx, obj, p, ids)
}

// indexRemoved forgets records deleted for good.
func (t *tx) indexRemoved(ctx context.Context, obj *metadata.Object, ids []rapport.ID) error {
	if t.planIndex(obj) == nil {
		return nil
	}
	return t.unindex(ctx, ids)
}

// unindexObject forgets every record of an object being dropped.
func (t *tx) unindexObject(ctx context.Context, obj *metadata.Object) error {
	if _, ok := t.db.b.(SearchBackend); !ok {
		return nil
	}
	_, err := t.q.ExecContext(ctx, "DELETE FROM "+t.own("_search")+" WHERE prefix = "+t.ph(1), obj.KeyPrefix)
	return err
}

// reindex rebuilds the index rows of records from their stored values;
// deleted records leave the index.
func (t *tx) reindex(ctx context.Context, obj *metadata.Object, p *indexPlan, ids []rapport.ID) error {
	idField, delField := obj.AnyField(metadata.FieldID), obj.AnyField(metadata.FieldIsDeleted)
	if idField == nil || delField == nil {
		return fmt.Errorf("index %s: no Id or IsDeleted field", obj.Name)
	}
	fields := append([]*metadata.Field{idField, delField}, p.fields()...)
	rows, err := t.Rows(ctx, obj, fields, ids)
	if err != nil {
		return err
	}
	found := make(map[rapport.ID]bool, len(rows))
	docs := make([]doc, 0, len(ids))
	for _, row := range rows {
		id, _ := row[0].(rapport.ID)
		found[id] = true
		if row[1] == true {
			docs = append(docs, doc{id: id})
			continue
		}
		docs = append(docs, p.docOf(id, valueIn(fields, row)))
	}
	for _, id := range ids {
		if !found[id] {
			docs = append(docs, doc{id: id})
		}
	}
	return t.writeDocs(ctx, obj, docs)
}

// valueIn returns a lookup of a row's values by field.
func valueIn(fields []*metadata.Field, row []any) func(*metadata.Field) any {
	return func(f *metadata.Field) any {
		for i, g := range fields {
			if g == f {
				return row[i]
			}
		}
		return nil
	}
}

// ----------------------------------------------------------------------------
// The index of records that existed before it

// metaSearchBackfill is the _meta key present while an org's existing
// records still have to be indexed.
const metaSearchBackfill = "search_backfill"

// The index's migration goes after every other. security.go appends its
// own in an init function, and init functions run in file name order:
// this file is named to come after it.
// searchMigration creates the index and marks the org's records for
// indexing, which backfillSearch does once every migration has run.
func searchMigration(b Backend, p string) []string {
	sb, ok := b.(SearchBackend)
	if !ok {
		return nil
	}
	return append(sb.SearchSchema(p), "INSERT INTO "+p+"_meta (key, value) VALUES ('"+metaSearchBackfill+"', 1)")
}

// backfillChunk is how many records one statement of the backfill reads.
const backfillChunk = 1000

// backfillSearch indexes the live records of every searchable object, in
// one transaction, if the org's records are marked for it.
func (db *DB) backfillSearch(ctx context.Context, org rapport.ID, ns *Namespace) error {
	if _, ok := db.b.(SearchBackend); !ok {
		return nil
	}
	var pending int64
	err := ns.Writer.QueryRowContext(ctx, "SELECT value FROM "+ns.Prefix+"_meta WHERE key = "+db.b.Placeholder(1), metaSearchBackfill).Scan(&pending)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("index org %s: %w", org, err)
	}
	sch, err := db.LoadSchema(ctx, org)
	if err != nil {
		return fmt.Errorf("index org %s: %w", org, err)
	}
	n := 0
	err = db.Write(ctx, org, func(rt record.Tx) error {
		t := rt.(*tx)
		for _, obj := range sch.Objects() {
			p := t.planIndex(obj)
			if p == nil {
				continue
			}
			k, err := t.indexAll(ctx, obj, p)
			if err != nil {
				return err
			}
			n += k
		}
		_, err := t.q.ExecContext(ctx, "DELETE FROM "+t.own("_meta")+" WHERE key = "+t.ph(1), metaSearchBackfill)
		return err
	})
	if err != nil {
		return fmt.Errorf("index org %s: %w", org, err)
	}
	db.log.InfoContext(ctx, "org records indexed for search", "org_id", org, "records", n)
	return nil
}

// indexAll indexes every live record of obj and returns how many it read.
func (t *tx) indexAll(ctx context.Context, obj *metadata.Object, p *indexPlan) (int, error) {
	idField := obj.AnyField(metadata.FieldID)
	if idField == nil {
		return 0, fmt.Errorf("index %s: no Id field", obj.Name)
	}
	fields := append([]*metadata.Field{idField}, p.fields()...)
	q := "SELECT " + columns(fields) + " FROM " + t.table(obj) + " WHERE NOT is_deleted AND id > " + t.ph(1) + " ORDER BY id LIMIT " + fmt.Sprint(backfillChunk)
	last, n := "", 0
	for {
		rows, err := t.q.QueryContext(ctx, q, last)
		if err != nil {
			return n, fmt.Errorf("index %s: %w", obj.Name, err)
		}
		rs, err := t.scanRows(rows, fields)
		if err != nil {
			return n, fmt.Errorf("index %s: %w", obj.Name, err)
		}
		docs := make([]doc, 0, len(rs))
		for _, row := range rs {
			id, _ := row[0].(rapport.ID)
			last = string(id)
			if d := p.docOf(id, valueIn(fields, row)); !d.empty() {
				docs = append(docs, d)
			}
		}
		if err := t.writeDocs(ctx, obj, docs); err != nil {
			return n, err
		}
		n += len(rs)
		if len(rs) < backfillChunk {
			return n, nil
		}
	}
}

package postgres

import (
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/sqlstore"
)

// The full-text index (see package sqlstore): _search holds the words of
// each record and a generated tsvector of them under a GIN index, each
// column's words weighted (name A, email B, phone C, other D). The words
// arrive normalized (lower case, no diacritics, letters apart from digits),
// which the 'simple' configuration keeps as they are. Between columns the
// vector skips 1,000 positions (a filler word, then taken out), so that no
// phrase runs from one column into the next. A search is a tsquery built
// here from words, never parsed from user text.

// gap is the tsvector put between two columns' vectors: concatenation
// shifts the right one past the filler's position, and ts_delete then
// removes the filler, which no search can name.
const gap = " || '_:1000'::tsvector || "

// SearchSchema implements sqlstore.SearchBackend.
func (b *Backend) SearchSchema(p string) []string {
	return []string{
		"CREATE TABLE " + p + "_search (docid bigint NOT NULL, id text PRIMARY KEY, prefix text NOT NULL, " +
			"name text NOT NULL DEFAULT '', email text NOT NULL DEFAULT '', phone text NOT NULL DEFAULT '', other text NOT NULL DEFAULT '', " +
			"doc tsvector GENERATED ALWAYS AS (ts_delete(" +
			"setweight(to_tsvector('simple', name), 'A')" + gap + "setweight(to_tsvector('simple', email), 'B')" + gap +
			"setweight(to_tsvector('simple', phone), 'C')" + gap + "setweight(to_tsvector('simple', other), 'D'), '_')) STORED)",
		// A pending list of 1 MB, not 4: GIN batches new entries there,
		// which makes writes cheaper, but every search reads all of it
		// (4 MB made a one-word search take 8 ms instead of 0.02; 128 kB
		// made loading twice as slow).
		"CREATE INDEX _search_doc ON " + p + "_search USING gin (doc) WITH (gin_pending_list_limit = 1024)",
	}
}

// SearchDocIDs implements sqlstore.SearchBackend: a search is narrowed to
// an object by its prefix column, and docid is always 0.
func (b *Backend) SearchDocIDs() bool { return false }

// weights are the tsvector weights of the index columns.
var weights = map[string]string{"name": "A", "email": "B", "phone": "C"}

// SearchMatch implements sqlstore.SearchBackend: for each prefix, the rows
// whose vector matches the tsquery, ranked by ts_rank.
func (b *Backend) SearchMatch(p string, m *sqlstore.Match, col string, prefixes []string, limit int, texts bool) (string, []any) {
	args := []any{tsQuery(m, weights[col])}
	sel := "id, prefix"
	if texts {
		sel += ", name, email, phone, other"
	}
	tail := ""
	if limit > 0 {
		tail = " LIMIT " + strconv.Itoa(limit)
	}
	branches := make([]string, len(prefixes))
	for i, pr := range prefixes {
		args = append(args, pr)
		branches[i] = "(SELECT " + sel + ", ts_rank(doc, $1::tsquery) AS score FROM " + p + "_search" +
			" WHERE doc @@ $1::tsquery AND prefix = " + b.Placeholder(i+2) + " ORDER BY score DESC, id" + tail + ")"
	}
	return "SELECT " + sel + " FROM (" + strings.Join(branches, " UNION ALL ") + ") m ORDER BY prefix, score DESC, id", args
}

// tsQuery renders a match as tsquery text: lexemes in quotes, :* after a
// prefix, the weight letter of the column searched, <-> between the words
// of a phrase, & ! | and parentheses.
func tsQuery(m *sqlstore.Match, weight string) string {
	switch m.Op {
	case sqlstore.MatchPhrase:
		parts := make([]string, len(m.Words))
		for i, w := range m.Words {
			text, prefix := sqlstore.MatchWord(w)
			lex := "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(text) + "'"
			switch {
			case prefix:
				lex += ":*" + weight
			case weight != "":
				lex += ":" + weight
			}
			parts[i] = lex
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "(" + strings.Join(parts, " <-> ") + ")"
	case sqlstore.MatchAnd:
		expr := "(" + join(m.Args, " & ", weight)
		for _, n := range m.Not {
			expr += " & !" + tsQuery(n, weight)
		}
		return expr + ")"
	case sqlstore.MatchOr:
		return "(" + join(m.Args, " | ", weight) + ")"
	}
	return "''"
}

func join(ms []*sqlstore.Match, op, weight string) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = tsQuery(m, weight)
	}
	return strings.Join(parts, op)
}

package postgres

import (
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/sqlstore"
)

// The full-text index (see package sqlstore): _search holds the words of
// each record and a generated tsvector of them under a GIN index. The
// words arrive normalized (lower case, no diacritics, one space apart), so
// the vector is built from them directly, not by a text search parser:
// each word at its position in its column, weighted by column (name A,
// email B, phone C, other D), and each column's positions 4,096 apart so
// that no phrase runs from one column into the next. A search is a tsquery
// built here from words, never parsed from user text.

// SearchSchema implements sqlstore.SearchBackend.
func (b *Backend) SearchSchema(p string) []string {
	return []string{
		"CREATE FUNCTION " + p + "_search_vector(name text, email text, phone text, other text) RETURNS tsvector " +
			"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ " +
			"SELECT coalesce(string_agg(quote_literal(w) || ':' || ((c - 1) * 4096 + least(i, 4095)) || wt, ' '), '')::tsvector " +
			"FROM (VALUES (1, name, 'A'), (2, email, 'B'), (3, phone, 'C'), (4, other, 'D')) AS col (c, txt, wt), " +
			"unnest(string_to_array(nullif(txt, ''), ' ')) WITH ORDINALITY AS u (w, i) " +
			"WHERE octet_length(w) < 2047 $$",
		"CREATE TABLE " + p + "_search (id text PRIMARY KEY, prefix text NOT NULL, " +
			"name text NOT NULL DEFAULT '', email text NOT NULL DEFAULT '', phone text NOT NULL DEFAULT '', other text NOT NULL DEFAULT '', " +
			"doc tsvector GENERATED ALWAYS AS (" + p + "_search_vector(name, email, phone, other)) STORED)",
		"CREATE INDEX _search_doc ON " + p + "_search USING gin (doc)",
	}
}

// weights are the tsvector weights of the index columns.
var weights = map[string]string{"name": "A", "email": "B", "phone": "C"}

// SearchMatch implements sqlstore.SearchBackend with a tsquery ranked by
// ts_rank.
func (b *Backend) SearchMatch(p string, m *sqlstore.Match, col string, prefixes []string, limit int, texts bool) (string, []any) {
	args := []any{tsQuery(m, weights[col])}
	marks := make([]string, len(prefixes))
	for i, pr := range prefixes {
		args = append(args, pr)
		marks[i] = b.Placeholder(i + 2)
	}
	sel := "id, prefix"
	if texts {
		sel += ", name, email, phone, other"
	}
	inner := "SELECT " + sel + ", row_number() OVER (PARTITION BY prefix ORDER BY ts_rank(doc, $1::tsquery) DESC, id) AS rn FROM " + p + "_search" +
		" WHERE doc @@ $1::tsquery AND prefix IN (" + strings.Join(marks, ", ") + ")"
	q := "SELECT " + sel + " FROM (" + inner + ") m"
	if limit > 0 {
		q += " WHERE rn <= " + strconv.Itoa(limit)
	}
	return q + " ORDER BY prefix, rn", args
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

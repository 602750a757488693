package sqlite

import (
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/sqlstore"
)

// The full-text index (see package sqlstore): _search holds the words of
// each record, and _search_fts, an FTS5 table over it (external content),
// indexes them. Triggers keep the FTS5 table in step with every insert,
// update and delete of _search. The words arrive normalized (lower case,
// no diacritics), so the tokenizer only splits at the spaces.

// SearchSchema implements sqlstore.SearchBackend.
func (b *Backend) SearchSchema(p string) []string {
	cols := "name, email, phone, other"
	newCols := "new.docid, new.name, new.email, new.phone, new.other"
	oldCols := "old.docid, old.name, old.email, old.phone, old.other"
	return []string{
		"CREATE TABLE " + p + "_search (docid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, " +
			"name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '', other TEXT NOT NULL DEFAULT '')",
		"CREATE VIRTUAL TABLE " + p + "_search_fts USING fts5(" + cols + ", content='_search', content_rowid='docid', " +
			"tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
		"CREATE TRIGGER " + p + "_search_ai AFTER INSERT ON _search BEGIN " +
			"INSERT INTO _search_fts (rowid, " + cols + ") VALUES (" + newCols + "); END",
		"CREATE TRIGGER " + p + "_search_ad AFTER DELETE ON _search BEGIN " +
			"INSERT INTO _search_fts (_search_fts, rowid, " + cols + ") VALUES ('delete', " + oldCols + "); END",
		"CREATE TRIGGER " + p + "_search_au AFTER UPDATE ON _search BEGIN " +
			"INSERT INTO _search_fts (_search_fts, rowid, " + cols + ") VALUES ('delete', " + oldCols + "); " +
			"INSERT INTO _search_fts (rowid, " + cols + ") VALUES (" + newCols + "); END",
	}
}

// bm25Weights rank a match in the name above one in an email address or
// phone number, and those above one in other text.
const bm25Weights = "10.0, 4.0, 2.0, 1.0"

// SearchMatch implements sqlstore.SearchBackend with an FTS5 query ranked
// by bm25.
func (b *Backend) SearchMatch(p string, m *sqlstore.Match, col string, prefixes []string, limit int, texts bool) (string, []any) {
	expr := ftsQuery(m)
	if col != "" {
		expr = col + " : (" + expr + ")"
	}
	args := []any{expr}
	marks := make([]string, len(prefixes))
	for i, pr := range prefixes {
		args = append(args, pr)
		marks[i] = b.Placeholder(i + 2)
	}
	sel := "s.id, s.prefix"
	if texts {
		sel += ", s.name, s.email, s.phone, s.other"
	}
	match := "SELECT " + sel + ", bm25(_search_fts, " + bm25Weights + ") AS score FROM " + p + "_search_fts JOIN " + p + "_search s ON s.docid = _search_fts.rowid" +
		" WHERE _search_fts MATCH ?1 AND s.prefix IN (" + strings.Join(marks, ", ") + ")"
	outer := strings.ReplaceAll(sel, "s.", "")
	if limit <= 0 {
		return "SELECT " + outer + " FROM (" + match + ") ORDER BY prefix, score, id", args
	}
	return "SELECT " + outer + " FROM (SELECT *, row_number() OVER (PARTITION BY prefix ORDER BY score, id) AS rn FROM (" + match + "))" +
		" WHERE rn <= " + strconv.Itoa(limit) + " ORDER BY prefix, rn", args
}

// ftsQuery renders a match in FTS5's query syntax. Words are quoted
// strings, a prefix is followed by *, and the words of a phrase are joined
// by +.
func ftsQuery(m *sqlstore.Match) string {
	switch m.Op {
	case sqlstore.MatchPhrase:
		parts := make([]string, len(m.Words))
		for i, w := range m.Words {
			text, prefix := sqlstore.MatchWord(w)
			parts[i] = `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
			if prefix {
				parts[i] += " *"
			}
		}
		return strings.Join(parts, " + ")
	case sqlstore.MatchAnd:
		expr := "(" + join(m.Args, " AND ") + ")"
		if len(m.Not) > 0 {
			expr = "(" + expr + " NOT (" + join(m.Not, " OR ") + "))"
		}
		return expr
	case sqlstore.MatchOr:
		return "(" + join(m.Args, " OR ") + ")"
	}
	return `""`
}

func join(ms []*sqlstore.Match, op string) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = ftsQuery(m)
	}
	return strings.Join(parts, op)
}

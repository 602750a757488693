package sqlite

import (
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/sqlstore"
)

// The full-text index (see package sqlstore): _search holds the words of
// each record, and _search_fts, an FTS5 table over it (external content,
// rowid docid), indexes them. Triggers keep the FTS5 table in step with
// every insert, update and delete of _search. The words arrive normalized
// (lower case, no diacritics), so the tokenizer only splits at the spaces.
// A search is narrowed to an object by the range of its docids, which FTS5
// applies as it reads the index.

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
		// rank is bm25 with a match in the name above one in an email
		// address or phone number, and those above one in other text.
		"INSERT INTO " + p + "_search_fts (_search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 2.0, 1.0)')",
		"CREATE TRIGGER " + p + "_search_ai AFTER INSERT ON _search BEGIN " +
			"INSERT INTO _search_fts (rowid, " + cols + ") VALUES (" + newCols + "); END",
		"CREATE TRIGGER " + p + "_search_ad AFTER DELETE ON _search BEGIN " +
			"INSERT INTO _search_fts (_search_fts, rowid, " + cols + ") VALUES ('delete', " + oldCols + "); END",
		"CREATE TRIGGER " + p + "_search_au AFTER UPDATE ON _search BEGIN " +
			"INSERT INTO _search_fts (_search_fts, rowid, " + cols + ") VALUES ('delete', " + oldCols + "); " +
			"INSERT INTO _search_fts (rowid, " + cols + ") VALUES (" + newCols + "); END",
	}
}

// SearchDocIDs implements sqlstore.SearchBackend: FTS5 narrows a search
// to an object by the range of its docids.
func (b *Backend) SearchDocIDs() bool { return true }

// SearchMatch implements sqlstore.SearchBackend: for each prefix, an FTS5
// query for the term within the prefix's docids, ranked by bm25, and only
// the best rows joined to _search for their Ids.
func (b *Backend) SearchMatch(p string, m *sqlstore.Match, col string, prefixes []string, limit int, texts bool) (string, []any) {
	expr := ftsQuery(m)
	if col != "" {
		expr = col + " : (" + expr + ")"
	}
	sel := "s.id, s.prefix"
	if texts {
		sel += ", s.name, s.email, s.phone, s.other"
	}
	tail := ""
	if limit > 0 {
		tail = " LIMIT " + strconv.Itoa(limit)
	}
	args := []any{expr}
	branches := make([]string, len(prefixes))
	for i, pr := range prefixes {
		lo, hi := sqlstore.SearchDocRange(pr)
		args = append(args, lo, hi)
		branches[i] = "SELECT " + sel + ", f.score FROM (SELECT rowid AS docid, rank AS score FROM " + p + "_search_fts" +
			" WHERE _search_fts MATCH ?1 AND rowid >= " + b.Placeholder(2*i+2) + " AND rowid <= " + b.Placeholder(2*i+3) +
			" ORDER BY rank" + tail + ") f JOIN " + p + "_search s ON s.docid = f.docid"
	}
	outer := strings.ReplaceAll(sel, "s.", "")
	return "SELECT " + outer + " FROM (" + strings.Join(branches, " UNION ALL ") + ") ORDER BY prefix, score, id", args
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

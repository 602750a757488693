package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"

	"modernc.org/sqlite"
)

// driverName is the database/sql driver Rapport opens SQLite with: the
// modernc.org/sqlite driver behind a rewrite of bind markers.
const driverName = "rapport-sqlite"

// init wraps the driver registered as "sqlite", which holds the functions
// registerFunctions adds (they are registered on that instance).
func init() {
	db, err := sql.Open("sqlite", "")
	if err != nil {
		panic("sqlite: " + err.Error())
	}
	d := db.Driver().(*sqlite.Driver)
	db.Close()
	sql.Register(driverName, markerDriver{d})
}

// The driver binds each parameter by looking its name up in a list, so a
// statement with n numbered markers (?1 … ?n) costs n² to bind: seconds for
// the multi-row INSERTs of a bulk load. Statements whose markers are
// exactly ?1, ?2, … ?n in order of appearance mean the same with anonymous
// markers, which bind in constant time: markerDriver rewrites them so.
type markerDriver struct{ d *sqlite.Driver }

func (m markerDriver) Open(name string) (driver.Conn, error) {
	c, err := m.d.Open(name)
	if err != nil {
		return nil, err
	}
	return &markerConn{c}, nil
}

// markerConn forwards to the driver's connection, rewriting queries.
type markerConn struct{ driver.Conn }

type fullConn interface {
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

func (c *markerConn) full() fullConn { return c.Conn.(fullConn) }

func (c *markerConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.full().PrepareContext(ctx, anonymous(query))
}

func (c *markerConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(anonymous(query))
}

func (c *markerConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.full().BeginTx(ctx, opts)
}

func (c *markerConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.full().ExecContext(ctx, anonymous(query), args)
}

func (c *markerConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.full().QueryContext(ctx, anonymous(query), args)
}

func (c *markerConn) Ping(ctx context.Context) error { return c.full().Ping(ctx) }

func (c *markerConn) ResetSession(ctx context.Context) error { return c.full().ResetSession(ctx) }

func (c *markerConn) IsValid() bool { return c.full().IsValid() }

// anonymous returns query with its markers ?1 … ?n made anonymous when they
// appear exactly in that order outside quotes, and query unchanged
// otherwise (a marker used twice, or out of order, keeps its number).
func anonymous(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query))
	next := 1
	for i := 0; i < len(query); {
		c := query[i]
		switch c {
		case '\'', '"':
			end := strings.IndexByte(query[i+1:], c)
			if end < 0 {
				return query
			}
			b.WriteString(query[i : i+end+2])
			i += end + 2
			continue
		case '?':
			j := i + 1
			n := 0
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				n = n*10 + int(query[j]-'0')
				j++
			}
			if j == i+1 || n != next {
				return query
			}
			next++
			b.WriteByte('?')
			i = j
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

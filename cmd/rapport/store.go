package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/postgres"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/search"
	"github.com/rapportcrm/rapport/sqlite"
	"github.com/rapportcrm/rapport/sqlstore"
	"github.com/rapportcrm/rapport/tenant"
)

// defaultData is the data directory used when neither a flag nor the
// environment names the store.
const defaultData = "./rapport-data"

// storeFlags are the flags that say where the store is.
type storeFlags struct {
	data, database string
}

func addStoreFlags(cmd *cobra.Command, sf *storeFlags) {
	cmd.Flags().StringVar(&sf.data, "data", "", "data directory of the embedded SQLite store (default $RAPPORT_DATA, else "+defaultData+")")
	cmd.Flags().StringVar(&sf.database, "database", "", "URL of a PostgreSQL database, postgres://user@host:5432/name (default $RAPPORT_DATABASE)")
}

// A location is where the store is: a SQLite data directory or a
// PostgreSQL URL, and the flag or variable that said so.
type location struct {
	data     string
	database string
	source   string // "--data", "RAPPORT_DATABASE", …; "" for the default
}

// location resolves the store's location: a flag, else its environment
// variable, else the default data directory.
func (a *app) location(cmd *cobra.Command, sf *storeFlags) (location, error) {
	fl := cmd.Flags()
	var loc location
	switch data, db := fl.Changed("data"), fl.Changed("database"); {
	case data && db:
		return loc, usagef("--data and --database cannot be used together")
	case data:
		if sf.data == "" {
			return loc, usagef("--data needs a directory")
		}
		loc = location{data: sf.data, source: "--data"}
	case db:
		loc = location{database: sf.database, source: "--database"}
	default:
		data, db := a.getenv("RAPPORT_DATA"), a.getenv("RAPPORT_DATABASE")
		switch {
		case data != "" && db != "":
			return loc, usagef("RAPPORT_DATA and RAPPORT_DATABASE cannot both be set")
		case data != "":
			loc = location{data: data, source: "RAPPORT_DATA"}
		case db != "":
			loc = location{database: db, source: "RAPPORT_DATABASE"}
		default:
			loc = location{data: defaultData}
		}
	}
	if loc.source == "--database" || loc.source == "RAPPORT_DATABASE" {
		// The URL may hold a password: it is never repeated in a message.
		u, err := url.Parse(loc.database)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			return loc, usagef("%s must be a PostgreSQL URL such as postgres://user@host:5432/rapport", loc.source)
		}
	}
	return loc, nil
}

// redacted is the location as it may be shown and logged: without the
// database password.
func (l location) redacted() string {
	if l.database == "" {
		return l.data
	}
	u, err := url.Parse(l.database)
	if err != nil {
		return "(unreadable URL)"
	}
	return u.Redacted()
}

// A store is the opened store and the services the commands use.
type store struct {
	db      *sqlstore.DB
	records *record.Service
	tenants *tenant.Service
	queries *query.Service
	// searches runs SOSL over the store's full-text index.
	searches *search.Service
}

// backend is what both store backends are: a SQL backend and a SOQL dialect.
type storeBackend interface {
	sqlstore.Backend
	query.Dialect
}

// open opens the store at loc. With existing set, a SQLite data directory
// must exist already: commands that only read or add to a store do not
// create one at a mistyped path.
func (a *app) open(ctx context.Context, loc location, existing bool) (*store, error) {
	var b storeBackend
	if loc.database != "" {
		b = postgres.New(loc.database)
	} else {
		if existing {
			if _, err := os.Stat(loc.data); errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("there is no data directory %s: give --data the one rapport serve or rapport org create made", loc.data)
			}
		}
		sb, err := sqlite.New(loc.data)
		if err != nil {
			return nil, err
		}
		b = sb
	}
	db, err := sqlstore.Open(ctx, b, a.log)
	if err != nil {
		return nil, err
	}
	records := record.NewService(db, record.Options{Logger: a.log})
	queries := query.NewService(db, b, records, query.Config{Logger: a.log, Access: record.Access{S: records}})
	searches := search.NewService(db, queries, records, search.Config{Logger: a.log, Access: record.Access{S: records}})
	return &store{db: db, records: records, tenants: tenant.NewService(db, records, nil, a.log), queries: queries, searches: searches}, nil
}

// close closes the store, logging a failure: by then the command's result
// is out.
func (a *app) close(ctx context.Context, st *store) {
	if err := st.db.Close(); err != nil {
		a.log.ErrorContext(ctx, "close store", "error", err)
	}
}

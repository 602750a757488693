package main

import (
	"context"
	"fmt"
	"net/url"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/demo"
)

// defaultSeed is the seed of rapport demo's generated data.
const defaultSeed = 2018

func (a *app) demoCommand() *cobra.Command {
	var sf storeFlags
	var opt demo.Options
	cmd := &cobra.Command{
		Use:   "demo [--attendees N] [--username EMAIL] [--password PW]",
		Short: "Create a demo org full of sample data",
		Long: `Demo creates a new org and fills it with a story and the data around it:
Dreamforce 2018, a conference for 170,000 visitors, with its speakers and
--attendees generated attendees (each a contact and a campaign member); the
multi-million contract with U.S. Customs and Border Protection; Demand
Progress's protest against it; the $250,000 donation RAICES returned, and
the emails about it; and a sales team's accounts, contacts, opportunities,
leads, cases, tasks and events, owned by demo users in a role hierarchy.

It prints how to sign in: the administrator's username and password, and
those of the other demo users (a Standard User sales team, a Marketing
User and a Read Only user), who share the password. Without --username the
administrator is demo@rapport.example, or demo+2@… and so on if taken;
without --password one is made up. --password - reads it from stdin.

The same --seed gives the same names, companies, amounts and dates
(relative to today).`,
		Example: `  rapport demo
  rapport demo --attendees 170000 --database postgres://rapport@db.internal:5432/rapport`,
		RunE: a.action(func(ctx context.Context, cmd *cobra.Command) error {
			loc, err := a.location(cmd, &sf)
			if err != nil {
				return err
			}
			if opt.Attendees < 1 || opt.Attendees > demo.MaxAttendees {
				return usagef("--attendees must be from 1 to %d, not %d", demo.MaxAttendees, opt.Attendees)
			}
			if opt.Password == "-" {
				if opt.Password, err = a.readPassword(); err != nil {
					return err
				}
			}
			st, err := a.open(ctx, loc, false)
			if err != nil {
				return err
			}
			defer a.close(ctx, st)

			var bar *progress
			var shown string
			opt.Progress = func(stage string, done, total int) {
				if stage != shown {
					if bar != nil {
						bar.done()
					}
					bar, shown = newProgress(a.stderr, stage), stage
				}
				bar.set(int64(done), int64(total))
			}
			start := time.Now()
			res, err := demo.Load(ctx, st.tenants, st.records, opt)
			if bar != nil {
				bar.done()
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Created the demo org %q (%s) with %d Dreamforce attendees in %s.\n\n",
				opt.Name, res.Org.OrgID, opt.Attendees, time.Since(start).Round(100*time.Millisecond))
			fmt.Fprintf(a.stdout, "Sign in at %s/login once the server runs (rapport serve %s):\n\n", a.serverURL(), storeArgs(loc))
			fmt.Fprintf(a.stdout, "  Username: %s\n  Password: %s\n\n", res.Username, res.Password)
			fmt.Fprintln(a.stdout, "The other demo users have the same password:")
			fmt.Fprintln(a.stdout)
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, u := range res.Users {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", u.Username, u.Name, u.Profile, u.Role)
			}
			return tw.Flush()
		}),
	}
	f := cmd.Flags()
	f.IntVar(&opt.Attendees, "attendees", demo.DefaultAttendees, "how many people attend Dreamforce (1 to 1000000)")
	f.StringVar(&opt.Username, "username", "", "the administrator's username (default demo@rapport.example, or the first free demo+N@…)")
	f.StringVar(&opt.Password, "password", "", "every demo user's password, or - to read it from stdin (default: made up and printed)")
	f.StringVar(&opt.Name, "name", demo.DefaultName, "the org's name")
	f.Int64Var(&opt.Seed, "seed", defaultSeed, "the seed of the generated data")
	addStoreFlags(cmd, &sf)
	return cmd
}

// serverURL is where rapport serve listens by default, as a browser on this
// machine reaches it.
func (a *app) serverURL() string {
	addr := a.getenv("RAPPORT_ADDR")
	if addr == "" {
		addr = defaultAddr
	}
	u := url.URL{Scheme: "http", Host: addr}
	return u.String()
}

// storeArgs are the flags that name the store at loc, as they may be shown:
// without the database password.
func storeArgs(loc location) string {
	if loc.database != "" {
		return "--database " + shellQuote(loc.redacted())
	}
	return "--data " + shellQuote(loc.data)
}

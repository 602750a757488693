package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/rapportcrm/rapport/tenant"
)

func (a *app) orgCreateCommand() *cobra.Command {
	var sf storeFlags
	var p tenant.OrgParams
	var password string
	cmd := &cobra.Command{
		Use:   "create --name NAME --username EMAIL --password PW",
		Short: "Create an org and its administrator",
		Long: `Create makes an org with the standard objects and profiles, and a first
user, a System Administrator, who logs in with --username and --password.
It prints one JSON object: {"orgId":"00D…","userId":"005…","username":"…"}.

The password may instead come from the RAPPORT_PASSWORD variable, or from
stdin with --password - (the first line; asked for without echo on a
terminal), so that it need not appear in the shell's history or in the
process list.`,
		Example: `  rapport org create --name Acme --username admin@acme.example --password -
  printf '%s\n' "$PW" | rapport org create --name Acme --username admin@acme.example --password - --database "$DB"`,
		RunE: a.action(func(ctx context.Context, cmd *cobra.Command) error {
			loc, err := a.location(cmd, &sf)
			if err != nil {
				return err
			}
			var missing []string
			for _, f := range []string{"name", "username"} {
				if !cmd.Flags().Changed(f) {
					missing = append(missing, "--"+f)
				}
			}
			if !cmd.Flags().Changed("password") && a.getenv("RAPPORT_PASSWORD") == "" {
				missing = append(missing, "--password (or RAPPORT_PASSWORD)")
			}
			if len(missing) > 0 {
				return usagef("org create needs %s", strings.Join(missing, " and "))
			}
			p.Password = password
			if !cmd.Flags().Changed("password") {
				p.Password = a.getenv("RAPPORT_PASSWORD")
			} else if password == "-" {
				if p.Password, err = a.readPassword(); err != nil {
					return err
				}
			}
			st, err := a.open(ctx, loc, false)
			if err != nil {
				return err
			}
			defer a.close(ctx, st)
			org, err := st.tenants.CreateOrg(ctx, p)
			if err != nil {
				return err
			}
			return json.NewEncoder(a.stdout).Encode(org)
		}),
	}
	f := cmd.Flags()
	f.StringVar(&p.Name, "name", "", "the org's name (required)")
	f.StringVar(&p.Username, "username", "", "the administrator's username, an email address unique across all orgs (required)")
	f.StringVar(&password, "password", "", "the administrator's password, or - to read it from stdin (default $RAPPORT_PASSWORD)")
	f.StringVar(&p.Currency, "currency", "USD", "the org's currency, an ISO 4217 code")
	f.StringVar(&p.TimeZone, "time-zone", "America/Los_Angeles", "the org's time zone, an IANA name")
	f.StringVar(&p.Locale, "locale", "en_US", "the org's locale")
	f.IntVar(&p.FiscalYearStart, "fiscal-year-start", 1, "the month the fiscal year starts in, 1 to 12")
	addStoreFlags(cmd, &sf)
	return cmd
}

// maxPassword bounds what is read from stdin for a password; the password
// policy allows far less.
const maxPassword = 4096

// readPassword reads the password from stdin: asked for twice, without
// echo, on a terminal; otherwise the first line.
func (a *app) readPassword() (string, error) {
	if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		ask := func(prompt string) (string, error) {
			fmt.Fprint(a.stderr, prompt)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(a.stderr)
			if err != nil {
				return "", fmt.Errorf("read password: %w", err)
			}
			return string(b), nil
		}
		pw, err := ask("Password: ")
		if err != nil {
			return "", err
		}
		again, err := ask("Password again: ")
		if err != nil {
			return "", err
		}
		if pw != again {
			return "", errors.New("the two passwords differ")
		}
		return pw, nil
	}
	if a.stdin == nil {
		return "", usagef("--password - reads stdin, and there is none")
	}
	line, err := bufio.NewReader(io.LimitReader(a.stdin, maxPassword)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", usagef("--password - found no password on stdin")
	}
	return line, nil
}

func (a *app) orgListCommand() *cobra.Command {
	var sf storeFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the orgs: ID, status and name",
		Long: `List prints one line per org: its ID, its status (active; creating, for an
org whose creation never finished; migration_failed, for one refused until
"rapport migrate" succeeds) and its name.`,
		RunE: a.action(func(ctx context.Context, cmd *cobra.Command) error {
			loc, err := a.location(cmd, &sf)
			if err != nil {
				return err
			}
			st, err := a.open(ctx, loc, true)
			if err != nil {
				return err
			}
			defer a.close(ctx, st)
			orgs, err := st.db.Orgs(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			for _, o := range orgs {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", o.ID, o.Status, oneLine(o.Name))
			}
			return tw.Flush()
		}),
	}
	addStoreFlags(cmd, &sf)
	return cmd
}

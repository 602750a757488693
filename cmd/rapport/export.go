package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/bulkapi"
	"github.com/rapportcrm/rapport/jobs"
)

func (a *app) exportCommand() *cobra.Command {
	var sf storeFlags
	var orgID, username, delimiter string
	var all bool
	cmd := &cobra.Command{
		Use:   `export "SELECT …" --org ORGID > FILE.csv`,
		Short: "Write the result of a SOQL query as CSV",
		Long: `Export runs a SOQL query as a bulk query job and writes its rows to stdout as
CSV, as the Bulk API returns them: a header of field paths (Account.Name),
every value double-quoted, null values empty. It runs as --user (a username of
the org), or else the org's first System Administrator. Progress and a summary
go to stderr.`,
		Example: `  rapport export "SELECT Id, FirstName, LastName, Account.Name FROM Contact" --org 00D000000000001AAA > contacts.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef(`export takes one SOQL query, in quotes: rapport export "SELECT Id FROM Account" --org ORGID`)
			}
			a.started = true
			if !cmd.Flags().Changed("org") {
				return usagef("export needs --org")
			}
			org, err := rapport.ParseID(orgID)
			if err != nil || org.Prefix() != "00D" {
				return usagef("--org %q is not an org ID: see rapport org list", orgID)
			}
			loc, err := a.location(cmd, &sf)
			if err != nil {
				return err
			}
			op := bulkapi.OpQuery
			if all {
				op = bulkapi.OpQueryAll
			}
			return a.runExport(cmd.Context(), loc, org, username, bulkapi.QueryRequest{Operation: op, Query: args[0], ColumnDelimiter: strings.ToUpper(delimiter)})
		},
	}
	cmd.Flags().StringVar(&orgID, "org", "", "ID of the org (00D…) to query (required)")
	cmd.Flags().StringVar(&username, "user", "", "username to run the query as (default: the org's first System Administrator)")
	cmd.Flags().StringVar(&delimiter, "delimiter", "", "column delimiter: COMMA, TAB, PIPE, SEMICOLON, CARET or BACKQUOTE (default COMMA)")
	cmd.Flags().BoolVar(&all, "all", false, "include deleted records, as queryAll does")
	addStoreFlags(cmd, &sf)
	return cmd
}

func (a *app) runExport(ctx context.Context, loc location, org rapport.ID, username string, req bulkapi.QueryRequest) error {
	st, err := a.open(ctx, loc, true)
	if err != nil {
		return err
	}
	defer a.close(ctx, st)
	user, err := a.queryUser(ctx, st, org, username)
	if err != nil {
		return err
	}
	ctx = rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org, UserID: user})
	svc, runner := a.bulk(st, loc, jobs.Options{Lease: bulkLease * time.Second})
	job, err := svc.CreateQuery(ctx, cliVersion, req)
	if err != nil {
		return plainQueryError(err)
	}
	defer svc.Remove(context.WithoutCancel(ctx), bulkapi.KindQuery, job.ID)
	job, err = a.work(ctx, svc, runner, bulkapi.KindQuery, job.ID, "export")
	if err != nil {
		return err
	}
	if job.State != bulkapi.StateJobComplete {
		return fmt.Errorf("query job %s %s: %s", job.ID, strings.ToLower(job.State), job.Error)
	}
	page, err := svc.Page(ctx, job.ID, "", 0)
	if err != nil {
		return err
	}
	defer page.Close()
	if err := page.WriteHeader(a.stdout); err != nil {
		return err
	}
	if _, err := io.Copy(a.stdout, page.Body); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "Exported %d rows of %s.\n", page.Records, job.Object)
	return nil
}

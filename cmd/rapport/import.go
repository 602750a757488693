package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/bulkapi"
	"github.com/rapportcrm/rapport/jobs"
)

// cliVersion is the API version jobs made by the CLI record.
const cliVersion = "60.0"

func (a *app) importCommand() *cobra.Command {
	var sf storeFlags
	var orgID, username, object, upsert, operation, delimiter, failedPath string
	cmd := &cobra.Command{
		Use:   "import FILE.csv --org ORGID --object OBJECT [--upsert FIELD | --operation OP]",
		Short: "Load a CSV file into an org as a bulk job",
		Long: `Import loads a CSV file (a header row of field API names, then one row per
record) into an object of an org through the same job machinery as the Bulk
API: in chunks, each written with its results in one transaction, as --user
(a username of the org) or else the org's first System Administrator, so
validation and defaults apply as for single records.

It shows progress on stderr, then prints a summary with the counts; rows
that failed are written with their errors (sf__Error) to FILE.failed.csv, or
to --failed.

Interrupted (Ctrl-C, a crash, a reboot), the same command run again resumes
the unfinished job for the same file and options: chunks already written are
not written again, so no row is imported twice.

--operation is insert (the default), update (an Id column), upsert (--upsert
names the external ID field), delete or hardDelete (an Id column).
--delimiter is COMMA (the default), TAB, PIPE, SEMICOLON, CARET or BACKQUOTE.`,
		Example: `  rapport import contacts.csv --org 00D000000000001AAA --object Contact
  rapport import contacts.csv --org 00D… --object Contact --upsert ExtId__c`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("import takes one CSV file: rapport import FILE.csv --org ORGID --object OBJECT")
			}
			a.started = true
			ctx := cmd.Context()
			if !cmd.Flags().Changed("org") || object == "" {
				return usagef("import needs --org and --object")
			}
			org, err := rapport.ParseID(orgID)
			if err != nil || org.Prefix() != "00D" {
				return usagef("--org %q is not an org ID: see rapport org list", orgID)
			}
			op := operation
			if upsert != "" {
				if op != "" && op != bulkapi.OpUpsert {
					return usagef("--upsert and --operation %s cannot be used together", op)
				}
				op = bulkapi.OpUpsert
			}
			if op == "" {
				op = bulkapi.OpInsert
			}
			if op == bulkapi.OpUpsert && upsert == "" {
				return usagef("an upsert needs --upsert FIELD, the external ID field")
			}
			loc, err := a.location(cmd, &sf)
			if err != nil {
				return err
			}
			file := args[0]
			if failedPath == "" {
				failedPath = strings.TrimSuffix(file, ".csv") + ".failed.csv"
			}
			return a.runImport(ctx, loc, org, username, file, failedPath, bulkapi.IngestRequest{
				Object: object, Operation: op, ExternalIDField: upsert, ColumnDelimiter: strings.ToUpper(delimiter),
			})
		},
	}
	cmd.Flags().StringVar(&orgID, "org", "", "ID of the org (00D…) to load into (required)")
	cmd.Flags().StringVar(&object, "object", "", "API name of the object to load (required)")
	cmd.Flags().StringVar(&upsert, "upsert", "", "upsert, matching records by this external ID field")
	cmd.Flags().StringVar(&operation, "operation", "", "insert, update, upsert, delete or hardDelete (default insert)")
	cmd.Flags().StringVar(&delimiter, "delimiter", "", "column delimiter: COMMA, TAB, PIPE, SEMICOLON, CARET or BACKQUOTE (default COMMA)")
	cmd.Flags().StringVar(&username, "user", "", "username to load as (default: the org's first System Administrator)")
	cmd.Flags().StringVar(&failedPath, "failed", "", "where to write the failed rows (default FILE.failed.csv)")
	addStoreFlags(cmd, &sf)
	return cmd
}

// fileKey hashes a file with the request, naming an import for resuming.
func fileKey(path string, req bulkapi.IngestRequest) (key, lineEnding string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	h := sha256.New()
	br := bufio.NewReader(f)
	first, _ := br.ReadString('\n')
	lineEnding = "LF"
	if strings.HasSuffix(first, "\r\n") {
		lineEnding = "CRLF"
	}
	h.Write([]byte(first))
	if _, err := io.Copy(h, br); err != nil {
		return "", "", err
	}
	fmt.Fprintf(h, "\x00%s\x00%s\x00%s\x00%s", req.Object, req.Operation, req.ExternalIDField, req.ColumnDelimiter)
	return hex.EncodeToString(h.Sum(nil)), lineEnding, nil
}

func (a *app) runImport(ctx context.Context, loc location, org rapport.ID, username, file, failedPath string, req bulkapi.IngestRequest) error {
	key, eol, err := fileKey(file, req)
	if err != nil {
		return err
	}
	req.LineEnding = eol
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

	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	job, resumed, err := svc.StartImport(ctx, cliVersion, bulkapi.Import{Request: req, Key: key, Data: f})
	if err != nil {
		return err
	}
	if resumed {
		fmt.Fprintf(a.stderr, "Resuming job %s, which an earlier run left unfinished.\n", job.ID)
	}
	job, err = a.work(ctx, svc, runner, bulkapi.KindIngest, job.ID, "import "+file)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted: run the same command again to resume job %s", job.ID)
		}
		return err
	}
	if job.State != bulkapi.StateJobComplete {
		return fmt.Errorf("job %s %s: %s", job.ID, strings.ToLower(job.State), job.Error)
	}
	fmt.Fprintf(a.stdout, "Imported %s into %s (%s), job %s: %d rows, %d succeeded, %d failed.\n",
		file, job.Object, job.Operation, job.ID, job.Processed, job.Processed-job.Failed, job.Failed)
	if job.Failed == 0 {
		os.Remove(failedPath)
		return nil
	}
	out, err := os.Create(failedPath)
	if err != nil {
		return err
	}
	if err := svc.WriteResults(ctx, job.ID, bulkapi.FailedRows, out); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "The %d failed rows, each with its error in sf__Error, are in %s.\n", job.Failed, failedPath)
	return nil
}

// work runs the queue in this process until the job is final, showing
// its progress on stderr.
func (a *app) work(ctx context.Context, svc *bulkapi.Service, runner *jobs.Runner, kind, id, what string) (*bulkapi.Job, error) {
	rctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- runner.Run(rctx) }()
	defer func() { stop(); <-done }()
	p := newProgress(a.stderr, what)
	defer p.done()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		j, err := svc.Job(context.WithoutCancel(ctx), kind, id)
		if err != nil {
			return nil, err
		}
		max := int64(-1)
		if j.Prepared {
			max = int64(j.Rows)
		}
		p.set(j.Processed, max)
		if bulkapi.Finished(j.State) {
			return j, nil
		}
		select {
		case <-ctx.Done():
			return j, ctx.Err()
		case <-tick.C:
		}
	}
}

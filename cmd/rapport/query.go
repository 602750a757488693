package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/query"
	"github.com/rapportcrm/rapport/soql"
)

func (a *app) queryCommand() *cobra.Command {
	var sf storeFlags
	var orgID, username, format string
	var all bool
	cmd := &cobra.Command{
		Use:   `query "SELECT …" --org ORGID [--format table|json|csv]`,
		Short: "Run a SOQL query against an org",
		Long: `Query runs one SOQL query in an org and prints every row of the result,
following locators past the first page. It runs as --user (a username of the
org), or else as the org's first active System Administrator.

Formats: table (the default on a terminal), json (the default otherwise:
{"totalSize":…,"done":true,"records":[…]} as the REST API returns it) and
csv (parent fields as Account.Name columns; child subqueries are left out).`,
		Example: `  rapport query "SELECT Name, Industry FROM Account ORDER BY Name" --org 00D000000000001AAA
  rapport query "SELECT LeadSource, COUNT(Id) FROM Lead GROUP BY LeadSource" --org 00D… --format csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef(`query takes one SOQL query, in quotes: rapport query "SELECT Id FROM Account" --org ORGID`)
			}
			a.started = true
			ctx := cmd.Context()
			loc, err := a.location(cmd, &sf)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("org") {
				return usagef("query needs --org")
			}
			org, err := rapport.ParseID(orgID)
			if err != nil || org.Prefix() != "00D" {
				return usagef("--org %q is not an org ID: see rapport org list", orgID)
			}
			if format == "" {
				format = "json"
				if f, ok := a.stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
					format = "table"
				}
			}
			if format != "table" && format != "json" && format != "csv" {
				return usagef("--format %q: use table, json or csv", format)
			}
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
			res, err := st.queries.Run(ctx, args[0], query.Options{All: all})
			if err != nil {
				return plainQueryError(err)
			}
			for !res.Done {
				next, err := st.queries.More(ctx, res.Locator)
				if err != nil {
					return err
				}
				res.Records = append(res.Records, next.Records...)
				res.Done, res.Locator = next.Done, next.Locator
			}
			switch format {
			case "json":
				return writeJSON(a.stdout, res)
			case "csv":
				return writeCSV(a.stdout, res)
			}
			return writeTable(a.stdout, res)
		},
	}
	cmd.Flags().StringVar(&orgID, "org", "", "ID of the org (00D…) to query (required)")
	cmd.Flags().StringVar(&username, "user", "", "username to run the query as (default: the org's first System Administrator)")
	cmd.Flags().StringVar(&format, "format", "", "output format: table, json or csv")
	cmd.Flags().BoolVar(&all, "all", false, "include deleted records, as queryAll does")
	addStoreFlags(cmd, &sf)
	return cmd
}

// queryUser returns the user a query runs as.
func (a *app) queryUser(ctx context.Context, st *store, org rapport.ID, username string) (rapport.ID, error) {
	sys := rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org, System: true})
	if username != "" {
		if id, err := st.tenants.Directory().Identity(ctx, username); err == nil && id.OrgID == org {
			return id.UserID, nil
		}
		// Users made as records (through the API) may have no login yet.
		res, err := st.queries.Run(sys, "SELECT Id FROM User WHERE Username = "+soql.Quote(username), query.Options{})
		if err != nil || len(res.Records) != 1 {
			return "", fmt.Errorf("there is no user %s in org %s", username, org)
		}
		return res.Records[0].ID, nil
	}
	res, err := st.queries.Run(sys, "SELECT Id FROM User WHERE IsActive = true AND Profile.Name = 'System Administrator' ORDER BY CreatedDate LIMIT 1", query.Options{})
	if rapport.ErrorCode(err) == rapport.NotFound {
		return "", fmt.Errorf("there is no org %s: see rapport org list", org)
	}
	if err != nil {
		return "", err
	}
	if len(res.Records) == 0 {
		return "", fmt.Errorf("org %s has no active System Administrator: give --user", org)
	}
	return res.Records[0].ID, nil
}

// jsonValue renders a value as the REST API does.
func jsonValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000+0000")
	case *query.Record:
		if x == nil {
			return nil
		}
		return jsonRecord(x)
	case *query.Result:
		if x == nil {
			return nil
		}
		return jsonResult(x)
	}
	return v
}

type orderedRecord struct {
	keys []string
	vals map[string]any
}

func (o orderedRecord) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

func jsonRecord(r *query.Record) orderedRecord {
	o := orderedRecord{keys: []string{"attributes"}, vals: map[string]any{"attributes": map[string]string{"type": r.Type}}}
	for _, v := range r.Fields {
		o.keys = append(o.keys, v.Name)
		o.vals[v.Name] = jsonValue(v.Value)
	}
	return o
}

type jsonQueryResult struct {
	TotalSize int             `json:"totalSize"`
	Done      bool            `json:"done"`
	Records   []orderedRecord `json:"records"`
}

func jsonResult(res *query.Result) jsonQueryResult {
	recs := make([]orderedRecord, len(res.Records))
	for i, r := range res.Records {
		recs[i] = jsonRecord(r)
	}
	return jsonQueryResult{TotalSize: res.TotalSize, Done: res.Done, Records: recs}
}

func writeJSON(w io.Writer, res *query.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonResult(res))
}

// flatten lists a record's values as column paths (Account.Name), leaving
// out child subqueries.
func flatten(prefix string, r *query.Record, cols *[]string, vals map[string]string) {
	for _, v := range r.Fields {
		name := prefix + v.Name
		switch x := v.Value.(type) {
		case *query.Record:
			if x != nil {
				flatten(name+".", x, cols, vals)
			}
			continue
		case *query.Result:
			continue
		}
		if _, seen := vals[name]; !seen {
			*cols = append(*cols, name)
		}
		vals[name] = textValue(v.Value)
	}
}

func textValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// rows flattens every record; columns are in order of first appearance.
func rows(res *query.Result) ([]string, []map[string]string) {
	var cols []string
	seen := map[string]bool{}
	out := make([]map[string]string, len(res.Records))
	for i, r := range res.Records {
		var rc []string
		vals := map[string]string{}
		flatten("", r, &rc, vals)
		for _, c := range rc {
			if !seen[c] {
				seen[c] = true
				cols = append(cols, c)
			}
		}
		out[i] = vals
	}
	return cols, out
}

func writeCSV(w io.Writer, res *query.Result) error {
	cols, recs := rows(res)
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	for _, r := range recs {
		line := make([]string, len(cols))
		for i, c := range cols {
			line[i] = r[c]
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeTable(w io.Writer, res *query.Result) error {
	cols, recs := rows(res)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(cols) > 0 {
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
		under := make([]string, len(cols))
		for i, c := range cols {
			under[i] = strings.Repeat("─", len([]rune(c)))
		}
		fmt.Fprintln(tw, strings.Join(under, "\t"))
	}
	for _, r := range recs {
		line := make([]string, len(cols))
		for i, c := range cols {
			line[i] = strings.NewReplacer("\n", " ", "\t", " ").Replace(r[c])
		}
		fmt.Fprintln(tw, strings.Join(line, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "Total number of records retrieved: %d.\n", res.TotalSize)
	return err
}

// plainQueryError rewrites a query error's Salesforce message, which shows
// the query with a caret under the fault, for one line of a terminal:
// "ERROR at Row:1:Column:18: No such column …".
func plainQueryError(err error) error {
	var re *rapport.Error
	if !errors.As(err, &re) {
		return err
	}
	i := strings.Index(re.Message, "ERROR at Row:")
	if i < 0 {
		return err
	}
	where, reason, _ := strings.Cut(re.Message[i:], "\n")
	return &rapport.Error{Code: re.Code, Message: where + ": " + reason, Fields: re.Fields}
}

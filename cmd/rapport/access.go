package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport"
)

func (a *app) accessCommand() *cobra.Command {
	access := &cobra.Command{
		Use:   "access",
		Short: "Inspect who may see and change records",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	access.AddCommand(a.accessExplainCommand())
	return access
}

func (a *app) accessExplainCommand() *cobra.Command {
	var sf storeFlags
	var orgID, user, rec string
	cmd := &cobra.Command{
		Use:   "explain --org ORGID --user USER --record ID",
		Short: "Say why a user can or cannot see or edit a record",
		Long: `Explain prints whether a user may read, edit and delete a record, as the
row filters that every query and write uses decide, and the reasons from
the org's security data: object permissions, the org-wide default, the
owner and the role hierarchy, sharing rules and manual shares. --user is a
username or a user ID of the org.`,
		Example: `  rapport access explain --org 00D… --user rep@acme.example --record 001…`,
		RunE: a.action(func(ctx context.Context, cmd *cobra.Command) error {
			loc, err := a.location(cmd, &sf)
			if err != nil {
				return err
			}
			for _, f := range []string{"org", "user", "record"} {
				if !cmd.Flags().Changed(f) {
					return usagef("access explain needs --org, --user and --record")
				}
			}
			org, err := rapport.ParseID(orgID)
			if err != nil || org.Prefix() != "00D" {
				return usagef("--org %q is not an org ID: see rapport org list", orgID)
			}
			st, err := a.open(ctx, loc, true)
			if err != nil {
				return err
			}
			defer a.close(ctx, st)
			uid, err := rapport.ParseID(user)
			if err != nil || uid.Prefix() != "005" {
				if uid, err = a.queryUser(ctx, st, org, user); err != nil {
					return err
				}
			}
			admin, err := a.queryUser(ctx, st, org, "")
			if err != nil {
				return err
			}
			ctx = rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org, UserID: admin})
			x, err := st.records.Explain(ctx, uid, rec)
			if err != nil {
				return err
			}
			yes := map[bool]string{true: "yes", false: "no"}
			fmt.Fprintf(a.stdout, "%s on %s %s (org-wide default %s)\n", x.User, x.Object, x.Record, x.SharingModel)
			fmt.Fprintf(a.stdout, "  read: %s   edit: %s   delete: %s\n", yes[x.Read], yes[x.Edit], yes[x.Delete])
			fmt.Fprintln(a.stdout, "  because:")
			for _, r := range x.Reasons {
				fmt.Fprintf(a.stdout, "  - %s\n", strings.TrimSpace(r))
			}
			return nil
		}),
	}
	cmd.Flags().StringVar(&orgID, "org", "", "ID of the org (00D…)")
	cmd.Flags().StringVar(&user, "user", "", "the user: a username or a user ID")
	cmd.Flags().StringVar(&rec, "record", "", "the record's ID")
	addStoreFlags(cmd, &sf)
	return cmd
}

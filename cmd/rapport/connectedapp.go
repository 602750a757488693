package main

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport"
)

func (a *app) connectedAppCreateCommand() *cobra.Command {
	var sf storeFlags
	var orgID, name string
	cmd := &cobra.Command{
		Use:   "create --org ORGID --name NAME",
		Short: "Register an OAuth client of an org",
		Long: `Create registers a connected app, an OAuth client, in an org, and prints
its credentials as one JSON object: {"clientId":"…","clientSecret":"…"}.
Only a hash of the secret is kept: this is the one time it is shown.`,
		Example: `  rapport connected-app create --org 00D000000000001AAA --name "Data Loader"`,
		RunE: a.action(func(ctx context.Context, cmd *cobra.Command) error {
			loc, err := a.location(cmd, &sf)
			if err != nil {
				return err
			}
			var missing []string
			for _, f := range []string{"org", "name"} {
				if !cmd.Flags().Changed(f) {
					missing = append(missing, "--"+f)
				}
			}
			if len(missing) > 0 {
				return usagef("connected-app create needs %s", strings.Join(missing, " and "))
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
			creds, err := st.tenants.CreateConnectedApp(ctx, org, name)
			if err != nil {
				return err
			}
			return json.NewEncoder(a.stdout).Encode(creds)
		}),
	}
	cmd.Flags().StringVar(&orgID, "org", "", "ID of the org (00D…) the app belongs to (required)")
	cmd.Flags().StringVar(&name, "name", "", "the app's name (required)")
	addStoreFlags(cmd, &sf)
	return cmd
}

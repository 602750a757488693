package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) migrateCommand() *cobra.Command {
	var sf storeFlags
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring every org to this build's schema",
		Long: `Migrate brings every org's schema up to date, one org at a time, and prints
one line per org: its ID and "ok", or why it failed. An org that failed is
refused until a later migration succeeds; the others go on. The exit status
is 1 if any org failed.

"rapport serve" migrates on start too: this command is for doing it ahead.`,
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
			results, err := st.tenants.Migrate(ctx)
			if err != nil {
				return err
			}
			failed := 0
			for _, r := range results {
				if r.Err != nil {
					failed++
					fmt.Fprintf(a.stdout, "%s failed: %s\n", r.Org, oneLine(message(r.Err)))
					continue
				}
				fmt.Fprintf(a.stdout, "%s ok\n", r.Org)
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d orgs failed to migrate, and are refused until a migration succeeds", failed, len(results))
			}
			return nil
		}),
	}
	addStoreFlags(cmd, &sf)
	return cmd
}

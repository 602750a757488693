package main

import (
	"context"

	"github.com/rapportcrm/rapport/demo"
)

// demoHook is how the first-run page loads the demo org: the story with
// its default number of attendees, the administrator signing in with the
// username and password given on the page.
func (a *app) demoHook(st *store) func(ctx context.Context, username, password string) error {
	return func(ctx context.Context, username, password string) error {
		res, err := demo.Load(ctx, st.tenants, st.records, demo.Options{Username: username, Password: password, Seed: defaultSeed})
		if err != nil {
			return err
		}
		a.log.InfoContext(ctx, "demo org created from the first-run page", "org_id", res.Org.OrgID)
		return nil
	}
}

package main

import (
	"context"

	"github.com/rapportcrm/rapport/tenant"
)

// demoHook is how the first-run page loads the demo org; until the demo
// loader exists it makes an empty org named Demo.
func (a *app) demoHook(st *store) func(ctx context.Context, username, password string) error {
	return func(ctx context.Context, username, password string) error {
		_, err := st.tenants.CreateOrg(ctx, tenant.OrgParams{Name: "Demo", Username: username, Password: password})
		return err
	}
}

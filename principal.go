package rapport

import "context"

// A Principal is who is acting: the org and user, with what the security layer
// needs to decide access. It travels in the request context.
type Principal struct {
	OrgID  ID
	UserID ID
	// System marks work done by Rapport itself (org set-up, migrations,
	// background jobs acting for nobody): it bypasses user-level checks.
	System bool
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal carried by ctx, if any.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// CurrentPrincipal returns the principal carried by ctx, or the zero
// Principal.
func CurrentPrincipal(ctx context.Context) Principal {
	p, _ := PrincipalFrom(ctx)
	return p
}

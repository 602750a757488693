package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of this build",
		RunE: a.action(func(ctx context.Context, cmd *cobra.Command) error {
			_, err := fmt.Fprintln(a.stdout, version())
			return err
		}),
	}
}

// version describes this build: the module version the go command stamped
// (a release tag, or a pseudo-version naming the commit), the Go release and
// the platform.
func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return fmt.Sprintf("rapport %s %s %s/%s", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// Command rapport serves Rapport, the open-source CRM that speaks
// Salesforce's APIs, and administers its orgs from the command line.
//
//	rapport serve [--addr 127.0.0.1:8080] [--data ./rapport-data | --database postgres://…]
//	rapport org create --name NAME --username EMAIL --password PW [--data DIR | --database URL]
//	rapport org list [--data DIR | --database URL]
//	rapport connected-app create --org ORGID --name NAME [--data DIR | --database URL]
//	rapport migrate [--data DIR | --database URL]
//	rapport import FILE.csv --org ORGID --object OBJECT [--upsert FIELD | --operation OP] [--data DIR | --database URL]
//	rapport export "SELECT …" --org ORGID [--data DIR | --database URL] > FILE.csv
//	rapport demo [--attendees N] [--username EMAIL] [--password PW] [--data DIR | --database URL]
//	rapport version
//
// Every command that opens the store takes either --data, the directory of
// the embedded SQLite store (./rapport-data unless told otherwise), or
// --database, the URL of a PostgreSQL database. The environment variables
// RAPPORT_ADDR, RAPPORT_DATA and RAPPORT_DATABASE stand in for the flags of
// the same names, and a flag wins over its variable. RAPPORT_PASSWORD gives
// org create its password, and RAPPORT_LOG_LEVEL (debug, info, warn, error;
// info by default) sets what the log on stderr shows.
//
// Results go to stdout; the log goes to stderr. A command that fails writes
// exactly one line to stderr, "rapport: " and the reason, and exits with
// status 1, or 2 when the command line itself is wrong.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal asks for a graceful stop; restoring the default
	// handling then lets a second one end the process at once.
	go func() { <-ctx.Done(); stop() }()
	os.Exit(run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// run runs the command line args (args[0] is the program name) and returns
// the process's exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	err := a.execute(ctx, args)
	if err == nil {
		return 0
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		err = errors.New("interrupted")
	}
	fmt.Fprintln(stderr, "rapport: "+oneLine(message(err)))
	var u *usageError
	if errors.As(err, &u) || !a.started {
		return 2
	}
	return 1
}

// An app is one run of the command: its environment and the logger built
// from it.
type app struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger

	// started is set once a command's own code runs: an error before that
	// came from parsing the command line.
	started bool
}

func (a *app) execute(ctx context.Context, args []string) error {
	log, err := newLogger(a.stderr, a.getenv("RAPPORT_LOG_LEVEL"))
	if err != nil {
		return err
	}
	a.log = log
	root := a.rootCommand()
	rest := []string{}
	if len(args) > 1 {
		rest = args[1:]
	}
	root.SetArgs(rest)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	return root.ExecuteContext(ctx)
}

// newLogger returns the logger every part of the program writes to: text
// lines on w, at the level named by level (info if empty).
func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if level != "" {
		if err := l.UnmarshalText([]byte(level)); err != nil {
			return nil, usagef("RAPPORT_LOG_LEVEL %q is not a log level: use debug, info, warn or error", level)
		}
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// A usageError says the command line was wrong; run exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// message is what the user reads about err: a domain error's message, not
// its code.
func message(err error) string {
	var e *rapport.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// oneLine folds a message onto a single line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", " ")
}

// action wraps a command's code: it refuses positional arguments, which no
// command takes, and marks the command line as parsed.
func (a *app) action(fn func(ctx context.Context, cmd *cobra.Command) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q: %s takes flags only (see %s --help)", args[0], cmd.CommandPath(), cmd.CommandPath())
		}
		a.started = true
		return fn(cmd.Context(), cmd)
	}
}

// group returns the code of a command that only holds subcommands.
func group(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			return usagef("unknown command %q for %s: did you mean %s?", args[0], cmd.CommandPath(), strings.Join(s, " or "))
		}
		return usagef("unknown command %q for %s (see %s --help)", args[0], cmd.CommandPath(), cmd.CommandPath())
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() && c.Name() != "help" {
			names = append(names, c.Name())
		}
	}
	if !cmd.HasParent() {
		return usagef("a command is needed: %s (see rapport --help)", strings.Join(names, ", "))
	}
	return usagef("%s needs a command: %s (see %s --help)", cmd.CommandPath(), strings.Join(names, ", "), cmd.CommandPath())
}

const rootHelp = `Rapport is an open-source CRM platform that speaks Salesforce's APIs.
It keeps each org's data in a database it owns: embedded SQLite files under a
data directory (the default), or a PostgreSQL database.

Start with "rapport serve": on an empty store it prints how to create the
first org.

Environment (a flag wins over its variable):
  RAPPORT_ADDR        address "serve" listens on, like --addr
  RAPPORT_DATA        data directory of the SQLite store, like --data
  RAPPORT_DATABASE    PostgreSQL URL, like --database
  RAPPORT_PASSWORD    the administrator's password for "org create"
  RAPPORT_LOG_LEVEL   debug, info (the default), warn or error

Exit status: 0 on success, 1 when the command fails, 2 when the command line
is wrong; a failure is reported on one line of stderr.`

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:               "rapport",
		Short:             "Rapport serves a Salesforce-compatible CRM",
		Long:              rootHelp,
		Args:              cobra.ArbitraryArgs,
		RunE:              group,
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	org := &cobra.Command{
		Use:   "org",
		Short: "Create and list orgs",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	org.AddCommand(a.orgCreateCommand(), a.orgListCommand())
	apps := &cobra.Command{
		Use:   "connected-app",
		Short: "Register OAuth clients of an org",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	apps.AddCommand(a.connectedAppCreateCommand())
	root.AddCommand(a.serveCommand(), org, apps, a.queryCommand(), a.accessCommand(), a.migrateCommand(), a.versionCommand())
	root.AddCommand(a.importCommand(), a.exportCommand(), a.demoCommand())
	// Commands that hold subcommands run only to report a mistake: their
	// usage shows the subcommands alone.
	root.SetUsageTemplate(strings.Replace(root.UsageTemplate(), "{{if .Runnable}}", "{{if and .Runnable (not .HasAvailableSubCommands)}}", 1))
	return root
}

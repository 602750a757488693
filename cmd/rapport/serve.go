package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/jobs"
	"github.com/rapportcrm/rapport/server"
	"github.com/rapportcrm/rapport/web"
)

const (
	defaultAddr = "127.0.0.1:8080"
	// shutdownTimeout is how long requests in flight may take to finish
	// once the server is asked to stop.
	shutdownTimeout = 15 * time.Second
)

func (a *app) serveCommand() *cobra.Command {
	var sf storeFlags
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve Rapport over HTTP",
		Long: `Serve opens the store, brings every org to this build's schema (an org
whose migration fails is refused until "rapport migrate" succeeds) and
serves HTTP on --addr until interrupted, then lets requests in flight finish.

On an empty store it prints how to create the first org, or a demo org.`,
		Example: `  rapport serve
  rapport serve --addr 0.0.0.0:8080 --database postgres://rapport@db.internal:5432/rapport`,
		RunE: a.action(func(ctx context.Context, cmd *cobra.Command) error {
			loc, err := a.location(cmd, &sf)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("addr") {
				if v := a.getenv("RAPPORT_ADDR"); v != "" {
					addr = v
				}
			}
			return a.serve(ctx, addr, loc)
		}),
	}
	cmd.Flags().StringVar(&addr, "addr", defaultAddr, "host:port to listen on, port 0 for any free port (env RAPPORT_ADDR)")
	addStoreFlags(cmd, &sf)
	return cmd
}

func (a *app) serve(ctx context.Context, addr string, loc location) error {
	st, err := a.open(ctx, loc, false)
	if err != nil {
		return err
	}
	defer a.close(ctx, st)
	if loc.database != "" {
		a.log.InfoContext(ctx, "store opened", "backend", "postgres", "database", loc.redacted())
	} else {
		a.log.InfoContext(ctx, "store opened", "backend", "sqlite", "data", loc.data)
	}

	results, err := st.tenants.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate orgs: %w", err)
	}
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
		}
	}
	if failed > 0 {
		a.log.WarnContext(ctx, "orgs whose migration failed are refused until rapport migrate succeeds", "failed", failed, "orgs", len(results))
	}
	orgs, err := st.db.Orgs(ctx)
	if err != nil {
		return err
	}

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	// An empty store can be set up from the browser, with a link that
	// holds a one-time token: only who sees this output can use it.
	var first web.FirstRun
	if len(orgs) == 0 {
		if first.Token, err = setupToken(); err != nil {
			return err
		}
		first.Demo = a.demoHook(st)
		printFirstOrgHint(a.stdout, loc)
	}
	fmt.Fprintf(a.stdout, "Rapport is listening on %s\n", listenURL(ln.Addr()))
	if first.Token != "" {
		fmt.Fprintf(a.stdout, "Set up the first org in your browser: %s/first-run?token=%s\n", baseURL(ln.Addr()), first.Token)
	}

	// Bulk jobs run on the job queue in this process: tasks left by a
	// stopped or crashed process resume once their leases run out.
	bulk, runner := a.bulk(st, loc, jobs.Options{Lease: bulkLease * time.Second})
	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := make(chan error, 1)
	go func() { jobsDone <- runner.Run(jobsCtx) }()
	defer func() { stopJobs(); <-jobsDone }()

	srv := &http.Server{
		Handler: server.NewServer(server.Deps{Logger: a.log, Records: st.records, Tenants: st.tenants, Query: st.queries, Bulk: bulk, Search: st.searches, First: first}),
		// Slow clients may not hold a connection open without sending a
		// request. Bodies and responses get no deadline: bulk uploads and
		// exports are large.
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}

	a.log.InfoContext(ctx, "shutting down", "timeout", shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		a.log.WarnContext(ctx, "requests still running were cut off", "error", err)
		srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	a.log.InfoContext(ctx, "stopped")
	return nil
}

// listenURL is the URL a browser on this machine reaches the server at.
func listenURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	if tcp.IP.IsUnspecified() {
		return fmt.Sprintf("http://localhost:%d (all interfaces)", tcp.Port)
	}
	return "http://" + net.JoinHostPort(tcp.IP.String(), fmt.Sprint(tcp.Port))
}

// baseURL is the http:// URL of a listening address, for links to print.
func baseURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}

// setupToken is a one-time token for the first-run page.
func setupToken() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// printFirstOrgHint tells how to create the first org in the store at loc,
// or a demo org.
func printFirstOrgHint(w io.Writer, loc location) {
	where := storeArgs(loc)
	var note string
	if loc.database != "" {
		if u, err := url.Parse(loc.database); err == nil {
			if _, ok := u.User.Password(); ok {
				note = "(with the database password in place of xxxxx)\n"
			}
		}
	}
	fmt.Fprintf(w, `This store has no org yet. Create the first one with:

  rapport org create --name 'My Company' --username admin@example.com --password - %s

%s--password - reads the password from stdin, so that it stays out of the shell's
history; RAPPORT_PASSWORD works too. Or create a demo org full of sample data,
and print how to sign in to it, with:

  rapport demo %s

`, where, note, where)
}

// shellQuote quotes s for a POSIX shell, if it needs quoting.
func shellQuote(s string) string {
	safe := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r)
	}
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !safe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

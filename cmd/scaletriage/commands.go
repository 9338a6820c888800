package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/internal/app"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage/prom"
	"github.com/scaletriage/scaletriage/tui"
)

// globalFlags are the contract's global flags, read straight into the app
// layer's request; its Warnings are the command's stderr.
type globalFlags struct{ app.Request }

// request is what a command asks the app layer (alert: none, "").
func (g *globalFlags) request(alert string) app.Request {
	req := g.Request
	req.Alert = alert
	return req
}

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	g := &globalFlags{app.Request{Warnings: stderr}}
	opts := &tuiOptions{g: g}
	root := &cobra.Command{
		Use:   "scaletriage",
		Short: "Name the bottleneck from live Prometheus signals and fill the matching scaling prompt",
		Long: `scaletriage reads a Prometheus-compatible server, decides with explicit rules which resource is
the bottleneck, and fills the matching scaling prompt with the real numbers, ready to paste into an LLM.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return tuiRun(cmd, opts) },
	}
	root.Version = report.Build().String()
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return app.UsageError{Err: err} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.PrometheusURL, "prometheus-url", "", "Prometheus-compatible base URL, path prefix allowed (env PROMETHEUS_URL)")
	pf.StringVar(&g.AlertmanagerURL, "alertmanager-url", "", "Alertmanager base URL for alerts and their silences (env ALERTMANAGER_URL); its auth is the config's alertmanager_http_config, else the Prometheus's on the same origin or with alertmanager_shares_prometheus_auth, else none")
	pf.StringVar(&g.ConfigPath, "config", "", "YAML config file (auth, selector, thresholds, extra queries, prompt context)")
	pf.StringVar(&g.Selector, "selector", "", `label matchers scoping application signals, e.g. 'job="api"'`)
	pf.StringVar(&g.Window, "window", "", "window for sparklines and the window-start baseline (default 15m)")
	pf.StringVar(&g.RateWindow, "rate-window", "", "range of rate() in queries (default 5m, at most the window)")
	pf.StringVar(&g.At, "at", "", "evaluation instant: RFC 3339 or unix seconds (default now)")
	pf.StringVar(&g.Replay, "replay", "", "answer from a recording (written by the record command) instead of a server")
	pf.StringVar(&g.Timeout, "timeout", "", "deadline of each query attempt, counted once a concurrency slot is free; the whole triage gets 3x (default 10s)")
	pf.IntVar(&g.Concurrency, "concurrency", 0, fmt.Sprintf("queries in flight at once, 1-50 (default: the server's cores from its runtimeinfo, at most %d; %d when it does not say)",
		prom.DefaultConcurrency, prom.DefaultConcurrency))
	root.Flags().DurationVar(&opts.refresh, "refresh", tui.DefaultRefresh, "auto-refresh period of the live TUI (at least 1s)")

	root.AddCommand(
		newReportCommand(g),
		newSignalsCommand(g),
		newRecordCommand(g),
		newPromptCommand(g),
		newPromptsCommand(g),
		newDemoCommand(g),
		newVersionCommand(),
		newServicesCommand(g),
		newAlertsCommand(g),
	)
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return app.UsageError{Err: err} })
		// Only prompt takes an argument: elsewhere the shell offers no
		// file names.
		if c.ValidArgsFunction == nil {
			c.ValidArgsFunction = cobra.NoFileCompletions
		}
	}
	return root
}

// servicesOptions are the services command's flags.
type servicesOptions struct {
	g      *globalFlags
	format *formatFlag
	top    int
}

func newServicesCommand(g *globalFlags) *cobra.Command {
	opts := &servicesOptions{g: g}
	cmd := &cobra.Command{
		Use:   "services",
		Short: "Rank the services in the Prometheus by what changed (call graph followed when present)",
		Long: `services lists the services the HTTP metrics name (their job), ranked by how far each moved from
its own normal (P99 and errors against the day before, a traffic drop), weighted by its traffic. With
service-graph metrics (traces_service_graph_request_total) it follows the calls: the deepest anomalous
service, whose own callees are healthy, ranks first with the path to it. A --selector narrows the fleet.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return servicesRun(cmd, opts) },
	}
	opts.format = addFormatFlag(cmd, "text", "json", "text")
	cmd.Flags().IntVar(&opts.top, "top", report.ServicesShown, "services the text lists, most changed first (every anomalous one too); 0 lists all (JSON lists all)")
	return cmd
}

func servicesRun(cmd *cobra.Command, opts *servicesOptions) error {
	if err := opts.format.check(); err != nil {
		return err
	}
	snap, notes, err := app.Services(cmd.Context(), opts.g.request(""))
	if err != nil {
		return err
	}
	return report.WriteServices(cmd.OutOrStdout(), snap, opts.format.value, opts.top, notes...)
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the scaletriage version, commit and Go version (as --version)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), report.Build())
			return err
		},
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return app.Usagef("unknown command %q for %q (see --help)", args[0], cmd.CommandPath())
	}
	return nil
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return app.Usagef("%s takes %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

// reportOptions are the report command's flags.
type reportOptions struct {
	g      *globalFlags
	format *formatFlag
	alert  string
}

func newReportCommand(g *globalFlags) *cobra.Command {
	opts := &reportOptions{g: g}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Print the signals and the ranked findings (json, markdown or text)",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return reportRun(cmd, opts) },
	}
	opts.format = addFormatFlag(cmd, "text", "json", "markdown", "text")
	cmd.Flags().StringVar(&opts.alert, "alert", "", "triage from a pending or firing alert (name or fingerprint, see the alerts command): its labels scope, its onset sets the window")
	return cmd
}

// reportRun writes what was collected, even when interrupted (marked
// partial), then returns the interruption.
func reportRun(cmd *cobra.Command, opts *reportOptions) error {
	if err := opts.format.check(); err != nil {
		return err
	}
	res, err := app.Triage(cmd.Context(), opts.g.request(opts.alert))
	if !res.Read() {
		return err
	}
	if werr := report.Write(cmd.OutOrStdout(), res, opts.format.value); werr != nil {
		return werr
	}
	return err
}

// signalsOptions are the signals command's flags: the global ones.
type signalsOptions struct{ g *globalFlags }

func newSignalsCommand(g *globalFlags) *cobra.Command {
	opts := &signalsOptions{g: g}
	return &cobra.Command{
		Use:   "signals",
		Short: "Doctor: each signal, the exporter and query that found it, or why it is missing",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return signalsRun(cmd, opts) },
	}
}

func signalsRun(cmd *cobra.Command, opts *signalsOptions) error {
	res, err := app.Triage(cmd.Context(), opts.g.request(""))
	if !res.Read() {
		return err
	}
	if werr := report.WriteSignals(cmd.OutOrStdout(), res.Diagnosis.Snapshot); werr != nil {
		return werr
	}
	return err
}

// recordOptions are the record command's flags.
type recordOptions struct {
	g     *globalFlags
	out   string
	force bool
}

func newRecordCommand(g *globalFlags) *cobra.Command {
	opts := &recordOptions{g: g}
	cmd := &cobra.Command{
		Use:   "record -o FILE",
		Short: "Save every query result, the detected exporters and the verdicts to a recording (mode 0600)",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return recordRun(cmd, opts) },
	}
	cmd.Flags().StringVarP(&opts.out, "output", "o", "", "recording to write (never over an existing file without --force, never through a symbolic link)")
	cmd.Flags().BoolVar(&opts.force, "force", false, "replace an existing recording")
	return cmd
}

func recordRun(cmd *cobra.Command, opts *recordOptions) error {
	if opts.out == "" {
		return app.Usagef("record needs -o FILE")
	}
	res, written, err := app.Record(cmd.Context(), opts.g.request(""), opts.out, opts.force)
	if !written {
		return err
	}
	snap := res.Diagnosis.Snapshot
	partial := ""
	if snap.Partial {
		partial = " (PARTIAL)"
	}
	fmt.Fprintf(cmd.OutOrStdout(), "recorded %d signals (%d found), %d queries, %d findings to %s%s\n",
		len(snap.Readings), res.CountFound(), snap.Queries, len(res.Diagnosis.Findings), opts.out, partial)
	return err
}

package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// globalFlags are the contract's global flags.
type globalFlags struct {
	url             string
	alertmanagerURL string
	configPath      string
	selector        string
	window          string
	rateWindow      string
	at              string
	replay          string
	timeout         string
	concurrency     int
	// warnings is where the config's warnings go: the command's stderr.
	warnings io.Writer
}

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	g := &globalFlags{warnings: stderr}
	root := &cobra.Command{
		Use:   "scaletriage",
		Short: "Name the bottleneck from live Prometheus signals and fill the matching scaling prompt",
		Long: `scaletriage reads a Prometheus-compatible server, decides with explicit rules which resource is
the bottleneck, and fills the matching scaling prompt with the real numbers, ready to paste into an LLM.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd, g)
		},
	}
	root.Version = report.Build().String()
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.url, "prometheus-url", "", "Prometheus-compatible base URL, path prefix allowed (env PROMETHEUS_URL)")
	pf.StringVar(&g.alertmanagerURL, "alertmanager-url", "", "Alertmanager base URL for alerts and their silences (env ALERTMANAGER_URL); its auth is the config's alertmanager_http_config, else the Prometheus's on the same origin or with alertmanager_shares_prometheus_auth, else none")
	pf.StringVar(&g.configPath, "config", "", "YAML config file (auth, selector, thresholds, extra queries, prompt context)")
	pf.StringVar(&g.selector, "selector", "", `label matchers scoping application signals, e.g. 'job="api"'`)
	pf.StringVar(&g.window, "window", "", "window for sparklines and the window-start baseline (default 15m)")
	pf.StringVar(&g.rateWindow, "rate-window", "", "range of rate() in queries (default 5m, at most the window)")
	pf.StringVar(&g.at, "at", "", "evaluation instant: RFC 3339 or unix seconds (default now)")
	pf.StringVar(&g.replay, "replay", "", "answer from a snapshot file (written by the record command) instead of a server")
	pf.StringVar(&g.timeout, "timeout", "", "deadline of each query attempt, counted once a concurrency slot is free; the whole triage gets 3x (default 10s)")
	pf.IntVar(&g.concurrency, "concurrency", 0, fmt.Sprintf("queries in flight at once, 1-50 (default: the server's cores from its runtimeinfo, at most %d; %d when it does not say)",
		prom.DefaultConcurrency, prom.DefaultConcurrency))
	addTUIFlags(root)

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
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
		// Only prompt takes an argument: elsewhere the shell offers no
		// file names.
		if c.ValidArgsFunction == nil {
			c.ValidArgsFunction = cobra.NoFileCompletions
		}
	}
	return root
}

func newServicesCommand(g *globalFlags) *cobra.Command {
	var format *formatFlag
	var top int
	cmd := &cobra.Command{
		Use:   "services",
		Short: "Rank the services in the Prometheus by what changed (call graph followed when present)",
		Long: `services lists the services the HTTP metrics name (their job), ranked by how far each moved from
its own normal (P99 and errors against the day before, a traffic drop), weighted by its traffic. With
service-graph metrics (traces_service_graph_request_total) it follows the calls: the deepest anomalous
service, whose own callees are healthy, ranks first with the path to it. A --selector narrows the fleet.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := format.check(); err != nil {
				return err
			}
			s, err := newSession(cmd.Context(), g)
			if err != nil {
				return err
			}
			s.catalog = s.catalog.Only(report.ServiceSignals...).AllEntities(report.ServicesRead)
			s.opts.EntitySeries, s.opts.NoContributors = true, true
			res, err := s.triage(cmd.Context())
			var notes []string
			// More services or edges than one answer may hold: read the
			// ones that moved and the busiest edges, ranked server-side,
			// in one more pass.
			if services, graph := tooMany(res, err); services || graph {
				k := report.ServicesRead / 3
				if services {
					s.catalog = s.catalog.BoundServices(k, s.opts.At)
					notes = append(notes, fmt.Sprintf("more than %d services: only those that moved against the day before were read, up to %d each whose P99 rose, whose error share rose, whose traffic fell (ranked server-side with topk); the others did not move",
						report.ServicesRead, k))
				}
				if graph {
					s.catalog = s.catalog.BoundCallGraph(report.ServicesRead, s.opts.At)
				}
				res, err = s.triage(cmd.Context())
				if snap := res.Diagnosis.Snapshot; graph && snap != nil && graphCut(snap) {
					notes = append(notes, fmt.Sprintf("call graph too large (more than %d edges): the %d busiest were read (topk), paths through the others are not followed",
						report.ServicesRead, report.ServicesRead))
				}
			}
			if err != nil && res.Diagnosis.Snapshot == nil {
				if why := prom.Unmatched(cmd.Context(), s.querier, s.catalog, s.opts); why != "" {
					return fmt.Errorf("%w: --selector %s", err, triage.Sanitize(why))
				}
			}
			if err != nil {
				return err
			}
			return report.WriteServices(cmd.OutOrStdout(), res.Diagnosis.Snapshot, format.value, top, notes...)
		},
	}
	format = addFormatFlag(cmd, "text", "json", "text")
	cmd.Flags().IntVar(&top, "top", report.ServicesShown, "services the text lists, most changed first (every anomalous one too); 0 lists all (JSON lists all)")
	return cmd
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
		return usagef("unknown command %q for %q (see --help)", args[0], cmd.CommandPath())
	}
	return nil
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s takes %s", cmd.CommandPath(), what)
		}
		return nil
	}
}

func newReportCommand(g *globalFlags) *cobra.Command {
	var format *formatFlag
	var alert string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Print the signals and the ranked findings (json, markdown or text)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := format.check(); err != nil {
				return err
			}
			res, err := runTriageFrom(cmd.Context(), g, alert)
			if !collected(res) {
				return err
			}
			if werr := writeReport(cmd.OutOrStdout(), format.value, res); werr != nil {
				return werr
			}
			return err
		},
	}
	format = addFormatFlag(cmd, "text", "json", "markdown", "text")
	cmd.Flags().StringVar(&alert, "alert", "", "triage from a pending or firing alert (name or fingerprint, see the alerts command): its labels scope, its onset sets the window")
	return cmd
}

func newSignalsCommand(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "signals",
		Short: "Doctor: each signal, the exporter and query that found it, or why it is missing",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := runTriage(cmd.Context(), g)
			if !collected(res) {
				return err
			}
			if werr := report.WriteSignals(cmd.OutOrStdout(), res.Diagnosis.Snapshot); werr != nil {
				return werr
			}
			return err
		},
	}
}

// writeReport writes res in one of report's formats (checked by the caller).
func writeReport(w io.Writer, format string, res report.Result) error {
	switch format {
	case "json":
		return report.WriteJSON(w, res)
	case "markdown":
		return report.WriteMarkdown(w, res)
	}
	return report.WriteText(w, res)
}

func newRecordCommand(g *globalFlags) *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "record -o FILE",
		Short: "Save every query result, the detected exporters and the verdicts to a snapshot file (mode 0600)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("record needs -o FILE")
			}
			// Before the triage, not after it: an existing file should not
			// cost the user a collection.
			if err := checkDestination(out, force); err != nil {
				return err
			}
			s, err := newSession(cmd.Context(), g)
			if err != nil {
				return err
			}
			data, res, err := s.record(cmd.Context())
			if data == nil {
				return err
			}
			if werr := writeFileAtomic(out, force, func(w io.Writer) error {
				_, err := w.Write(data)
				return err
			}); werr != nil {
				return werr
			}
			snap := res.Diagnosis.Snapshot
			partial := ""
			if snap.Partial {
				partial = " (PARTIAL)"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "recorded %d signals (%d found), %d queries, %d findings to %s%s\n",
				len(snap.Readings), res.CountFound(), snap.Queries, len(res.Diagnosis.Findings), out, partial)
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "snapshot file to write (never over an existing file without --force, never through a symbolic link)")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing snapshot file")
	return cmd
}

// parseAt reads --at: RFC 3339 or unix seconds (fractions allowed), from
// the unix epoch to a day after now (clocks differ; later than that no
// server has data).
func parseAt(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	earliest, latest := time.Unix(0, 0).UTC(), now.Add(day).UTC()
	outOfRange := fmt.Errorf("--at %q is out of range: use a time from %s to %s (a day after now)", s, earliest.Format(time.RFC3339), latest.Format(time.RFC3339))
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) {
			return time.Time{}, fmt.Errorf("--at %q: use RFC 3339 (2026-11-26T21:00:00Z) or unix seconds", s)
		}
		// Checked before converting: beyond int64 seconds there is no time.
		if f < 0 || f > float64(latest.Unix()) {
			return time.Time{}, outOfRange
		}
		sec, frac := math.Modf(f)
		t = time.Unix(int64(sec), int64(frac*1e9))
	}
	if t.Before(earliest) || t.After(latest) {
		return time.Time{}, outOfRange
	}
	return t.UTC(), nil
}

// graphCut reports a bounded call graph that read as many edges as the
// bound: there were more.
func graphCut(snap *triage.Snapshot) bool {
	calls, ok := snap.Get(triage.SignalServiceCalls)
	return ok && calls.EntityCount >= report.ServicesRead
}

// tooMany reports which part of a services pass was over the client's
// cap on one answer: the service signals, the call graph (err: when
// nothing could be read at all, both may be).
func tooMany(res report.Result, err error) (services, graph bool) {
	snap := res.Diagnosis.Snapshot
	if snap == nil {
		over := err != nil && prom.TooMany(err.Error())
		return over, over
	}
	for _, r := range snap.Readings {
		if r.Status == triage.StatusError && prom.TooMany(r.Reason) {
			if r.ID == triage.SignalServiceCalls {
				graph = true
			} else {
				services = true
			}
		}
	}
	return services, graph
}

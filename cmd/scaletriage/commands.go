package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/report"
)

// globalFlags are the contract's global flags.
type globalFlags struct {
	url         string
	configPath  string
	selector    string
	window      string
	rateWindow  string
	at          string
	replay      string
	timeout     string
	concurrency int
}

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	g := &globalFlags{}
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
	pf.StringVar(&g.configPath, "config", "", "YAML config file (auth, selector, thresholds, extra queries, prompt context)")
	pf.StringVar(&g.selector, "selector", "", `label matchers scoping application signals, e.g. 'job="api"'`)
	pf.StringVar(&g.window, "window", "", "window for sparklines and the window-start baseline (default 15m)")
	pf.StringVar(&g.rateWindow, "rate-window", "", "range of rate() in queries (default 5m, at most the window)")
	pf.StringVar(&g.at, "at", "", "evaluation instant: RFC 3339 or unix seconds (default now)")
	pf.StringVar(&g.replay, "replay", "", "answer from a snapshot file (written by the record command) instead of a server")
	pf.StringVar(&g.timeout, "timeout", "", "deadline of each query attempt, counted once a concurrency slot is free; the whole triage gets 3x (default 10s)")
	pf.IntVar(&g.concurrency, "concurrency", 0, "queries in flight at once (default 5)")
	addTUIFlags(root)

	root.AddCommand(
		newReportCommand(g),
		newSignalsCommand(g),
		newRecordCommand(g),
		newPromptCommand(g),
		newPromptsCommand(g),
		newDemoCommand(g),
		newVersionCommand(),
	)
	for _, c := range root.Commands() {
		c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	}
	return root
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
	var format string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Print the signals and the ranked findings (json, markdown or text)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "json" && format != "markdown" && format != "text" {
				return usagef("--format must be json, markdown or text, not %q", format)
			}
			res, err := runTriage(cmd.Context(), g)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return report.WriteJSON(cmd.OutOrStdout(), res)
			case "markdown":
				return report.WriteMarkdown(cmd.OutOrStdout(), res)
			}
			return report.WriteText(cmd.OutOrStdout(), res)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "json, markdown or text")
	return cmd
}

func newSignalsCommand(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "signals",
		Short: "Doctor: each signal, the exporter and query that found it, or why it is missing",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := runTriage(cmd.Context(), g)
			if err != nil {
				return err
			}
			return report.WriteSignals(cmd.OutOrStdout(), res.Diagnosis.Snapshot)
		},
	}
}

func newRecordCommand(g *globalFlags) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "record -o FILE",
		Short: "Save every query result, the detected exporters and the verdicts to a snapshot file",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("record needs -o FILE")
			}
			s, err := newSession(cmd.Context(), g)
			if err != nil {
				return err
			}
			data, res, err := s.record(cmd.Context())
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				return err
			}
			snap := res.Diagnosis.Snapshot
			fmt.Fprintf(cmd.OutOrStdout(), "recorded %d signals (%d found), %d queries, %d findings to %s\n",
				len(snap.Readings), res.CountFound(), snap.Queries, len(res.Diagnosis.Findings), out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "snapshot file to write")
	return cmd
}

// parseAt reads --at: RFC 3339 or unix seconds (fractions allowed).
func parseAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 {
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("--at %q: use RFC 3339 (2026-11-26T21:00:00Z) or unix seconds", s)
}

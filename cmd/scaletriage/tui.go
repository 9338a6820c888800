package main

import (
	"context"
	"errors"
	"io"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
	"github.com/scaletriage/scaletriage/tui"
)

// refreshFlag is the live TUI's auto-refresh period (a root flag).
const refreshFlag = "refresh"

// addTUIFlags registers the flags only the TUI reads on the root command.
func addTUIFlags(root *cobra.Command) {
	root.Flags().Duration(refreshFlag, tui.DefaultRefresh, "auto-refresh period of the live TUI (at least 1s)")
}

// runTUI opens the TUI on the configured Prometheus or, with --replay, on
// a snapshot.
func runTUI(cmd *cobra.Command, g *globalFlags) error {
	s, err := newSession(cmd.Context(), g)
	if err != nil {
		return err
	}
	src := sessionCollector{session: s, live: g.replay == "", fixedAt: g.at != ""}
	origin := s.source.URL
	if !src.live {
		origin = "snapshot " + g.replay
	}
	return startTUI(cmd, src, origin)
}

func startTUI(cmd *cobra.Command, src sessionCollector, origin string) error {
	refresh := tui.DefaultRefresh
	if f := cmd.Flags().Lookup(refreshFlag); f != nil {
		refresh, _ = cmd.Flags().GetDuration(refreshFlag)
		if refresh < time.Second {
			return usagef("--%s %s: use at least 1s", refreshFlag, f.Value)
		}
	}
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return usagef("the TUI needs a terminal; for pipes and bots use `scaletriage report` or `scaletriage prompt`")
	}
	model := tui.New(cmd.Context(), tui.Config{
		Collector:  src,
		Origin:     origin,
		Signals:    src.session.catalog,
		Window:     src.session.opts.Window,
		Selector:   src.session.opts.Selector,
		Refresh:    refresh,
		Prompts:    src.session.result(triage.Diagnosis{}),
		NoColor:    os.Getenv("NO_COLOR") != "",
		Clipboard:  tui.NativeClipboard(os.Getenv),
		Browser:    tui.NativeBrowser(os.Getenv),
		Hyperlinks: tui.HyperlinksSupported(os.Getenv),
		OSC52Limit: tui.OSC52LimitFor(os.Getenv),
	})
	defer model.Close()
	_, err := tea.NewProgram(model, tea.WithContext(cmd.Context())).Run()
	if errors.Is(err, tea.ErrInterrupted) || (errors.Is(err, tea.ErrProgramKilled) && cmd.Context().Err() != nil) {
		return nil // ctrl+c or a signal: a normal way to leave
	}
	return err
}

// sessionCollector is the TUI's view of a session: a live server collects
// again on every refresh (at now, unless --at fixed the instant) for any
// window and selector; a recording answers only the window and selector it
// recorded (the TUI does not ask it for others: see tui.Collector.Live).
type sessionCollector struct {
	session *session
	live    bool
	fixedAt bool
}

func (s sessionCollector) Live() bool { return s.live }

func (s sessionCollector) Collect(ctx context.Context, req tui.Request, progress func(triage.Reading)) (report.Result, error) {
	pass := *s.session // a copy: each pass has its own options
	pass.opts.Progress = progress
	if s.live {
		// Parsed as --selector is: the TUI builds it from a service name
		// the server sent.
		selector, err := prom.ParseSelector(req.Selector)
		if err != nil {
			return report.Result{}, err
		}
		pass.opts.Window, pass.opts.Selector = req.Window, selector
		// The fleet's pass feeds the picker: each service's onset.
		pass.opts.EntitySeries = selector == ""
		if !s.fixedAt {
			pass.opts.At = time.Now().UTC()
		}
		if req.Alert != nil {
			pass.opts.Window = req.Alert.OnsetWindow(pass.opts.At, req.Window, maxOnsetWindow)
		}
	}
	res, err := pass.triage(ctx)
	res.Alert = req.Alert
	if s.live && req.Selector == "" && collected(res) {
		// The picker lists the pages first, read as the alerts command
		// reads them (Alertmanager included). Unreadable alerts leave it
		// with the services: the triage itself has already answered, and
		// no warning may be printed under the TUI.
		res.Alerts, _ = pass.readAlerts(ctx, !s.fixedAt, io.Discard)
	}
	return res, err
}

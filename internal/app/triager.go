package app

import (
	"context"
	"io"
	"time"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
	"github.com/scaletriage/scaletriage/tui"
)

// Triager is the TUI's view of a session: a live server collects again
// on every refresh (at now, unless --at fixed the instant) for any window
// and selector; a recording answers only the window and selector it
// recorded (the TUI does not ask it for others: see tui.Collector.Live).
type Triager struct {
	session *session
	live    bool
	fixedAt bool
	origin  string
}

// Open resolves the request into the TUI's Triager: the configured
// Prometheus or, with req.Replay, a snapshot.
func Open(req Request) (Triager, error) {
	s, err := newSession(req)
	if err != nil {
		return Triager{}, err
	}
	c := Triager{session: s, live: req.Replay == "", fixedAt: req.At != "", origin: s.Source.URL}
	if !c.live {
		c.origin = "recording " + req.Replay
	}
	return c, nil
}

// OpenRecording is Open on a snapshot's bytes (the embedded demo), which
// name names.
func OpenRecording(req Request, data []byte, name string) (Triager, error) {
	s, err := newRecordingSession(req, data, name)
	if err != nil {
		return Triager{}, err
	}
	return Triager{session: s, origin: name}, nil
}

// Config is what the TUI shows before its first pass: the collector, where
// it reads, the signals, the window and scope, the prompts' context. The
// caller adds the terminal's settings.
func (c Triager) Config() tui.Config {
	return tui.Config{
		Triager:  c,
		Origin:   c.origin,
		Signals:  c.session.Catalog,
		Window:   c.session.Options.Window,
		Selector: c.session.Options.Selector,
		Prompts:  c.session.result(triage.Diagnosis{}),
	}
}

// Live implements tui.Collector.
func (c Triager) Live() bool { return c.live }

// Triage implements tui.Collector.
func (c Triager) Triage(ctx context.Context, req tui.Request, progress func(triage.Reading)) (report.Pass, error) {
	pass := *c.session // a copy: each pass has its own options
	pass.Options.Progress = progress
	if c.live {
		// Parsed as --selector is: the TUI builds it from a service name
		// the server sent.
		selector, err := prom.ParseSelector(req.Selector)
		if err != nil {
			return report.Pass{}, err
		}
		pass.Options.Window, pass.Options.Selector = req.Window, selector
		// The fleet's pass feeds the picker: each service's onset.
		pass.Options.EntitySeries = selector == ""
		if !c.fixedAt {
			pass.Options.At = time.Now().UTC()
		}
		if req.Alert != nil {
			pass.Options.Window = req.Alert.OnsetWindow(pass.Options.At, req.Window, maxOnsetWindow)
		}
	}
	res, err := pass.triage(ctx)
	res.Alert = req.Alert
	if c.live && req.Selector == "" && res.Read() {
		// The picker lists the pages first, read as the alerts command
		// reads them (Alertmanager included). Unreadable alerts leave it
		// with the services: the triage itself has already answered, and
		// no warning may be printed under the TUI.
		res.Alerts, _ = pass.readAlerts(ctx, !c.fixedAt, io.Discard)
	}
	return res, err
}

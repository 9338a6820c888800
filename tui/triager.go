package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// Triager runs triage passes over a live Prometheus or a recording. The
// TUI calls it only from commands, never from Update.
type Triager interface {
	// Triage runs one pass of req, calling progress with each reading as
	// soon as it is complete (from any goroutine; calls are serialized).
	Triage(ctx context.Context, req Request, progress func(triage.Reading)) (report.Pass, error)
	// Live reports whether collecting again can give new answers: only then
	// does the TUI refresh on a timer and let the window or the scope
	// change. A recording answers only what it recorded, so the TUI never
	// asks it for another window or selector.
	Live() bool
}

// Request is what one pass collects.
type Request struct {
	Window time.Duration
	// Selector scopes the application signals to the service in trouble
	// (label matchers such as job="api", which the Triager parses); empty
	// is every service.
	Selector string
	// Alert is the page the pass starts from (its labels are Selector):
	// the Triager widens the window to hold its onset and the guidance
	// shows it. nil when the scope came from a service or --selector.
	Alert *triage.Alert
}

// readingMsg is one reading of collection gen, with the channel the rest
// of that collection arrives on.
type readingMsg struct {
	gen     int
	reading triage.Reading
	events  <-chan tea.Msg
}

// collectedMsg ends collection gen.
type collectedMsg struct {
	gen  int
	pass report.Pass
	err  error
	took time.Duration
}

// refreshTickMsg is the auto-refresh timer, armed after collection gen.
type refreshTickMsg struct{ gen int }

// clockMsg redraws the "refreshed N s ago" age once a second.
type clockMsg struct{}

// triageCmd starts pass gen: readings and the final pass come back
// one message at a time on a channel, so Update never waits. Cancelling ctx
// releases the goroutine even if nobody listens any more.
func triageCmd(ctx context.Context, src Triager, req Request, gen int, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		events := make(chan tea.Msg)
		send := func(msg tea.Msg) {
			select {
			case events <- msg:
			case <-ctx.Done():
			}
		}
		go func() {
			defer close(events)
			start := now()
			pass, err := src.Triage(ctx, req, func(r triage.Reading) {
				send(readingMsg{gen: gen, reading: r, events: events})
			})
			send(collectedMsg{gen: gen, pass: pass, err: err, took: now().Sub(start)})
		}()
		return listen(events)()
	}
}

// listen waits for the next event of a collection.
func listen(events <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-events
		if !ok {
			return nil
		}
		return msg
	}
}

func (c *common) refreshTick(every time.Duration, gen int) tea.Cmd {
	return c.tick(every, func(time.Time) tea.Msg { return refreshTickMsg{gen: gen} })
}

func (c *common) clockTick() tea.Cmd {
	return c.tick(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
}

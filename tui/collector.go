package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// Collector runs triage passes over a live Prometheus or a recording. The
// TUI calls it only from commands, never from Update.
type Collector interface {
	// Collect runs one pass over window, calling progress with each reading
	// as soon as it is complete (from any goroutine; calls are serialized).
	Collect(ctx context.Context, window time.Duration, progress func(triage.Reading)) (report.Result, error)
	// Live reports whether collecting again can give new answers: only then
	// does the TUI refresh on a timer and let the window change.
	Live() bool
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
	pass report.Result
	err  error
	took time.Duration
}

// refreshTickMsg is the auto-refresh timer, armed after collection gen.
type refreshTickMsg struct{ gen int }

// clockMsg redraws the "refreshed N s ago" age once a second.
type clockMsg struct{}

// collectCmd starts collection gen: readings and the final pass come back
// one message at a time on a channel, so Update never waits. Cancelling ctx
// releases the goroutine even if nobody listens any more.
func collectCmd(ctx context.Context, src Collector, window time.Duration, gen int, now func() time.Time) tea.Cmd {
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
			pass, err := src.Collect(ctx, window, func(r triage.Reading) {
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

func refreshTick(every time.Duration, gen int) tea.Cmd {
	return tea.Tick(every, func(time.Time) tea.Msg { return refreshTickMsg{gen: gen} })
}

func clockTick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return clockMsg{} })
}

package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
)

// Filling a prompt in (scrubbing and formatting every value: tens of
// milliseconds on a real pass) and counting the library's fills (27
// prompts) run in commands, never in Update: their results carry what they
// were computed for, and a result that no longer matches is dropped. The
// Input they read is built in Update and only read after (the pass is
// replaced, never changed; the context map is a fresh merge).

// contentReason says what asked for a prompt's content, for the status
// line once it arrives.
type contentReason int

const (
	contentOpened contentReason = iota
	contentPass                 // a new pass, new numbers
	contentRedact               // redaction toggled
	contentValues               // placeholders typed in the form
)

// promptContentMsg is a prompt filled in and its guidance written, both
// rendered at the widths of the moment (a resize since then renders again).
type promptContentMsg struct {
	seq      int // the request it answers (Model.contentSeq)
	reason   contentReason
	pop      prompts.Populated
	guide    string
	rendered *markdown
}

// fillPrompt asks for the open prompt's content; until it arrives the view
// says it is filling in, and copying waits.
func (m *Model) fillPrompt(reason contentReason) tea.Cmd {
	v := m.prompt
	if v == nil {
		return nil
	}
	m.contentSeq++
	v.setPending(true)
	seq, p, f, in := m.contentSeq, v.prompt, v.finding, m.promptInput(v.finding)
	render := v.renderer()
	return m.work(func() tea.Msg {
		msg := promptContentMsg{seq: seq, reason: reason, pop: prompts.Populate(p, in), rendered: newMarkdown()}
		if f != nil {
			msg.guide = prompts.Guidance(*f, in)
		} else {
			msg.guide = prompts.LibraryGuidance(p, in)
		}
		render(msg.rendered, msg.pop, msg.guide)
		return msg
	})
}

// handlePromptContent shows the content if it answers the latest request.
func (m *Model) handlePromptContent(msg promptContentMsg) tea.Cmd {
	v := m.prompt
	if v == nil || msg.seq != m.contentSeq {
		return nil // superseded, or the prompt was closed
	}
	v.pending = false
	m.md.adopt(msg.rendered)
	v.setContent(msg.pop, msg.guide)
	switch msg.reason {
	case contentRedact:
		if !m.redact {
			return m.status.set("redaction off: names are shown as measured", levelInfo)
		}
		return m.status.set(prompts.RedactionPreview(msg.pop.Redactions), levelInfo)
	case contentValues:
		return m.status.set(fmt.Sprintf("%d/%d placeholders filled", msg.pop.Filled, msg.pop.Total), levelInfo)
	}
	return nil
}

// fillsMsg is every library prompt's fill count for one pass and one set
// of typed values.
type fillsMsg struct {
	seq   int
	fills map[triage.PromptID]fillCount
}

// countFills asks for the library's fill counts when the library is on
// screen and its counts are stale; nil otherwise (they wait until shown).
func (m *Model) countFills() tea.Cmd {
	if m.fillsAsked == m.fillsSeq || m.cover() != nil || m.focus != Pane(m.library) {
		return nil
	}
	m.fillsAsked = m.fillsSeq
	seq, in := m.fillsSeq, m.promptInput(nil)
	return m.work(func() tea.Msg {
		fills := map[triage.PromptID]fillCount{}
		for _, p := range prompts.Library() {
			pop := prompts.Populate(p, in)
			fills[p.ID] = fillCount{filled: pop.Filled, total: pop.Total}
		}
		return fillsMsg{seq: seq, fills: fills}
	})
}

// work is a content command; with Config.inlineWork it runs now and its
// message is handled at once.
func (m *Model) work(f func() tea.Msg) tea.Cmd {
	if m.cfg.inlineWork {
		return m.update(f())
	}
	return f
}

// staleFills marks the counts out of date (a new pass, new values).
func (m *Model) staleFills() {
	m.fillsSeq++
}

// fillsFresh: the library shows the counts of the latest state.
func (m *Model) fillsFresh() bool { return m.fillsShown == m.fillsSeq }

func (m *Model) handleFills(msg fillsMsg) {
	if msg.seq != m.fillsSeq {
		return
	}
	m.fillsShown = msg.seq
	m.library.setFills(msg.fills)
}

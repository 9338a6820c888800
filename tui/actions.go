package tui

import (
	"fmt"
	"slices"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
)

// handleKey routes a key: an open form or filter takes every key; then the
// global keys; then the prompt view or the focused pane.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return m.quit()
	}
	switch m.screen() {
	case screenForm:
		return m.handleFormKey(msg)
	case screenFilter:
		return m.library.Update(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m.quit()
	case key.Matches(msg, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
		return nil
	case key.Matches(msg, m.keys.Refresh):
		return m.refresh()
	case key.Matches(msg, m.keys.Window):
		return m.cycleWindow()
	case m.help.ShowAll && key.Matches(msg, m.keys.Back):
		m.help.ShowAll = false
		m.layout()
		return nil
	}
	switch m.screen() {
	case screenError:
		return nil
	case screenPrompt:
		return m.handlePromptKey(msg)
	case screenPicker:
		return m.handlePickerKey(msg)
	}
	return m.handlePaneKey(msg)
}

func (m *Model) handlePaneKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.NextPane):
		m.cyclePanes(1)
	case key.Matches(msg, m.keys.PrevPane):
		m.cyclePanes(-1)
	case key.Matches(msg, m.keys.Filter):
		m.focusPane(m.library)
		return m.library.startFilter()
	case key.Matches(msg, m.keys.Open):
		if m.focus == m.signals {
			return m.focus.Update(msg) // the folded missing signals open in place
		}
		return m.openSelected(0)
	case key.Matches(msg, m.keys.OpenNth) && m.focus == m.findings:
		n, _ := strconv.Atoi(msg.String())
		return m.openSelected(n - 1)
	case key.Matches(msg, m.keys.Scope):
		return m.openPicker()
	case key.Matches(msg, m.keys.OpenLink) && (m.focus == m.findings || m.focus == m.signals):
		return m.openLink()
	case key.Matches(msg, m.keys.Ticket) && m.pass.Diagnosis.Snapshot != nil:
		return tea.Batch(m.status.set("writing the incident ticket…", levelInfo), ticketCmd(m.pass.WithContext(m.userValues), m.cfg.Files))
	default:
		m.moved = true
		return m.focus.Update(msg)
	}
	return nil
}

// cyclePanes moves the focus step tabs along, wrapping around.
func (m *Model) cyclePanes(step int) {
	n := len(m.panes)
	m.focusPane(m.panes[(slices.Index(m.panes, m.focus)+step+n)%n])
}

func (m *Model) focusPane(p Pane) {
	m.focus, m.moved = p, true
	m.renderHeader()
}

// openPicker shows the fleet's services, or says why there is no choice.
func (m *Model) openPicker() tea.Cmd {
	switch {
	case m.cfg.Selector != "":
		return m.status.set("scoped to "+scopeText(m.cfg.Selector)+" from the start: no fleet ranking to pick from", levelInfo)
	case !m.picker.available():
		return m.status.set(fmt.Sprintf("%d service(s) in this snapshot: nothing to pick", len(m.picker.services)), levelInfo)
	}
	m.showPicker()
	return nil
}

func (m *Model) showPicker() {
	m.picking = true
	m.picker.open()
	m.renderHeader()
}

// handlePickerKey: enter triages the selected service, esc keeps the
// scope; other keys move the cursor.
func (m *Model) handlePickerKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Pick):
		if a, ok := m.picker.selectedAlert(); ok {
			return m.pickAlert(a)
		}
		return m.pickService(m.picker.selected())
	case key.Matches(msg, m.keys.Back):
		m.picking = false
		m.renderHeader()
		return nil
	}
	return m.picker.Update(msg)
}

// pickService scopes the panes to a service ("" for all) and re-collects.
// A recording is not re-scoped, not even offline: it holds the answers to
// the queries of its own scope only, and the service's own series, hosts
// and dependencies are found by queries carrying the selector, so
// re-diagnosing its snapshot would pass the fleet's numbers off as the
// service's. It says so and keeps its scope.
func (m *Model) pickService(name string) tea.Cmd {
	m.picking = false
	m.renderHeader()
	scope := ""
	if name != "" {
		scope = m.picker.selectorOf(name)
	}
	switch {
	case scope == m.scope && m.alert == nil:
		return nil
	case !m.cfg.Triager.Live():
		return m.status.set(scopeText(scope)+" not collected: a recording answers only what it recorded; it stays on "+scopeText(m.scope), levelWarn)
	}
	m.scope, m.alert, m.picker.current = scope, nil, name
	return tea.Batch(m.recollect(), m.status.set(scopeText(scope)+": collecting", levelInfo))
}

// pickAlert scopes the panes to an alert's labels over a window that holds
// its onset, and re-collects; a recording keeps its scope, as for a
// service.
func (m *Model) pickAlert(a triage.Alert) tea.Cmd {
	m.picking = false
	m.renderHeader()
	if !m.cfg.Triager.Live() {
		return m.status.set(triage.Sanitize(a.Name)+" not collected: a recording answers only what it recorded; it stays on "+scopeText(m.scope), levelWarn)
	}
	m.scope, m.alert, m.picker.current = a.Selector(), &a, a.Fingerprint()
	return tea.Batch(m.recollect(), m.status.set(triage.Sanitize(a.Name)+": collecting "+scopeText(m.scope), levelInfo))
}

// openSelected opens the selected finding's nth prompt, or the selected
// library prompt.
func (m *Model) openSelected(nth int) tea.Cmd {
	switch m.focus {
	case m.findings:
		f, ok := m.findings.selected()
		if !ok {
			return m.status.set("no finding to open", levelInfo)
		}
		if nth >= len(f.Prompts) {
			return m.status.set(fmt.Sprintf("%s leads to %d prompt(s)", f.ID, len(f.Prompts)), levelInfo)
		}
		return m.openFindingPrompt(f.ID, nth)
	case m.library:
		if p, ok := m.library.selected(); ok {
			return m.openPrompt(p, nil)
		}
		return nil
	}
	return m.status.set("prompts open from Findings (enter) or the Library", levelInfo)
}

// openFindingPrompt opens the nth prompt of the current pass's finding id.
func (m *Model) openFindingPrompt(id triage.RuleID, nth int) tea.Cmd {
	f := m.sameFinding(id)
	if f == nil {
		return nil
	}
	p, ok := prompts.ByID(f.Prompts[nth])
	if !ok {
		return m.status.set("unknown prompt "+string(f.Prompts[nth]), levelError)
	}
	return m.openPrompt(p, f)
}

func (m *Model) handlePromptKey(msg tea.KeyPressMsg) tea.Cmd {
	v := m.prompt
	switch {
	case key.Matches(msg, m.keys.Back):
		m.prompt = nil
		m.layout()
	case v.pending && (key.Matches(msg, m.keys.Copy) || key.Matches(msg, m.keys.Write)):
		return m.status.set("still filling the prompt in with the latest numbers: try again in a moment", levelInfo)
	case key.Matches(msg, m.keys.Copy):
		return tea.Batch(m.status.set(fmt.Sprintf("copying %s bytes…", triage.Thousands(len(v.pop.Markdown))), levelInfo),
			copyCmd(v.pop.Markdown, string(v.prompt.ID), m.cfg.OSC52Limit, m.cfg.Clipboard, m.cfg.Files))
	case key.Matches(msg, m.keys.Write):
		return saveCmd(v.pop.Markdown, string(v.prompt.ID), m.cfg.Files)
	case key.Matches(msg, m.keys.Edit):
		return m.openForm()
	case key.Matches(msg, m.keys.Redact):
		m.redact = !m.redact
		m.staleFills()
		return m.fillPrompt(contentRedact)
	case key.Matches(msg, m.keys.NextPrompt), key.Matches(msg, m.keys.PrevPrompt):
		i, n := v.relatedPosition()
		if n < 2 {
			return m.status.set("no related prompt: this one was opened from the library or its finding has one prompt", levelInfo)
		}
		step := 1
		if key.Matches(msg, m.keys.PrevPrompt) {
			step = n - 1
		}
		return m.openFindingPrompt(v.finding.ID, (i+step)%n)
	default:
		return v.Update(msg)
	}
	return nil
}

// openForm asks for the prompt's unfilled placeholders and those the user
// filled before, so a typo can be fixed.
func (m *Model) openForm() tea.Cmd {
	v := m.prompt
	spans := m.formSpans[v.prompt.ID]
	for _, s := range v.pop.Unfilled {
		if !slices.Contains(spans, s) {
			spans = append(spans, s)
		}
	}
	m.formSpans[v.prompt.ID] = spans
	form, cmd := newFillForm(m.common, spans, m.userValues)
	v.form = form
	form.SetSize(v.width, v.height-promptHeaderLines)
	return cmd
}

// handleFormKey saves or discards the form's edits; other keys edit.
func (m *Model) handleFormKey(msg tea.KeyPressMsg) tea.Cmd {
	v := m.prompt
	switch {
	case key.Matches(msg, m.keys.Cancel):
		v.form = nil
		return m.status.set("edits discarded", levelInfo)
	case key.Matches(msg, m.keys.Save):
		for span, value := range v.form.values() {
			if value == "" {
				delete(m.userValues, span)
			} else {
				m.userValues[span] = value
			}
		}
		v.form = nil
		m.staleFills()
		return m.fillPrompt(contentValues)
	}
	return v.form.Update(msg)
}

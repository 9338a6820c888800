package tui

import "charm.land/bubbles/v2/key"

// KeyMap is every key binding; the help view is built from the same
// bindings, so what it shows is what works.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	NextPane, PrevPane                      key.Binding // tab, shift+tab, l, h
	Open, Back, Filter                      key.Binding
	OpenNth                                 key.Binding // 1-9: a finding's Nth prompt
	Refresh, Window, Missing                key.Binding
	Scope, Pick                             key.Binding // open the service picker, triage the selected service
	Copy, Write, Edit, Guidance, Redact     key.Binding
	OpenLink                                key.Binding // the graph behind the selection
	Ticket                                  key.Binding // w on the panes: the incident ticket
	NextPrompt, PrevPrompt                  key.Binding // the finding's related prompts
	Help, Quit                              key.Binding

	// Form and filter keys.
	Save, Cancel, NextField, PrevField key.Binding
}

// DefaultKeyMap follows k9s/lazygit habits: arrows and hjkl, tab between
// panes, / to filter, esc back, ? help, q quit.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	return KeyMap{
		Up:         b([]string{"up", "k"}, "↑/k", "up"),
		Down:       b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:     b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown:   b([]string{"pgdown", "ctrl+f", "space"}, "pgdn", "page down"),
		Top:        b([]string{"home"}, "home", "top"),
		Bottom:     b([]string{"end"}, "end", "bottom"),
		NextPane:   b([]string{"tab", "right", "l"}, "tab", "next pane"),
		PrevPane:   b([]string{"shift+tab", "left", "h"}, "shift+tab", "previous pane"),
		Open:       b([]string{"enter"}, "enter", "open"),
		Back:       b([]string{"esc"}, "esc", "back"),
		Filter:     b([]string{"/"}, "/", "filter"),
		OpenNth:    b([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, "1-9", "Nth prompt"),
		Refresh:    b([]string{"r"}, "r", "refresh"),
		Missing:    b([]string{"m"}, "m", "missing signals"),
		Window:     b([]string{"t"}, "t", "window"),
		Scope:      b([]string{"s"}, "s", "services"),
		Pick:       b([]string{"enter"}, "enter", "triage it"),
		Copy:       b([]string{"c"}, "c", "copy"),
		OpenLink:   b([]string{"o"}, "o", "open graph"),
		Ticket:     b([]string{"w"}, "w", "write the ticket"),
		Write:      b([]string{"w"}, "w", "write file"),
		Edit:       b([]string{"e"}, "e", "fill in"),
		Guidance:   b([]string{"g"}, "g", "guidance"),
		Redact:     b([]string{"x"}, "x", "redact names"),
		NextPrompt: b([]string{"]"}, "]", "next prompt"),
		PrevPrompt: b([]string{"["}, "[", "previous prompt"),
		Help:       b([]string{"?"}, "?", "help"),
		Quit:       b([]string{"q", "ctrl+c"}, "q", "quit"),
		Save:       b([]string{"enter"}, "enter", "save"),
		Cancel:     b([]string{"esc"}, "esc", "cancel"),
		NextField:  b([]string{"tab", "down"}, "tab/↓", "next field"),
		PrevField:  b([]string{"shift+tab", "up"}, "shift+tab/↑", "previous field"),
	}
}

// contextHelp is the help for what is on screen: it implements
// help.KeyMap with the bindings that work there.
type contextHelp struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h contextHelp) ShortHelp() []key.Binding  { return h.short }
func (h contextHelp) FullHelp() [][]key.Binding { return h.full }

// helpKeys returns the help of what has the keyboard: its own keys, then
// the global ones that work there.
func (m *Model) helpKeys() contextHelp {
	k := m.keys
	nav := []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
	global := []key.Binding{k.Help, k.Quit}
	if m.cfg.Triager.Live() {
		global = []key.Binding{k.Window, k.Help, k.Quit}
	}
	app := append([]key.Binding{k.Refresh}, global...)
	switch m.screen() {
	case screenForm:
		form := []key.Binding{k.Save, k.Cancel, k.NextField, k.PrevField}
		return contextHelp{short: form, full: [][]key.Binding{form}}
	case screenFilter:
		filter := []key.Binding{k.Save, k.Cancel}
		return contextHelp{short: filter, full: [][]key.Binding{filter}}
	case screenPrompt:
		prompt := []key.Binding{k.Copy, k.Write, k.Edit, k.Guidance, k.Redact, k.NextPrompt, k.PrevPrompt, k.NextPane, k.Back}
		return contextHelp{short: append(m.prompt.ShortHelp(), k.Help), full: [][]key.Binding{prompt, nav, app}}
	case screenError:
		return contextHelp{short: []key.Binding{k.Refresh, k.Quit}, full: [][]key.Binding{{k.Refresh, k.Quit}}}
	case screenPicker:
		return contextHelp{short: append(m.picker.ShortHelp(), global...), full: [][]key.Binding{{k.Pick, k.Back}, nav, app}}
	}
	panes := []key.Binding{k.NextPane, k.PrevPane, k.Open, k.OpenNth, k.OpenLink, k.Ticket, k.Filter, k.Back}
	short := m.focus.ShortHelp()
	if m.picker.available() {
		panes, short = append(panes, k.Scope), append(short, k.Scope)
	}
	return contextHelp{short: append(short, global...), full: [][]key.Binding{panes, nav, app}}
}

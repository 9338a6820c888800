package tui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// common is what every component shares. Components hold a pointer to it,
// so a style switch (the terminal's background reply) is one assignment.
type common struct {
	styles *Styles
	keys   KeyMap
	tick   func(time.Duration, func(time.Time) tea.Msg) tea.Cmd // Config.tick
}

// Pane is a tab of the main screen. The model loops over its panes to
// draw the tabs, size them and route keys, so a pane knows nothing of the
// others.
type Pane interface {
	// Title is the tab label, counts included.
	Title() string
	// SetSize lays the pane out again; the model also calls it after a
	// style switch, so a pane re-renders with the new styles there.
	SetSize(width, height int)
	// View returns the pane as last rendered; it does no work.
	View() string
	// Update handles a key the model did not take (navigation, mostly).
	Update(msg tea.KeyPressMsg) tea.Cmd
	// ShortHelp is the pane's part of the one-line help; the model
	// appends the global keys.
	ShortHelp() []key.Binding
}

// The prompt view is not a tab, it covers the panes; it follows the same
// contract, its Title following the tabs.
var _ Pane = (*promptView)(nil)

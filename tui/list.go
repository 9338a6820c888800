package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// listCursor is the selected row of a list and the first row on screen,
// shared by the signals, findings and library panes.
type listCursor struct{ cursor, offset int }

// update moves the cursor for a navigation key; it reports whether it moved.
func (l *listCursor) update(msg tea.KeyPressMsg, k KeyMap, n, height int) bool {
	to, ok := navigate(msg, k, l.cursor, height, n-1)
	if !ok {
		return false
	}
	old := l.cursor
	l.cursor = to
	l.clamp(n)
	return l.cursor != old
}

// navigate is where a navigation key moves a position (a list's cursor, a
// text's first line), not yet clamped: a line, a page of height, or an
// end (last is the largest position); ok is false for other keys.
func navigate(msg tea.KeyPressMsg, k KeyMap, pos, height, last int) (to int, ok bool) {
	page := max(height-1, 1)
	switch {
	case key.Matches(msg, k.Up):
		return pos - 1, true
	case key.Matches(msg, k.Down):
		return pos + 1, true
	case key.Matches(msg, k.PageUp):
		return pos - page, true
	case key.Matches(msg, k.PageDown):
		return pos + page, true
	case key.Matches(msg, k.Top):
		return 0, true
	case key.Matches(msg, k.Bottom):
		return last, true
	}
	return pos, false
}

func (l *listCursor) clamp(n int) {
	l.cursor = max(min(l.cursor, n-1), 0)
}

// visible returns the rows to draw, scrolled so the cursor is on screen.
func (l *listCursor) visible(n, height int) (first, last int) {
	l.clamp(n)
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+height {
		l.offset = l.cursor - height + 1
	}
	l.offset = max(min(l.offset, n-height), 0)
	return l.offset, min(n, l.offset+height)
}

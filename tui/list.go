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
	old := l.cursor
	switch {
	case key.Matches(msg, k.Up):
		l.cursor--
	case key.Matches(msg, k.Down):
		l.cursor++
	case key.Matches(msg, k.PageUp):
		l.cursor -= max(height-1, 1)
	case key.Matches(msg, k.PageDown):
		l.cursor += max(height-1, 1)
	case key.Matches(msg, k.Top):
		l.cursor = 0
	case key.Matches(msg, k.Bottom):
		l.cursor = n - 1
	default:
		return false
	}
	l.clamp(n)
	return l.cursor != old
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

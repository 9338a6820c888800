package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// scrolled is a scrolling window over rendered Markdown. Its lines are laid
// out (padded or cut to the width) once per content and width, and kept for
// a few recent widths, so that a key press costs a slice of lines and a
// resize back to a known width nothing, where bubbles' viewport re-wrapped
// lines on every frame (docs/facts.md#scrolling-laid-out-lines). It scrolls
// with the app's own keys, the ones the help lists.
type scrolled struct {
	width, height int
	offset        int
	content       string
	lines         []string
	laidOut       map[layoutKey][]string
}

type layoutKey struct {
	content string
	width   int
}

// maxLayouts bounds the kept layouts (cleared when full: a burst of resizes
// makes most of them useless anyway).
const maxLayouts = 16

// SetWidth takes effect at the next SetContent (the prompt view always
// follows one with the other), so a resize lays the text out once.
func (s *scrolled) SetWidth(w int) {
	if w != s.width {
		s.width, s.lines = w, nil
	}
}

func (s *scrolled) SetHeight(h int) {
	s.height = h
	s.clamp()
}

func (s *scrolled) Width() int  { return s.width }
func (s *scrolled) Height() int { return s.height }
func (s *scrolled) GotoTop()    { s.offset = 0 }

// SetContent replaces the text; the scroll position stays where it can.
func (s *scrolled) SetContent(content string) {
	if content != s.content || s.lines == nil {
		s.content = content
		s.layOut()
	}
}

func (s *scrolled) layOut() {
	k := layoutKey{s.content, s.width}
	if lines, ok := s.laidOut[k]; ok {
		s.lines = lines
		s.clamp()
		return
	}
	lines := strings.Split(s.content, "\n")
	for i, l := range lines {
		w := ansi.StringWidth(l)
		if w > s.width {
			l = ansi.Truncate(l, s.width, "")
			w = ansi.StringWidth(l)
		}
		lines[i] = l + strings.Repeat(" ", max(s.width-w, 0))
	}
	if s.laidOut == nil || len(s.laidOut) >= maxLayouts {
		s.laidOut = map[layoutKey][]string{}
	}
	s.laidOut[k] = lines
	s.lines = lines
	s.clamp()
}

// scroll moves by the navigation keys; it reports whether the key was one.
func (s *scrolled) scroll(msg tea.KeyPressMsg, k KeyMap) bool {
	to, ok := navigate(msg, k, s.offset, s.height, len(s.lines))
	if ok {
		s.offset = to
		s.clamp()
	}
	return ok
}

func (s *scrolled) clamp() {
	s.offset = max(min(s.offset, len(s.lines)-s.height), 0)
}

// View is the visible window, exactly Height lines of Width cells.
func (s *scrolled) View() string {
	from := min(s.offset, len(s.lines))
	to := min(from+s.height, len(s.lines))
	window := make([]string, 0, s.height)
	window = append(window, s.lines[from:to]...)
	if len(window) < s.height {
		blank := strings.Repeat(" ", max(s.width, 0))
		for len(window) < s.height {
			window = append(window, blank)
		}
	}
	return strings.Join(window, "\n")
}

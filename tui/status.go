package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// level is how much a status message matters.
type level int

const (
	levelInfo level = iota
	levelWarn
	levelError
)

// statusTTL is how long a message stays; errors stay until replaced.
const statusTTL = 8 * time.Second

// statusBar is the line above the help: the outcome of the last action.
type statusBar struct {
	*common
	text  string
	level level
	id    int // which message a clear timer belongs to
}

type clearStatusMsg struct{ id int }

// set shows text and returns the timer that clears it.
func (s *statusBar) set(text string, lvl level) tea.Cmd {
	s.id++
	s.text, s.level = text, lvl
	if lvl == levelError {
		return nil
	}
	id := s.id
	return s.tick(statusTTL, func(time.Time) tea.Msg { return clearStatusMsg{id: id} })
}

func (s *statusBar) clear(msg clearStatusMsg) {
	if msg.id == s.id {
		s.text = ""
	}
}

func (s *statusBar) view(width int) string {
	style := map[level]func(...string) string{
		levelInfo: s.styles.Info.Render, levelWarn: s.styles.Warn.Render, levelError: s.styles.Error.Render,
	}[s.level]
	return style(fit(s.text, width))
}

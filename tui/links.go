package tui

import (
	"context"
	"errors"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// Browser opens a URL in the user's browser and names the tool it used.
type Browser func(ctx context.Context, url string) (tool string, err error)

var errNoBrowser = errors.New("no browser opener found (xdg-open needs a display; open on macOS)")

// NativeBrowser opens with xdg-open where there is a display, or macOS's
// open. It looks the tool up when called, which happens inside a command.
func NativeBrowser(getenv func(string) string) Browser {
	return func(ctx context.Context, url string) (string, error) {
		name := "xdg-open"
		switch {
		case runtime.GOOS == "darwin":
			name = "open"
		case getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "":
			return "", errNoBrowser // an SSH session: xdg-open would try a text browser here
		}
		path, err := exec.LookPath(name)
		if err != nil {
			return "", errNoBrowser
		}
		// The URL is one argument, never a shell word; the opener forks the
		// browser and returns.
		return name, runTool(ctx, name, path, []string{url}, "")
	}
}

// HyperlinksSupported reports whether the terminal draws OSC 8 hyperlinks,
// from what terminals announce in the environment; SCALETRIAGE_HYPERLINKS=1
// or 0 decides (tmux forwards them only when configured to: set it there).
func HyperlinksSupported(getenv func(string) string) bool {
	if v := getenv("SCALETRIAGE_HYPERLINKS"); v != "" {
		on, err := strconv.ParseBool(v)
		return err == nil && on
	}
	if getenv("TMUX") != "" || strings.HasPrefix(getenv("TERM"), "screen") {
		return false // screen drops them; tmux only with terminal-features hyperlinks
	}
	switch getenv("TERM_PROGRAM") {
	case "iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "rio":
		return true
	}
	if v, err := strconv.Atoi(getenv("VTE_VERSION")); err == nil && v >= 5000 {
		return true // GNOME Terminal 3.26+ and other VTE terminals
	}
	for _, env := range []string{"KITTY_WINDOW_ID", "WT_SESSION", "KONSOLE_VERSION", "ALACRITTY_WINDOW_ID"} {
		if getenv(env) != "" {
			return true
		}
	}
	switch getenv("TERM") {
	case "xterm-kitty", "foot", "foot-extra", "alacritty", "wezterm", "xterm-ghostty":
		return true
	}
	return false
}

// openedMsg is the result of opening a link.
type openedMsg struct {
	url  string
	tool string
	err  error
}

// openCmd opens url with the browser, bounded; a missing or failing opener
// is answered by copying the link instead (see Update).
func openCmd(url string, browser Browser) tea.Cmd {
	return func() tea.Msg {
		if browser == nil {
			return openedMsg{url: url, err: errNoBrowser}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		tool, err := browser(ctx, url)
		return openedMsg{url: url, tool: tool, err: err}
	}
}

// openLink opens the graph behind what is selected: the finding's series,
// or the signal's (its worst entity's when it has entities).
func (m *Model) openLink() tea.Cmd {
	link := ""
	if snap := m.pass.Diagnosis.Snapshot; snap != nil {
		links := m.pass.Links()
		switch m.focus {
		case m.findings:
			if f, ok := m.findings.selected(); ok {
				link = links.FindingLinks(snap, f).First()
			}
		case m.signals:
			if r, ok := m.signals.selectedReading(); ok {
				query := r.Query
				if len(r.Entities) > 0 {
					query = report.EntityQuery(query, r.Entities[0].Labels)
				}
				link = links.For(query).First()
			}
		}
	}
	if link == "" {
		return m.status.set("no graph to open here: select a finding or a signal with a query", levelWarn)
	}
	return tea.Batch(m.status.set("opening the graph…", levelInfo), openCmd(link, m.cfg.Browser))
}

// opened reports an opened link, or copies it when it could not be opened.
func (m *Model) opened(msg openedMsg) tea.Cmd {
	if msg.err == nil {
		return m.status.set("opened the graph with "+msg.tool, levelInfo)
	}
	return tea.Batch(tea.SetClipboard(msg.url),
		m.status.set("could not open it ("+triage.Sanitize(msg.err.Error())+"): the link was sent to the clipboard (OSC 52): "+triage.Sanitize(msg.url), levelWarn))
}

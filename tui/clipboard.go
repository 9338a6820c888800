package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// OSC 52 has no acknowledgement, and terminals cut long sequences (the
// spilled base64 then lands on screen), so prompts above a limit are not
// sent that way.
const (
	// OSC52Limit is hterm's 100,000-byte sequence in raw bytes.
	OSC52Limit = 74_994
	// MultiplexerOSC52Limit applies inside tmux and GNU screen, which drop
	// or chunk long sequences.
	MultiplexerOSC52Limit = 8 << 10
)

// OSC52LimitFor picks the limit for the environment.
func OSC52LimitFor(getenv func(string) string) int {
	if getenv("TMUX") != "" || getenv("STY") != "" {
		return MultiplexerOSC52Limit
	}
	return OSC52Limit
}

// Clipboard copies text with a native tool and names the tool it used.
type Clipboard func(ctx context.Context, text string) (tool string, err error)

var errNoClipboardTool = errors.New("no clipboard tool found (wl-copy, xclip, xsel, pbcopy)")

// clipboardTools are tried in order; a tool that needs a display server is
// skipped when there is none (an SSH session has the binary but no X).
var clipboardTools = []struct {
	name  string
	args  []string
	needs string // environment variable that must be set
}{
	{"wl-copy", nil, "WAYLAND_DISPLAY"},
	{"xclip", []string{"-selection", "clipboard"}, "DISPLAY"},
	{"xsel", []string{"--clipboard", "--input"}, "DISPLAY"},
	{"pbcopy", nil, ""},
}

// NativeClipboard copies with the first usable tool on PATH. It looks the
// tool up when called, which happens inside a command.
func NativeClipboard(getenv func(string) string) Clipboard {
	return func(ctx context.Context, text string) (string, error) {
		for _, t := range clipboardTools {
			if t.needs != "" && getenv(t.needs) == "" {
				continue
			}
			path, err := exec.LookPath(t.name)
			if err != nil {
				continue
			}
			cmd := exec.CommandContext(ctx, path, t.args...)
			cmd.Stdin = strings.NewReader(text)
			if out, err := cmd.CombinedOutput(); err != nil {
				return t.name, fmt.Errorf("%s: %v %s", t.name, err, strings.TrimSpace(string(out)))
			}
			return t.name, nil
		}
		return "", errNoClipboardTool
	}
}

// copiedMsg reports a copy: what went through OSC 52, the native tool, and
// the file written when the prompt was too large for OSC 52.
type copiedMsg struct {
	bytes   int
	osc52   bool
	limit   int
	tool    string
	toolErr error
	file    string
	fileErr error
}

// savedMsg reports a prompt written to a file on request.
type savedMsg struct {
	file string
	err  error
}

// nativeCopyTimeout bounds a clipboard tool that hangs (xclip waiting on a
// dead display).
const nativeCopyTimeout = 3 * time.Second

// copyCmd copies text: OSC 52 when it fits, the native tool when there is
// one, and a file when OSC 52 cannot carry it.
func copyCmd(text, id string, limit int, native Clipboard, dir string) tea.Cmd {
	fits := len(text) <= limit
	work := func() tea.Msg {
		msg := copiedMsg{bytes: len(text), osc52: fits, limit: limit, toolErr: errNoClipboardTool}
		if native != nil {
			ctx, cancel := context.WithTimeout(context.Background(), nativeCopyTimeout)
			msg.tool, msg.toolErr = native(ctx, text)
			cancel()
		}
		if !fits {
			msg.file, msg.fileErr = writePrompt(dir, id, text)
		}
		return msg
	}
	if !fits {
		return work
	}
	return tea.Batch(tea.SetClipboard(text), work)
}

// saveCmd writes the prompt to a file on request.
func saveCmd(text, id, dir string) tea.Cmd {
	return func() tea.Msg {
		file, err := writePrompt(dir, id, text)
		return savedMsg{file: file, err: err}
	}
}

// writePrompt writes scaletriage-prompt-<id>.md in dir (the current
// directory when empty), or in the temporary directory when dir is not
// writable.
func writePrompt(dir, id, text string) (string, error) {
	name := "scaletriage-prompt-" + id + ".md"
	if dir == "" {
		dir = "."
	}
	var errs []error
	for _, d := range []string{dir, os.TempDir()} {
		path := filepath.Join(d, name)
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		err := os.WriteFile(path, []byte(text), 0o644)
		if err == nil {
			return path, nil
		}
		errs = append(errs, err)
	}
	return "", errors.Join(errs...)
}

// copyStatus is what the status line says about a copy.
func copyStatus(m copiedMsg) (string, level) {
	size := fmt.Sprintf("%s bytes", thousands(m.bytes))
	switch {
	case m.osc52 && m.toolErr == nil:
		return fmt.Sprintf("copied %s via OSC 52 and %s", size, m.tool), levelInfo
	case m.osc52 && errors.Is(m.toolErr, errNoClipboardTool):
		return fmt.Sprintf("copied %s via OSC 52 (no clipboard tool found; w saves a file)", size), levelInfo
	case m.osc52:
		return fmt.Sprintf("copied %s via OSC 52; %v", size, m.toolErr), levelWarn
	}
	s := fmt.Sprintf("prompt is %s, above the OSC 52 limit of %s bytes: ", size, thousands(m.limit))
	if m.toolErr == nil {
		s += "copied with " + m.tool + "; "
	} else {
		s += "no clipboard; "
	}
	if m.fileErr != nil {
		return s + "could not save it: " + m.fileErr.Error(), levelError
	}
	return s + "saved to " + m.file, levelWarn
}

// thousands prints n with thousands separators: 74,994.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

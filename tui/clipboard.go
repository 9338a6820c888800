package tui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
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
//
// The call is bounded by ctx even when the tool forks: xclip and wl-copy
// leave a child serving the selection that inherits the tool's output. So
// stdout goes to the null device, stderr to a pipe that is abandoned
// toolWaitDelay after the tool exits (or after ctx kills it), and the
// stderr kept for the error message is capped.
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
			return t.name, runTool(ctx, t.name, path, t.args, text)
		}
		return "", errNoClipboardTool
	}
}

// toolWaitDelay is how long a finished (or killed) tool's stderr is still
// read: a forked child holding it open must not hold the copy.
const toolWaitDelay = 250 * time.Millisecond

func runTool(ctx context.Context, name, path string, args []string, text string) error {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = strings.NewReader(text)
	cmd.Stdout = nil // the null device: no pipe a forked child can hold
	stderr := &boundedBuffer{max: 1 << 10}
	cmd.Stderr = stderr
	cmd.WaitDelay = toolWaitDelay
	err := cmd.Run()
	if errors.Is(err, exec.ErrWaitDelay) {
		// The tool exited 0; a child it forked still holds stderr (or
		// stdin). That is how xclip serves the selection: success.
		return nil
	}
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		if msg := firstLine(stderr.String()); msg != "" {
			return fmt.Errorf("%s: %w: %s", name, err, triage.Sanitize(msg))
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// firstLine is the first non-blank line of a tool's stderr: the status line
// has room for one.
func firstLine(s string) string {
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// boundedBuffer keeps the first max bytes written and discards the rest
// without failing the writer (a failed write would end the copy from the
// pipe and hand the tool a SIGPIPE).
type boundedBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - len(b.buf); room > 0 {
		b.buf = append(b.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (b *boundedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
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
// dead display); toolWaitDelay comes on top when its children hold stderr.
const nativeCopyTimeout = 3 * time.Second

// copyCmd copies text: OSC 52 when it fits, the native tool when there is
// one, and a file when OSC 52 cannot carry it. The file is written before
// the tool runs, so it exists whatever the tool does.
func copyCmd(text, id string, limit int, native Clipboard, files PromptFiles) tea.Cmd {
	fits := len(text) <= limit
	work := func() tea.Msg {
		msg := copiedMsg{bytes: len(text), osc52: fits, limit: limit, toolErr: errNoClipboardTool}
		if !fits {
			msg.file, msg.fileErr = files.Spill(id, text)
		}
		if native != nil {
			ctx, cancel := context.WithTimeout(context.Background(), nativeCopyTimeout)
			msg.tool, msg.toolErr = native(ctx, text)
			cancel()
		}
		return msg
	}
	if !fits {
		return work
	}
	return tea.Batch(tea.SetClipboard(text), work)
}

// ticketCmd writes the incident ticket (report --format markdown) of a
// pass: filling its prompt in is work for a command, not for Update.
func ticketCmd(res report.Pass, files PromptFiles) tea.Cmd {
	return func() tea.Msg {
		var b strings.Builder
		if err := report.WriteMarkdown(&b, res); err != nil {
			return savedMsg{err: err}
		}
		file, err := files.Save("incident-ticket", b.String())
		return savedMsg{file: file, err: err}
	}
}

// saveCmd writes the prompt to a file on request.
func saveCmd(text, id string, files PromptFiles) tea.Cmd {
	return func() tea.Msg {
		file, err := files.Save(id, text)
		return savedMsg{file: file, err: err}
	}
}

// PromptFiles writes prompts to files, from commands only.
type PromptFiles interface {
	// Save writes the prompt the user asked to keep (the write key) under
	// a readable name, and returns its path.
	Save(id, text string) (string, error)
	// Spill writes a prompt too large for OSC 52 to a private file, and
	// returns its path.
	Spill(id, text string) (string, error)
}

// DirFiles is PromptFiles on disk. Prompts can name hosts, databases and
// users, so files are created 0600, never through an existing name (a
// symlink planted in a shared directory is not followed), and spilled
// prompts get unpredictable names.
type DirFiles struct {
	// Dir holds saved prompts ("" is the current directory).
	Dir string
	// TempDir holds spilled prompts, and saved ones when Dir is not
	// writable ("" is the system's temporary directory).
	TempDir string
}

// maxSaveSuffix bounds the search for a free name: name-2.md ... name-99.md.
const maxSaveSuffix = 99

// Save writes scaletriage-prompt-<id>.md in Dir, or -2.md, -3.md, ... when
// that name exists; when Dir is not writable, a private file in TempDir.
func (d DirFiles) Save(id, text string) (string, error) {
	dir := d.Dir
	if dir == "" {
		dir = "."
	}
	base := filepath.Join(dir, promptFileBase+safeID(id))
	var err error
	for n := 1; n <= maxSaveSuffix; n++ {
		path := base + ".md"
		if n > 1 {
			path = fmt.Sprintf("%s-%d.md", base, n)
		}
		// O_EXCL: an existing file or symlink is never opened, so a link
		// to ~/.bashrc in a shared directory is not written through.
		var f *os.File
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			break
		}
		return absPath(path), writeClose(f, path, text)
	}
	if errors.Is(err, fs.ErrExist) {
		err = fmt.Errorf("%s.md to %s-%d.md all exist", base, base, maxSaveSuffix)
	}
	path, tmpErr := d.Spill(id, text)
	if tmpErr != nil {
		return "", errors.Join(err, tmpErr)
	}
	return path, nil
}

// Spill writes scaletriage-prompt-<id>-<random>.md in TempDir, 0600.
func (d DirFiles) Spill(id, text string) (string, error) {
	dir := d.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := os.CreateTemp(dir, promptFileBase+safeID(id)+"-*.md") // 0600, O_EXCL
	if err != nil {
		return "", err
	}
	return absPath(f.Name()), writeClose(f, f.Name(), text)
}

const promptFileBase = "scaletriage-prompt-"

// safeID keeps a prompt ID usable in a file name: the library's IDs are
// already [a-z0-9-], this is for a future one that is not.
func safeID(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, id)
}

// writeClose writes text to f and closes it; on failure the partial file
// is removed.
func writeClose(f *os.File, path, text string) error {
	_, err := f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// osc52Unconfirmed is said of every OSC 52 copy: the terminal never
// answers, and tmux's default set-clipboard (external) drops it.
const osc52Unconfirmed = "terminals do not confirm; w saves a file"

// copyStatus is what the status line says about a copy. It claims only
// what is known: a native tool that exited 0 copied; OSC 52 was sent.
func copyStatus(m copiedMsg) (string, level) {
	size := fmt.Sprintf("%s bytes", triage.Thousands(m.bytes))
	switch {
	case m.osc52 && m.toolErr == nil:
		return fmt.Sprintf("copied %s with %s (and sent via OSC 52)", size, m.tool), levelInfo
	case m.osc52 && errors.Is(m.toolErr, errNoClipboardTool):
		return fmt.Sprintf("sent %s via OSC 52 (%s)", size, osc52Unconfirmed), levelInfo
	case m.osc52:
		return fmt.Sprintf("sent %s via OSC 52 (%s); %v", size, osc52Unconfirmed, m.toolErr), levelWarn
	}
	s := fmt.Sprintf("prompt is %s, above the OSC 52 limit of %s bytes: ", size, triage.Thousands(m.limit))
	switch {
	case m.toolErr == nil:
		s += "copied with " + m.tool + "; "
	case errors.Is(m.toolErr, errNoClipboardTool):
		s += "no clipboard tool; "
	default:
		s += fmt.Sprintf("not copied (%v); ", m.toolErr)
	}
	if m.fileErr != nil {
		return s + "could not save it: " + m.fileErr.Error(), levelError
	}
	return s + "saved to " + m.file, levelWarn
}

package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// fakeTool puts a shell script named name first on PATH. body runs after
// the script has read its stdin, like a real clipboard tool; $PIDFILE
// collects the pids of children it leaves behind, killed at cleanup.
func fakeTool(t *testing.T, name, body string) {
	t.Helper()
	dir := t.TempDir()
	pidfile := filepath.Join(dir, "pids")
	script := "#!/bin/sh\nPIDFILE=" + pidfile + "\ncat >/dev/null\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Cleanup(func() {
		data, _ := os.ReadFile(pidfile)
		for _, f := range strings.Fields(string(data)) {
			if pid, err := strconv.Atoi(f); err == nil && pid > 1 {
				syscall.Kill(pid, syscall.SIGKILL) // only the children this script started
			}
		}
	})
}

// await runs cmd and the commands it batches, and returns the first message
// of type T, or false when none came within wait (timers in the batch do
// not hold it).
func await[T tea.Msg](cmd tea.Cmd, wait time.Duration) (T, bool) {
	found := make(chan T, 1)
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		switch msg := cmd().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				go run(c)
			}
		case T:
			select {
			case found <- msg:
			default:
			}
		}
	}
	go run(cmd)
	select {
	case msg := <-found:
		return msg, true
	case <-time.After(wait):
		var zero T
		return zero, false
	}
}

// x11 is an environment with a display and no Wayland: xclip is the tool.
func x11(name string) string {
	if name == "DISPLAY" {
		return ":0"
	}
	return ""
}

// TestForkingToolDoesNotHoldTheCopy is xclip's behaviour: the tool exits 0
// and leaves a child, which inherits its stdout and stderr, serving the
// selection. The copy must still answer (CombinedOutput waited for the
// child: 30 s here), and the fallback file must exist.
func TestForkingToolDoesNotHoldTheCopy(t *testing.T) {
	fakeTool(t, "xclip", `sleep 30 & echo $! >>"$PIDFILE"; exit 0`)
	cfg := testConfig(t, &fakeTriager{pass: fixturePass()})
	cfg.Clipboard = NativeClipboard(x11)
	cfg.OSC52Limit = 100
	m := New(context.Background(), cfg)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.startCollect()
	m.Update(collectedMsg{gen: m.gen, pass: fixturePass()})
	press(m, "enter")
	copied, ok := await[copiedMsg](press(m, "c"), 5*time.Second)
	if !ok {
		t.Fatalf("the copy did not answer within 5 s: a forked child held the tool's output")
	}
	if copied.tool != "xclip" || copied.toolErr != nil {
		t.Fatalf("tool %q, error %v", copied.tool, copied.toolErr)
	}
	data, err := os.ReadFile(copied.file)
	if err != nil || string(data) != m.prompt.pop.Markdown {
		t.Fatalf("fallback file %q: %v", copied.file, err)
	}
	m.Update(copied)
	if want := "copied with xclip; saved to " + copied.file; !strings.HasSuffix(m.status.text, want) {
		t.Fatalf("status %q, want suffix %q", m.status.text, want)
	}
}

// TestHangingToolIsKilled is xclip waiting on a dead display: the context
// ends it although a child it started holds its stderr, and what it said
// on stderr is kept: its first line (the buffer is capped).
func TestHangingToolIsKilled(t *testing.T) {
	fakeTool(t, "xclip", `i=0; while [ $i -lt 200 ]; do echo "Error: Can't open display: :0 $i" >&2; i=$((i+1)); done
sleep 30 & echo $! >>"$PIDFILE"; wait`)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := NativeClipboard(x11)(ctx, "prompt")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the deadline", err)
		}
		if !strings.Contains(err.Error(), "Can't open display") {
			t.Fatalf("stderr lost: %v", err)
		}
		if strings.Contains(err.Error(), ":0 1") || len(err.Error()) > 200 {
			t.Fatalf("more than the first line of stderr: %q", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("a hanging tool held the copy past its timeout")
	}
}

// recordingFiles wraps DirFiles and notes each call.
type recordingFiles struct {
	DirFiles
	log   *[]string
	saves atomic.Int32
}

func (r *recordingFiles) Save(id, text string) (string, error) {
	r.saves.Add(1)
	*r.log = append(*r.log, "save")
	return r.DirFiles.Save(id, text)
}

func (r *recordingFiles) Spill(id, text string) (string, error) {
	*r.log = append(*r.log, "spill")
	return r.DirFiles.Spill(id, text)
}

// TestSpillIsWrittenBeforeTheTool: the file must exist while the tool
// runs, whatever the tool then does.
func TestSpillIsWrittenBeforeTheTool(t *testing.T) {
	var log []string
	files := &recordingFiles{DirFiles: DirFiles{Dir: t.TempDir(), TempDir: t.TempDir()}, log: &log}
	tool := func(context.Context, string) (string, error) {
		log = append(log, "tool")
		return "", errors.New("xclip: exit status 1")
	}
	msg := copyCmd(strings.Repeat("x", 200), "p", 100, tool, files)().(copiedMsg)
	if strings.Join(log, ",") != "spill,tool" {
		t.Fatalf("order %v, want the file before the tool", log)
	}
	if _, err := os.Stat(msg.file); err != nil || msg.fileErr != nil {
		t.Fatalf("file %q: %v %v", msg.file, err, msg.fileErr)
	}
	if status, lvl := copyStatus(msg); !strings.Contains(status, "not copied (xclip: exit status 1); saved to "+msg.file) || lvl != levelWarn {
		t.Fatalf("status %q", status)
	}
}

func TestPromptFilesArePrivate(t *testing.T) {
	d := DirFiles{Dir: t.TempDir(), TempDir: t.TempDir()}
	saved, err := d.Save("connection-pool-optimization", "db01.internal")
	if err != nil {
		t.Fatal(err)
	}
	spilled, err := d.Spill("connection-pool-optimization", "db01.internal")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(saved) != d.Dir || filepath.Base(saved) != "scaletriage-prompt-connection-pool-optimization.md" {
		t.Fatalf("saved to %s", saved)
	}
	if filepath.Dir(spilled) != d.TempDir || !strings.HasPrefix(filepath.Base(spilled), "scaletriage-prompt-connection-pool-optimization-") ||
		filepath.Base(spilled) == "scaletriage-prompt-connection-pool-optimization-.md" {
		t.Fatalf("spilled to %s: want an unpredictable name in TempDir", spilled)
	}
	again, _ := d.Spill("connection-pool-optimization", "x")
	if again == spilled {
		t.Fatalf("two spills share the name %s", spilled)
	}
	for _, path := range []string{saved, spilled} {
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != 0o600 {
			t.Errorf("%s: mode %v, want -rw-------", path, fi.Mode())
		}
	}
}

// TestSaveDoesNotFollowSymlinks plants links at the name the write key
// uses: to an existing file, and dangling (which would create the target).
func TestSaveDoesNotFollowSymlinks(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	victim := filepath.Join(elsewhere, "bashrc")
	if err := os.WriteFile(victim, []byte("original"), 0o644); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(elsewhere, "created")
	base := filepath.Join(dir, "scaletriage-prompt-p")
	if err := os.Symlink(victim, base+".md"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dangling, base+"-2.md"); err != nil {
		t.Fatal(err)
	}
	path, err := DirFiles{Dir: dir, TempDir: t.TempDir()}.Save("p", "prompt")
	if err != nil {
		t.Fatal(err)
	}
	if path != base+"-3.md" {
		t.Fatalf("saved to %s, want the next free name %s-3.md", path, base)
	}
	if data, _ := os.ReadFile(victim); string(data) != "original" {
		t.Fatalf("the symlink was followed: victim now %q", data)
	}
	if _, err := os.Lstat(dangling); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the dangling symlink was followed: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "prompt" {
		t.Fatalf("saved %q", data)
	}
}

// TestSaveFallsBackToTempDir: a directory that cannot be written (here
// not a directory at all, which holds for root too) sends the prompt to a
// private temporary file.
func TestSaveFallsBackToTempDir(t *testing.T) {
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d := DirFiles{Dir: notDir, TempDir: t.TempDir()}
	path, err := d.Save("p", "prompt")
	if err != nil || filepath.Dir(path) != d.TempDir {
		t.Fatalf("saved to %q: %v", path, err)
	}
}

// TestCopyStatusClaimsOnlyWhatIsKnown: OSC 52 is never acknowledged, so it
// is "sent"; only a native tool that exited 0 "copied".
func TestCopyStatusClaimsOnlyWhatIsKnown(t *testing.T) {
	for _, tc := range []struct {
		msg  copiedMsg
		want string
		lvl  level
	}{
		{copiedMsg{bytes: 3942, osc52: true, tool: "xclip"},
			"copied 3,942 bytes with xclip (and sent via OSC 52)", levelInfo},
		{copiedMsg{bytes: 3942, osc52: true, toolErr: errNoClipboardTool},
			"sent 3,942 bytes via OSC 52 (terminals do not confirm; w saves a file)", levelInfo},
		{copiedMsg{bytes: 3942, osc52: true, tool: "xclip", toolErr: errors.New("xclip: exit status 1")},
			"sent 3,942 bytes via OSC 52 (terminals do not confirm; w saves a file); xclip: exit status 1", levelWarn},
		{copiedMsg{bytes: 90000, limit: 8192, tool: "wl-copy", file: "/tmp/p.md"},
			"prompt is 90,000 bytes, above the OSC 52 limit of 8,192 bytes: copied with wl-copy; saved to /tmp/p.md", levelWarn},
		{copiedMsg{bytes: 90000, limit: 8192, toolErr: errNoClipboardTool, fileErr: errors.New("disk full")},
			"prompt is 90,000 bytes, above the OSC 52 limit of 8,192 bytes: no clipboard tool; could not save it: disk full", levelError},
	} {
		got, lvl := copyStatus(tc.msg)
		if got != tc.want || lvl != tc.lvl {
			t.Errorf("%+v:\n got %q (%v)\nwant %q (%v)", tc.msg, got, lvl, tc.want, tc.lvl)
		}
		if strings.Contains(got, "copied") && tc.msg.toolErr != nil {
			t.Errorf("%q claims a copy no tool confirmed", got)
		}
	}
}

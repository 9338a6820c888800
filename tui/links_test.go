package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// browserSpy records the URLs it was asked to open.
type browserSpy struct {
	mu   sync.Mutex
	urls []string
	err  error
}

func (b *browserSpy) open(_ context.Context, url string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.urls = append(b.urls, url)
	return "spy", b.err
}

func linkedModel(t *testing.T, browser *browserSpy, hyperlinks bool) *Model {
	t.Helper()
	cfg := testConfig(t, &fakeTriager{pass: fixturePass()})
	cfg.Browser, cfg.Hyperlinks = browser.open, hyperlinks
	m := New(context.Background(), cfg)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m.startCollect()
	pass := fixturePass()
	pass.Diagnosis.Snapshot.Source.URL = "http://prometheus:9090"
	m.Update(collectedMsg{gen: m.gen, pass: pass})
	return m
}

// o opens the graph of the selected finding's series, off Update, and says
// which tool opened it.
func TestOpenLinkOpensTheSelectedFindingsGraph(t *testing.T) {
	spy := &browserSpy{}
	m := linkedModel(t, spy, false)
	f, _ := m.findings.selected()
	want := m.pass.Links().FindingLinks(m.pass.Diagnosis.Snapshot, f).First()
	if !strings.HasPrefix(want, "http://prometheus:9090/graph?g0.expr=") {
		t.Fatalf("the fixture's finding has no link: %q", want)
	}
	settle(t, m, press(m, "o"))
	if len(spy.urls) != 1 || spy.urls[0] != want {
		t.Errorf("opened %q, want %q", spy.urls, want)
	}
	if !strings.Contains(ansi.Strip(m.View().Content), "opened the graph with spy") {
		t.Error("the status does not say the graph was opened")
	}
}

// Without an opener (or when it fails), the link goes to the clipboard and
// the status line shows it.
func TestOpenLinkCopiesWhenItCannotOpen(t *testing.T) {
	spy := &browserSpy{err: errors.New("no display")}
	m := linkedModel(t, spy, false)
	msgs := messages(t, press(m, "o"))
	var copied string
	for _, msg := range msgs {
		next := messages(t, func() tea.Cmd { _, c := m.Update(msg); return c }())
		if s, ok := clipboardContent(next); ok {
			copied = s
		}
	}
	if len(spy.urls) != 1 || copied != spy.urls[0] {
		t.Errorf("copied %q, want the link %q", copied, spy.urls)
	}
	if view := ansi.Strip(m.View().Content); !strings.Contains(view, "could not open it (no display): the link was sent to the clipboard") {
		t.Errorf("status:\n%s", view)
	}
}

// The finding's graph is an OSC 8 hyperlink where the terminal draws them,
// plain text elsewhere; nothing else reaches the terminal raw.
func TestGraphIsAHyperlinkOnlyWhereSupported(t *testing.T) {
	osc8 := regexp.MustCompile(`\x1b\]8;[^;\x07\x1b]*;([^\x07\x1b]*)(?:\x07|\x1b\\)`)
	for _, supported := range []bool{true, false} {
		m := linkedModel(t, &browserSpy{}, supported)
		view := m.View().Content
		links := osc8.FindAllStringSubmatch(view, -1)
		if !supported {
			if len(links) > 0 {
				t.Errorf("a hyperlink drawn where not supported: %q", links[0][0])
			}
			continue
		}
		var targets []string
		for _, l := range links {
			if l[1] != "" {
				targets = append(targets, l[1])
			}
		}
		if len(targets) != 1 || !strings.HasPrefix(targets[0], "http://prometheus:9090/graph?g0.expr=") {
			t.Errorf("hyperlinks %q, want the finding's graph once", targets)
		}
		assertNoRawControls(t, "findings", osc8.ReplaceAllString(view, ""))
		if !strings.Contains(ansi.Strip(view), "o graph ↗") {
			t.Error("the key line lacks the graph")
		}
	}
}

func TestHyperlinksSupported(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{"TERM_PROGRAM": "iTerm.app"}, true},
		{map[string]string{"VTE_VERSION": "7600"}, true},
		{map[string]string{"VTE_VERSION": "4803"}, false},
		{map[string]string{"TERM": "xterm-kitty"}, true},
		{map[string]string{"WT_SESSION": "x"}, true},
		{map[string]string{"TERM": "xterm-256color"}, false},
		{map[string]string{"TERM": "screen-256color", "KITTY_WINDOW_ID": "1"}, false},
		{map[string]string{"TMUX": "/tmp/tmux", "TERM_PROGRAM": "WezTerm"}, false},
		{map[string]string{"TMUX": "/tmp/tmux", "SCALETRIAGE_HYPERLINKS": "1"}, true},
		{map[string]string{"TERM_PROGRAM": "iTerm.app", "SCALETRIAGE_HYPERLINKS": "0"}, false},
	} {
		if got := HyperlinksSupported(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%v: %v, want %v", tt.env, got, tt.want)
		}
	}
}

// w on the panes writes the incident ticket (report --format markdown),
// off Update, to a private file, and says where.
func TestWriteSavesTheTicket(t *testing.T) {
	m := linkedModel(t, &browserSpy{}, false)
	settle(t, m, press(m, "w"))
	view := ansi.Strip(m.View().Content)
	i := strings.Index(view, "saved to ")
	if i < 0 {
		t.Fatalf("no file named:\n%s", view)
	}
	dir := m.cfg.Files.(DirFiles).Dir
	matches, _ := filepath.Glob(filepath.Join(dir, "*incident-ticket*.md"))
	if len(matches) != 1 {
		t.Fatalf("ticket files %q", matches)
	}
	info, err := os.Stat(matches[0])
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("ticket file mode %v %v, want 0600", info.Mode().Perm(), err)
	}
	body, _ := os.ReadFile(matches[0])
	for _, want := range []string{"**Summary:**", "## Findings", "Graph: [Prometheus](http://prometheus:9090/graph?g0.expr="} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the ticket lacks %q", want)
		}
	}
}

package tui

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// TestGoldenViews snapshots the screens at 80x24 and 160x48, ANSI
// stripped, on the fixture pass with a fixed clock. Regenerate with
// go test ./tui -run TestGoldenViews -update.
func TestGoldenViews(t *testing.T) {
	screens := []struct {
		name string
		keys []string
	}{
		{"findings", nil},
		{"signals", []string{"tab"}},
		{"signal-missing-selected", []string{"tab", "end"}},
		{"library", []string{"tab", "tab"}},
		{"prompt", []string{"enter"}},
		{"prompt-guidance", []string{"enter", "g"}},
		{"fill-form", []string{"enter", "e"}},
		{"help", []string{"?"}},
	}
	for _, size := range []struct {
		name          string
		width, height int
	}{{"80x24", 80, 24}, {"160x48", 160, 48}} {
		for _, sc := range screens {
			t.Run(size.name+"/"+sc.name, func(t *testing.T) {
				m := loaded(t, size.width, size.height)
				press(m, sc.keys...)
				golden.RequireEqual(t, []byte(ansi.Strip(m.View().Content)))
			})
		}
	}
}

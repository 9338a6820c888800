package tui

import (
	"path/filepath"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/internal/golden"
	"github.com/scaletriage/scaletriage/internal/replaytest"
	"github.com/scaletriage/scaletriage/report"
)

// TestGoldenViews snapshots the screens at 80x24 and 160x48, ANSI
// stripped, with a fixed clock: the findings as Diagnose words them on a
// recorded scenario, the other panes on the fixture pass, the picker on the
// fleet's (a live source started without a selector). Regenerate with
// go test ./tui -run TestGoldenViews -update.
func TestGoldenViews(t *testing.T) {
	fleet := func(t testing.TB, width, height int) *Model {
		return loadedFleet(t, &fakeTriager{pass: fleetPass(), live: true}, width, height)
	}
	// The pgbouncer-community incident as the scenario suite recorded it
	// from a real Prometheus, replayed and diagnosed.
	recorded := func(t testing.TB, width, height int) *Model {
		recording := filepath.Join("..", "testdata", "recordings", "pgbouncer-community.json")
		pass := report.Pass{Diagnosis: replaytest.Diagnose(t, recording)}
		return loadedFleet(t, &fakeTriager{pass: pass}, width, height)
	}
	screens := []struct {
		name string
		load func(t testing.TB, width, height int) *Model
		keys []string
	}{
		{"findings", recorded, nil},
		{"signals", loaded, []string{"tab"}},
		{"signal-missing-selected", loaded, []string{"tab", "end"}},
		{"signals-missing-listed", loaded, []string{"tab", "m", "end"}},
		{"library", loaded, []string{"tab", "tab"}},
		{"prompt", loaded, []string{"enter"}},
		{"prompt-guidance", loaded, []string{"enter", "g"}},
		{"fill-form", loaded, []string{"enter", "e"}},
		{"help", loaded, []string{"?"}},
		{"picker", fleet, nil},
		{"picker-moved", fleet, []string{"down"}},
		{"picker-all-services", fleet, []string{"home"}},
	}
	for _, size := range []struct {
		name          string
		width, height int
	}{{"80x24", 80, 24}, {"160x48", 160, 48}} {
		for _, sc := range screens {
			t.Run(size.name+"/"+sc.name, func(t *testing.T) {
				m := sc.load(t, size.width, size.height)
				press(m, sc.keys...)
				golden.Check(t, filepath.Join("testdata", t.Name()+".golden"), []byte(ansi.Strip(m.View().Content)))
			})
		}
	}
}

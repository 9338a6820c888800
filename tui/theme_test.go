package tui

import (
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2/styles"
	"github.com/charmbracelet/x/ansi"
)

// The terminal's answer to the background query picks the palette: a light
// terminal gets glamour's light style, and the prompt renders with it.
func TestLightBackgroundSwitchesStyles(t *testing.T) {
	if *styles.DarkStyleConfig.Document.Color == *styles.LightStyleConfig.Document.Color {
		t.Fatal("glamour's dark and light document colours are equal: pick another field to tell them apart")
	}
	m := loaded(t, 100, 30)
	if *m.styles.Markdown.Document.Color != *styles.DarkStyleConfig.Document.Color {
		t.Fatalf("dark is the default until the terminal answers")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if *m.styles.Markdown.Document.Color != *styles.LightStyleConfig.Document.Color {
		t.Errorf("a white background kept the dark markdown style")
	}
	press(m, "enter")
	if m.prompt == nil || !strings.Contains(ansi.Strip(m.View().Content), "Connection Pool Optimization") {
		t.Fatalf("the prompt does not render on a light background")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.Black})
	if *m.styles.Markdown.Document.Color != *styles.DarkStyleConfig.Document.Color {
		t.Errorf("a black background kept the light markdown style")
	}
}

package tui

import (
	"context"
	"image/color"
	"regexp"
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

// NO_COLOR: no colour sequences anywhere (attributes such as bold and
// reverse video stay), also in the rendered prompt.
func TestNoColorDrawsNoColours(t *testing.T) {
	cfg := testConfig(t, &fakeTriager{pass: fixturePass()})
	cfg.NoColor = true
	m := New(context.Background(), cfg)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.startCollect()
	m.Update(collectedMsg{gen: m.gen, pass: fixturePass()})
	screens := []string{m.View().Content}
	press(m, "enter", "g")
	screens = append(screens, m.View().Content)
	press(m, "e") // the fill form's text inputs
	screens = append(screens, m.View().Content)
	press(m, "esc", "esc", "?")
	screens = append(screens, m.View().Content)
	colour := regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])(;[0-9;]*)?m`)
	for i, s := range screens {
		if loc := colour.FindStringIndex(s); loc != nil {
			t.Errorf("screen %d has a colour sequence %q", i, s[loc[0]:min(loc[1], len(s))])
		}
	}
}

package tui

import (
	"context"
	"errors"
	"os"

	tea "charm.land/bubbletea/v2"
)

// Run shows the TUI on the terminal until the user leaves or ctx ends,
// neither an error. The terminal's settings come from the environment:
// they replace cfg's NoColor, Clipboard, Browser, Hyperlinks and
// OSC52Limit.
func Run(ctx context.Context, cfg Config) error {
	cfg.NoColor = os.Getenv("NO_COLOR") != ""
	cfg.Clipboard = NativeClipboard(os.Getenv)
	cfg.Browser = NativeBrowser(os.Getenv)
	cfg.Hyperlinks = HyperlinksSupported(os.Getenv)
	cfg.OSC52Limit = OSC52LimitFor(os.Getenv)
	model := New(ctx, cfg)
	defer model.Close()
	_, err := tea.NewProgram(model, tea.WithContext(ctx)).Run()
	if errors.Is(err, tea.ErrInterrupted) || (errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil) {
		return nil // ctrl+c or a signal: a normal way to leave
	}
	return err
}

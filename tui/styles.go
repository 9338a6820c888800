package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	"charm.land/lipgloss/v2"

	"github.com/scaletriage/scaletriage/triage"
)

// Styles is every style the TUI draws with; nothing else calls
// lipgloss.NewStyle. It is rebuilt when the terminal reports its background.
type Styles struct {
	AppName    lipgloss.Style // "scaletriage" in the header
	HeaderText lipgloss.Style // source, backend, window, time
	Dim        lipgloss.Style // secondary text everywhere
	Bold       lipgloss.Style // emphasis in panes
	Label      lipgloss.Style // "source:", "why:" in detail boxes

	BadgePartial lipgloss.Style // PARTIAL snapshot
	BadgeStale   lipgloss.Style // last refresh failed, data is old
	BadgeLive    lipgloss.Style // live source
	BadgeReplay  lipgloss.Style // recording or demo

	TabActive   lipgloss.Style
	TabInactive lipgloss.Style

	Selected lipgloss.Style // the cursor row

	Status   map[triage.Status]lipgloss.Style   // signal value and glyph
	Severity map[triage.Severity]lipgloss.Style // finding badge

	Sparkline lipgloss.Style
	For       lipgloss.Style // evidence for
	Against   lipgloss.Style // evidence against

	Unfilled lipgloss.Style // count of unfilled placeholders
	Filled   lipgloss.Style // all placeholders filled

	Detail lipgloss.Style // box under a list with the selected item's details
	Page   lipgloss.Style // a full-body message such as the error view

	Info  lipgloss.Style // status line: information
	Warn  lipgloss.Style // status line: warning
	Error lipgloss.Style // status line and error view: failure

	FormLabel lipgloss.Style
	Input     textinput.Styles
	Help      help.Styles

	// Markdown is the glamour style for guidance; Prompt is the same with
	// inline code (used only for unfilled placeholders) as a highlight.
	Markdown ansi.StyleConfig
	Prompt   ansi.StyleConfig
}

// DefaultStyles builds the styles for a dark or light background. With
// noColor (NO_COLOR set) only bold, faint and reverse remain, and the
// Markdown is rendered without colour.
func DefaultStyles(isDark, noColor bool) *Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color {
		if noColor {
			return lipgloss.NoColor{}
		}
		return ld(lipgloss.Color(light), lipgloss.Color(dark))
	}
	var (
		fg     = c("#1F2328", "#E6EDF3")
		dim    = c("#6E7781", "#8B949E")
		accent = c("#6639BA", "#B392F0")
		green  = c("#1A7F37", "#3FB950")
		yellow = c("#9A6700", "#D29922")
		red    = c("#CF222E", "#F85149")
		blue   = c("#0969DA", "#58A6FF")
		selBg  = c("#DDF4FF", "#1F3A5F")
		badge  = c("#FFFFFF", "#0D1117")
	)
	base := lipgloss.NewStyle()
	badgeStyle := func(bg color.Color) lipgloss.Style {
		s := base.Bold(true).Padding(0, 1).Foreground(badge).Background(bg)
		if noColor {
			s = s.Reverse(true)
		}
		return s
	}
	s := &Styles{
		AppName:      base.Bold(true).Foreground(accent),
		HeaderText:   base.Foreground(fg),
		Dim:          base.Foreground(dim).Faint(noColor),
		Bold:         base.Bold(true).Foreground(fg),
		Label:        base.Foreground(dim).Faint(noColor),
		BadgePartial: badgeStyle(yellow),
		BadgeStale:   badgeStyle(red),
		BadgeLive:    badgeStyle(green),
		BadgeReplay:  badgeStyle(blue),
		TabActive:    base.Bold(true).Padding(0, 1).Foreground(badge).Background(accent).Reverse(noColor),
		TabInactive:  base.Padding(0, 1).Foreground(dim),
		Selected:     base.Background(selBg).Reverse(noColor),
		Status: map[triage.Status]lipgloss.Style{
			triage.StatusOK:       base.Foreground(green),
			triage.StatusWarning:  base.Foreground(yellow).Bold(true),
			triage.StatusCritical: base.Foreground(red).Bold(true),
			triage.StatusMissing:  base.Foreground(dim).Faint(noColor),
			triage.StatusError:    base.Foreground(red),
		},
		Severity: map[triage.Severity]lipgloss.Style{
			triage.SeverityInfo:     base.Foreground(blue).Bold(true),
			triage.SeverityWarning:  base.Foreground(yellow).Bold(true),
			triage.SeverityCritical: base.Foreground(red).Bold(true),
		},
		Sparkline: base.Foreground(blue),
		For:       base.Foreground(green),
		Against:   base.Foreground(yellow),
		Unfilled:  base.Foreground(yellow).Bold(true),
		Filled:    base.Foreground(green),
		Detail:    base.BorderStyle(lipgloss.NormalBorder()).BorderTop(true).BorderForeground(dim).Padding(0, 1),
		Page:      base.Padding(0, 2),
		Info:      base.Foreground(blue),
		Warn:      base.Foreground(yellow).Bold(true),
		Error:     base.Foreground(red).Bold(true),
		FormLabel: base.Foreground(yellow),
		Input:     textinput.DefaultStyles(isDark),
		Help:      help.DefaultStyles(isDark),
	}
	if noColor {
		s.Input, s.Help = plainInput(s.Input), plainHelp()
	}
	s.Markdown, s.Prompt = markdownStyles(isDark, noColor)
	return s
}

// plainHelp is the help without the bubbles' grey colours (NO_COLOR).
func plainHelp() help.Styles {
	key, desc := lipgloss.NewStyle().Bold(true), lipgloss.NewStyle().Faint(true)
	return help.Styles{Ellipsis: desc, ShortKey: key, ShortDesc: desc, ShortSeparator: desc,
		FullKey: key, FullDesc: desc, FullSeparator: desc}
}

// plainInput is the text input without colours (NO_COLOR): placeholder
// and suggestions faint, the cursor the terminal's own.
func plainInput(in textinput.Styles) textinput.Styles {
	state := textinput.StyleState{Text: lipgloss.NewStyle(), Placeholder: lipgloss.NewStyle().Faint(true),
		Suggestion: lipgloss.NewStyle().Faint(true), Prompt: lipgloss.NewStyle().Bold(true)}
	in.Focused, in.Blurred = state, state
	in.Cursor.Color = nil
	return in
}

// markdownStyles picks glamour's style for the background. The prompt
// variant highlights inline code, which the prompt text uses only for
// unfilled placeholders (see highlightUnfilled).
func markdownStyles(isDark, noColor bool) (guidance, prompt ansi.StyleConfig) {
	switch {
	case noColor:
		guidance = styles.NoTTYStyleConfig
	case isDark:
		guidance = styles.DarkStyleConfig
	default:
		guidance = styles.LightStyleConfig
	}
	prompt = guidance
	code := &prompt.Code.StylePrimitive
	code.Bold = new(true)
	switch {
	case noColor:
		code.Inverse = new(true) // NO_COLOR allows attributes, not colours
	case isDark:
		code.Color, code.BackgroundColor = new("#0D1117"), new("#D29922")
	default:
		code.Color, code.BackgroundColor = new("#FFFFFF"), new("#9A6700")
	}
	return guidance, prompt
}

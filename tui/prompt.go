package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
)

// promptView shows one populated prompt rendered as Markdown, unfilled
// placeholders highlighted, with its guidance beside it on request.
type promptView struct {
	*common
	md *markdown

	prompt  prompts.Prompt
	finding *triage.Finding // nil when opened from the library
	pop     prompts.Populated
	guide   string // guidance Markdown

	body, guidance scrolled
	showGuide      bool
	guideFocused   bool
	form           *fillForm
	width, height  int
	header         string
	frame          string // header and viewports, composed after each change
	// pending: its content is being filled in (a command); copy and write
	// wait, and the header says so.
	pending bool
}

// promptHeaderLines is the title and the fill count above the Markdown.
const promptHeaderLines = 2

// sideBySideWidth is the narrowest terminal where the guidance goes beside
// the prompt rather than under it.
const sideBySideWidth = 120

func newPromptView(com *common, md *markdown) *promptView {
	return &promptView{common: com, md: md}
}

// open shows p for finding f (nil from the library), starting at the top.
func (v *promptView) open(p prompts.Prompt, f *triage.Finding) {
	v.prompt, v.finding, v.form = p, f, nil
	v.body.GotoTop()
	v.guidance.GotoTop()
	v.setContent(prompts.Populated{}, "")
}

// setPending marks the content as being filled in, or done.
func (v *promptView) setPending(pending bool) {
	v.pending = pending
	if v.width > 0 {
		v.header = v.renderHeader()
		v.compose()
	}
}

// setContent replaces the populated prompt and guidance (new numbers or
// new user values), keeping the scroll position.
func (v *promptView) setContent(pop prompts.Populated, guide string) {
	v.pop, v.guide = pop, guide
	v.render()
}

// relatedPosition is the prompt's place among its finding's prompts.
func (v *promptView) relatedPosition() (int, int) {
	if v.finding == nil {
		return 0, 0
	}
	for i, id := range v.finding.Prompts {
		if id == v.prompt.ID {
			return i, len(v.finding.Prompts)
		}
	}
	return 0, len(v.finding.Prompts)
}

func (v *promptView) SetSize(width, height int) {
	v.width, v.height = width, height
	if v.form != nil {
		v.form.SetSize(width, height-promptHeaderLines)
	}
	v.layout()
}

// layout sizes the viewports: guidance beside the prompt on wide
// terminals, under it on narrow ones.
func (v *promptView) layout() {
	h := max(v.height-promptHeaderLines, 1)
	switch {
	case !v.showGuide:
		v.body.SetWidth(v.width)
		v.body.SetHeight(h)
	case v.width >= sideBySideWidth:
		left := v.width * 11 / 20
		v.body.SetWidth(left)
		v.body.SetHeight(h)
		v.guidance.SetWidth(v.width - left - 1)
		v.guidance.SetHeight(h)
	default:
		top := max(h/2, 1)
		v.body.SetWidth(v.width)
		v.body.SetHeight(top)
		v.guidance.SetWidth(v.width)
		v.guidance.SetHeight(max(h-top-1, 1))
	}
	v.render()
}

// render does the expensive work (glamour, cached) when content, size or
// style change, never in View.
func (v *promptView) render() {
	if v.width <= 0 {
		return
	}
	v.header = v.renderHeader()
	v.body.SetContent(v.md.render(promptDoc(v.pop), &v.styles.Prompt, v.body.Width()-1))
	if v.showGuide {
		v.guidance.SetContent(v.md.render(v.guide, &v.styles.Markdown, v.guidance.Width()-1))
	}
	v.compose()
}

// renderer renders a prompt and its guidance into a cache at the view's
// widths and styles of now: render uses it, and a content command calls it
// off Update so that render then finds the Markdown already rendered.
func (v *promptView) renderer() func(md *markdown, pop prompts.Populated, guide string) {
	prompt, guidance := &v.styles.Prompt, &v.styles.Markdown
	bodyWidth, guideWidth, showGuide := v.body.Width()-1, v.guidance.Width()-1, v.showGuide
	return func(md *markdown, pop prompts.Populated, guide string) {
		md.render(promptDoc(pop), prompt, bodyWidth)
		if showGuide {
			md.render(guide, guidance, guideWidth)
		}
	}
}

// promptDoc is the prompt's Markdown with its unfilled placeholders marked.
func promptDoc(pop prompts.Populated) string { return highlightUnfilled(pop.Markdown, pop.Unfilled) }

func (v *promptView) renderHeader() string {
	s := v.styles
	title := v.prompt.Title
	if v.prompt.Number > 0 {
		title = fmt.Sprintf("%d · %s", v.prompt.Number, title)
	}
	line := s.Bold.Render(fit(title, v.width/2))
	if i, n := v.relatedPosition(); v.finding != nil {
		line += s.Dim.Render(fit(fmt.Sprintf("  for %s · prompt %d/%d ([ ])", v.finding.ID, i+1, n), v.width-ansi.StringWidth(line)))
	} else {
		line += s.Dim.Render("  from the library")
	}
	var fill string
	switch {
	case v.pending:
		fill = s.Dim.Render("filling in with the latest numbers…")
	case v.pop.Total == 0:
		fill = s.Filled.Render("no placeholders")
	case len(v.pop.Unfilled) == 0:
		fill = s.Filled.Render(fmt.Sprintf("all %d placeholders filled", v.pop.Total))
	default:
		fill = s.Unfilled.Render(fit(fmt.Sprintf("%d/%d filled · %d to fill (e): %s", v.pop.Filled, v.pop.Total,
			len(v.pop.Unfilled), strings.Join(v.pop.Unfilled, " ")), v.width))
	}
	return line + "\n" + fill
}

// Title is the prompt's, drawn after the tabs.
func (v *promptView) Title() string { return v.prompt.Title }

// Update handles the keys that act on the view alone (the model takes
// those that copy, fill or switch prompts) while no form is open.
func (v *promptView) Update(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, v.keys.Guidance):
		v.showGuide = !v.showGuide
		v.guideFocused = v.showGuide && v.guideFocused
		v.layout()
		return nil
	case v.showGuide && (key.Matches(msg, v.keys.NextPane) || key.Matches(msg, v.keys.PrevPane)):
		v.guideFocused = !v.guideFocused
		v.compose()
		return nil
	}
	target := &v.body
	if v.showGuide && v.guideFocused {
		target = &v.guidance
	}
	if target.scroll(msg, v.keys) {
		v.compose()
	}
	return nil
}

func (v *promptView) View() string {
	if v.form != nil {
		return v.header + "\n" + v.form.View()
	}
	return v.frame
}

// ShortHelp leaves out the Help key the model appends.
func (v *promptView) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Copy, v.keys.Edit, v.keys.Guidance, v.keys.NextPrompt, v.keys.Back}
}

// compose lays out the header and viewports into the frame View returns;
// it runs after every change, so a redraw copies one string.
func (v *promptView) compose() {
	if !v.showGuide {
		v.frame = v.header + "\n" + v.body.View()
		return
	}
	s := v.styles
	if v.width >= sideBySideWidth {
		v.frame = v.header + "\n" + besideEachOther(v.body.View(), s.Dim.Render("│"), v.guidance.View())
		return
	}
	guideTitle := s.Dim.Render("guidance (tab to scroll it)")
	if v.guideFocused {
		guideTitle = s.Bold.Render("guidance (tab: back to the prompt)")
	}
	v.frame = v.header + "\n" + v.body.View() + "\n" + guideTitle + "\n" + v.guidance.View()
}

// besideEachOther puts right next to left, with a rule between them: both
// are scrolled views, whose lines are already exactly their width.
func besideEachOther(left, rule, right string) string {
	ls, rs := strings.Split(left, "\n"), strings.Split(right, "\n")
	var b strings.Builder
	b.Grow(len(left) + len(right) + len(ls)*(len(rule)+1))
	for i := range min(len(ls), len(rs)) {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(ls[i])
		b.WriteString(rule)
		b.WriteString(rs[i])
	}
	return b.String()
}

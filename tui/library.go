package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
)

// libraryPane lists every prompt with how many placeholders the numbers
// fill; / filters with prompts.Search.
type libraryPane struct {
	*common
	shown     []prompts.Prompt
	fills     map[triage.PromptID]fillCount
	filter    textinput.Model
	filtering bool
	// filterStyles are the styles the filter input has a copy of.
	filterStyles *Styles
	list         listCursor
	width        int
	height       int
	view         string
}

// fillCount is how many placeholder occurrences of a prompt are filled.
type fillCount struct{ filled, total int }

func newLibraryPane(com *common) *libraryPane {
	f := textinput.New()
	f.Prompt = "/ "
	f.Placeholder = "filter by id, title or category"
	f.CharLimit = 64
	f.SetStyles(com.styles.Input)
	return &libraryPane{common: com, shown: prompts.Library(), filter: f, filterStyles: com.styles}
}

func (p *libraryPane) setFills(fills map[triage.PromptID]fillCount) {
	p.fills = fills
	p.render()
}

func (p *libraryPane) selected() (prompts.Prompt, bool) {
	if len(p.shown) == 0 {
		return prompts.Prompt{}, false
	}
	return p.shown[p.list.cursor], true
}

// startFilter focuses the filter input.
func (p *libraryPane) startFilter() tea.Cmd {
	p.filtering = true
	p.render()
	return p.filter.Focus()
}

// SetSize also restyles the filter input after a style switch, and only
// then: SetStyles restarts its cursor blink.
func (p *libraryPane) SetSize(width, height int) {
	p.width, p.height = width, height
	p.filter.SetWidth(max(width-4, 10))
	if p.filterStyles != p.styles {
		p.filter.SetStyles(p.styles.Input)
		p.filterStyles = p.styles
	}
	p.render()
}

func (p *libraryPane) Title() string { return fmt.Sprintf("Library %d", len(prompts.Library())) }

func (p *libraryPane) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.NextPane, p.keys.Open, p.keys.Filter}
}

// Update handles a key; while filtering, the input gets it: enter keeps
// the filter, esc clears it.
func (p *libraryPane) Update(msg tea.KeyPressMsg) tea.Cmd {
	if !p.filtering {
		if key.Matches(msg, p.keys.Back) && p.filter.Value() != "" {
			p.applyFilter("")
		} else if p.list.update(msg, p.keys, len(p.shown), p.listHeight()) {
			p.render()
		}
		return nil
	}
	switch {
	case key.Matches(msg, p.keys.Save):
		p.filtering = false
		p.filter.Blur()
		p.render()
		return nil
	case key.Matches(msg, p.keys.Cancel):
		p.filtering = false
		p.filter.Blur()
		p.applyFilter("")
		return nil
	}
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(msg)
	p.applyFilter(p.filter.Value())
	return cmd
}

// updateInput passes non-key messages (cursor blink) to the filter.
func (p *libraryPane) updateInput(msg tea.Msg) tea.Cmd {
	if !p.filtering {
		return nil
	}
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(msg)
	p.render()
	return cmd
}

func (p *libraryPane) applyFilter(text string) {
	p.filter.SetValue(text)
	p.shown = prompts.Search(text)
	p.list = listCursor{}
	p.render()
}

func (p *libraryPane) View() string { return p.view }

func (p *libraryPane) listHeight() int { return max(p.height-1, 1) }

func (p *libraryPane) render() {
	if p.width <= 0 || p.height <= 0 {
		return
	}
	s := p.styles
	var head string
	switch {
	case p.filtering:
		head = p.filter.View()
	case p.filter.Value() != "":
		head = s.Dim.Render(fit(fmt.Sprintf("filter %q: %d of %d prompts (esc clears)", p.filter.Value(), len(p.shown), len(prompts.Library())), p.width))
	default:
		head = s.Dim.Render(fit(fmt.Sprintf("%d prompts · filled placeholders / total with the current numbers · / filters", len(p.shown)), p.width))
	}
	lines := []string{head}
	if len(p.shown) == 0 {
		lines = append(lines, s.Dim.Render("no prompt matches"))
	}
	first, last := p.list.visible(len(p.shown), p.listHeight())
	for i := first; i < last; i++ {
		lines = append(lines, p.renderRow(p.shown[i], i == p.list.cursor))
	}
	p.view = strings.Join(lines, "\n")
}

func (p *libraryPane) renderRow(pr prompts.Prompt, selected bool) string {
	s := p.styles
	no := "  -"
	if pr.Number > 0 {
		no = fmt.Sprintf("%3d", pr.Number)
	}
	fill, fillStyle := "", s.Filled
	if c, ok := p.fills[pr.ID]; ok {
		fill = fmt.Sprintf("%d/%d", c.filled, c.total)
		if c.filled < c.total {
			fillStyle = s.Unfilled
		}
	}
	category := 0
	if p.width >= 100 {
		category = 30
	}
	title := p.width - 3 - 1 - 7 - category - 1
	text := pad(pr.Title, title)
	if category > 0 {
		text += " " + s.Dim.Render(pad(strings.TrimSuffix(pr.Category, " Prompts"), category-1))
	}
	if selected {
		text = s.Selected.Render(ansi.Strip(text))
	}
	return no + " " + text + " " + fillStyle.Render(fmt.Sprintf("%7s", fill))
}

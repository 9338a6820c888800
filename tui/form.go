package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// fillForm asks for the placeholders the numbers could not fill, one text
// input each. The model takes enter (save every field) and esc (discard
// the edits).
type fillForm struct {
	*common
	fields []formField
	focus  int
	list   listCursor
	width  int
	height int
}

type formField struct {
	span  string // the placeholder as written, "[describe architecture]"
	input textinput.Model
}

func newFillForm(com *common, spans []string, values map[string]string) (*fillForm, tea.Cmd) {
	f := &fillForm{common: com}
	for _, span := range spans {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = strings.Trim(span, "[]")
		in.CharLimit = 200
		in.SetStyles(com.styles.Input)
		in.SetValue(values[span])
		f.fields = append(f.fields, formField{span: span, input: in})
	}
	return f, f.focusField(0)
}

func (f *fillForm) focusField(i int) tea.Cmd {
	if len(f.fields) == 0 {
		return nil
	}
	f.fields[f.focus].input.Blur()
	f.focus = (i + len(f.fields)) % len(f.fields)
	f.list.cursor = f.focus
	return f.fields[f.focus].input.Focus()
}

// values returns every field keyed by its placeholder; an emptied field
// clears the value.
func (f *fillForm) values() map[string]string {
	out := make(map[string]string, len(f.fields))
	for _, fl := range f.fields {
		out[fl.span] = strings.TrimSpace(fl.input.Value())
	}
	return out
}

func (f *fillForm) SetSize(width, height int) {
	f.width, f.height = width, height
	for i := range f.fields {
		f.fields[i].input.SetWidth(max(width-f.labelWidth()-3, 10))
	}
}

// Update moves between fields or types into the focused one.
func (f *fillForm) Update(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, f.keys.NextField):
		return f.focusField(f.focus + 1)
	case key.Matches(msg, f.keys.PrevField):
		return f.focusField(f.focus - 1)
	}
	return f.updateInput(msg)
}

// updateInput passes a message (a typed key, a cursor blink) to the
// focused field.
func (f *fillForm) updateInput(msg tea.Msg) tea.Cmd {
	if len(f.fields) == 0 {
		return nil
	}
	var cmd tea.Cmd
	f.fields[f.focus].input, cmd = f.fields[f.focus].input.Update(msg)
	return cmd
}

func (f *fillForm) labelWidth() int { return min(max(f.width/3, 16), 40) }

// View is drawn on every frame while typing; it is small (one line per
// field), so it is not cached.
func (f *fillForm) View() string {
	s := f.styles
	lines := []string{
		s.Bold.Render(fit("Fill the placeholders: the values stay for this run and fill every prompt that asks.", f.width)),
		s.Dim.Render(fit("enter saves · tab/↓ next · shift+tab/↑ previous · esc cancels · empty clears", f.width)),
		"",
	}
	if len(f.fields) == 0 {
		return strings.Join(append(lines, s.Filled.Render("Every placeholder of this prompt is filled.")), "\n")
	}
	lw := f.labelWidth()
	first, last := f.list.visible(len(f.fields), max(f.height-len(lines), 1))
	for i := first; i < last; i++ {
		marker := "  "
		if i == f.focus {
			marker = s.Unfilled.Render("▸ ")
		}
		lines = append(lines, marker+s.FormLabel.Render(pad(f.fields[i].span, lw))+" "+f.fields[i].input.View())
	}
	return strings.Join(lines, "\n")
}

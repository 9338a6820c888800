package tui

import (
	"strings"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
)

// markdown renders Markdown with glamour and remembers the result: a
// renderer per (style, width) and the output per (document, style, width),
// so redraws and resizes back to a known width cost nothing.
type markdown struct {
	renderers map[renderKey]*glamour.TermRenderer
	outputs   map[outputKey]string
}

type renderKey struct {
	style *ansi.StyleConfig
	width int
}

type outputKey struct {
	renderKey
	doc string
}

func newMarkdown() *markdown {
	return &markdown{renderers: map[renderKey]*glamour.TermRenderer{}, outputs: map[outputKey]string{}}
}

// The caches are bounded; it is cleared, not evicted,
// because a new style or a burst of resizes invalidates most of it anyway.
const (
	maxCachedOutputs   = 64
	maxCachedRenderers = 8
)

// render returns doc rendered at width; on a renderer error it falls back
// to the plain text, which is still worth reading.
func (m *markdown) render(doc string, style *ansi.StyleConfig, width int) string {
	width = max(width, 20)
	key := outputKey{renderKey{style, width}, doc}
	if out, ok := m.outputs[key]; ok {
		return out
	}
	r, ok := m.renderers[key.renderKey]
	if !ok {
		var err error
		r, err = glamour.NewTermRenderer(glamour.WithStyles(*style), glamour.WithWordWrap(width))
		if err != nil {
			return doc
		}
		if len(m.renderers) >= maxCachedRenderers {
			clear(m.renderers)
		}
		m.renderers[key.renderKey] = r
	}
	out, err := r.Render(doc)
	if err != nil {
		return doc
	}
	out = strings.Trim(out, "\n")
	if len(m.outputs) >= maxCachedOutputs {
		clear(m.outputs)
	}
	m.outputs[key] = out
	return out
}

// adopt keeps what another cache rendered (a content command's, rendered
// off Update), so that the next render of the same document, style and
// width is a lookup.
func (m *markdown) adopt(other *markdown) {
	for k, out := range other.outputs {
		if len(m.outputs) >= maxCachedOutputs {
			clear(m.outputs)
		}
		m.outputs[k] = out
	}
}

// highlightUnfilled marks each unfilled [placeholder] as inline code, which
// the prompt style draws as a highlight. The seed prompts contain no inline
// code of their own, so nothing else is highlighted.
func highlightUnfilled(doc string, unfilled []string) string {
	if len(unfilled) == 0 {
		return doc
	}
	pairs := make([]string, 0, 2*len(unfilled))
	for _, span := range unfilled {
		pairs = append(pairs, span, "`"+strings.ReplaceAll(span, "`", "'")+"`")
	}
	return strings.NewReplacer(pairs...).Replace(doc)
}

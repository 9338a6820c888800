package report

import (
	"strings"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/styles"
)

// PlainText renders Markdown without colours for terminals and pipes: no
// emphasis markers (glamour splits them around "_" in names) and no padding
// at line ends.
func PlainText(md string) (string, error) {
	style := styles.NoTTYStyleConfig
	style.Strong.BlockPrefix, style.Strong.BlockSuffix = "", ""
	style.Emph.BlockPrefix, style.Emph.BlockSuffix = "", ""
	r, err := glamour.NewTermRenderer(glamour.WithStyles(style), glamour.WithWordWrap(100))
	if err != nil {
		return "", err
	}
	out, err := r.Render(md)
	if err != nil {
		return "", err
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n"), nil
}

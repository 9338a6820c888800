package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// renderTicket renders Markdown as GitHub does: CommonMark with its
// extensions, raw HTML such as <details> passed through.
func renderTicket(t *testing.T, md []byte) string {
	t.Helper()
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe())).Convert(md, &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// The ticket renders cleanly: one title, the summary, the timeline and
// signals as tables, the prompt folded in <details>, every finding's graph
// a link; the HTML is a golden file.
func TestTicketRendersAsHTML(t *testing.T) {
	var md bytes.Buffer
	if err := WriteMarkdown(&md, demo(t)); err != nil {
		t.Fatal(err)
	}
	out := renderTicket(t, md.Bytes())
	checkGolden(t, "demo-ticket.html", []byte(out))
	for _, want := range []string{
		"<h1>CRITICAL: Database connection pool exhaustion</h1>",
		"<p><strong>Summary:</strong> CRITICAL Database connection pool exhaustion on database=app, user=app; change: new against the day before; since 09:42Z",
		"<h2>Timeline</h2>", "<th>when</th>", "<td>09:43Z (now)</td>\n<td>this report</td>",
		"<details>\n<summary>The populated prompt, ready to paste into an LLM</summary>",
		"<h2>Not measured</h2>", "<h2>Signals</h2>",
		`<a href="http://127.0.0.1:19090/graph?g0.expr=`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the rendered ticket lacks %q", want)
		}
	}
	if n := strings.Count(out, "<h1>"); n != 1 {
		t.Errorf("%d titles", n)
	}
	// The populated prompt is inside the fold, the guidance after it.
	details := regexp.MustCompile(`(?s)<details>\n<summary>The populated prompt.*?</details>`).FindString(out)
	if !strings.Contains(details, "Measured on the live system") || strings.Contains(details, "<h2>Guidance</h2>") {
		t.Errorf("the fold does not hold the prompt alone:\n%.500s", details)
	}
}

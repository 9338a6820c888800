package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// The Markdown report pastes into a ticket as one document: one "#" title,
// and no heading more than one level below the one before it (the top
// prompt's own "# 6. ..." goes under "## Prompt: ..."), fences left alone.
func TestMarkdownHeadingsNest(t *testing.T) {
	var md bytes.Buffer
	if err := WriteMarkdown(&md, demo(t)); err != nil {
		t.Fatal(err)
	}
	heading := regexp.MustCompile(`^(#{1,6}) `)
	previous, titles, inFence := 0, 0, false
	for _, line := range strings.Split(md.String(), "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		m := heading.FindStringSubmatch(line)
		if inFence || m == nil {
			continue
		}
		level := len(m[1])
		if level == 1 {
			titles++
		}
		if level > previous+1 {
			t.Errorf("%q is %d levels below the heading before it", line, level-previous)
		}
		previous = level
	}
	if titles != 1 {
		t.Errorf("%d level-1 headings, want the report's title alone", titles)
	}
	for _, want := range []string{"\n## Prompt: ", "\n### ", "\n#### Measured on the live system\n", "\n## Guidance\n\n### Why this prompt\n"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("missing %q", want)
		}
	}
}

func TestDemoteHeadingsLeavesFencesAlone(t *testing.T) {
	in := "# Title\n\n````promql\n# a PromQL comment\n```\n````\n## Next\n#hashtag\n"
	want := "### Title\n\n````promql\n# a PromQL comment\n```\n````\n#### Next\n#hashtag\n"
	if got := demoteHeadings(in, 2); got != want {
		t.Errorf("demoteHeadings:\n%s\nwant:\n%s", got, want)
	}
}

// Hardening round 3, item 6: what a server or a config says is text in the
// Markdown report, rendered by a CommonMark renderer with GitHub's
// extensions as a ticket would be: no image to fetch, no javascript: link,
// no HTML tag of theirs, only an http(s) runbook linked, every field capped.
func TestMarkdownFromServersIsText(t *testing.T) {
	const hostile = `![pixel](http://evil.example/p.png) [click](javascript:alert(1)) <img src=x onerror=alert(1)> <script>x</script> &lt;b&gt; ~~struck~~ **bold**`
	huge := strings.Repeat("A", 5_000_000)
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	snap := &triage.Snapshot{
		Source: triage.Source{URL: "http://prom"}, At: at, Window: 15 * time.Minute,
		Selector: `job="` + hostile + `"`,
		Readings: []triage.Reading{{ID: triage.SignalMemoryTotal, Status: triage.StatusOK, Unit: triage.UnitBytes, Value: triage.Of(1),
			Exporter: hostile, EntityLabels: []string{"instance"}, EntityCount: 1,
			Entities: []triage.Entity{{Labels: map[string]string{"instance": hostile + huge}, Value: triage.Of(1)}}}},
	}
	for _, runbook := range []string{"javascript:alert(1)", "https://runbooks.example/x?a=1", "https://runbooks.example/" + huge} {
		alert := &triage.Alert{Name: "Page" + hostile, State: "firing", ActiveAt: at.Add(-time.Minute),
			Annotations: map[string]string{"summary": hostile + huge, "runbook_url": runbook}}
		var md bytes.Buffer
		if err := WriteMarkdown(&md, Pass{Diagnosis: triage.Diagnose(snap, triage.DefaultRuleSettings()), Alert: alert}); err != nil {
			t.Fatal(err)
		}
		// Rendered as GitHub does, raw HTML allowed: none of it is theirs.
		html := bytes.NewBufferString(renderTicket(t, md.Bytes()))
		for _, bad := range []string{"<img", "<script", `href="javascript:`, "<del>", "<b>", "<strong>bold"} {
			if strings.Contains(html.String(), bad) {
				t.Errorf("runbook %.40q: the HTML holds %q", runbook, bad)
			}
		}
		// GitHub links a bare http(s) address in any text; a link of ours
		// (text and target apart) is the http(s) runbook alone.
		for _, link := range regexp.MustCompile(`<a href="([^"]*)">([^<]*)</a>`).FindAllStringSubmatch(html.String(), -1) {
			if !strings.HasPrefix(link[1], "http://") && !strings.HasPrefix(link[1], "https://") {
				t.Errorf("runbook %.40q: a link to %.60q", runbook, link[1])
			}
			if link[1] != link[2] && link[1] != runbook {
				t.Errorf("runbook %.40q: a link to %.60q reading %.60q", runbook, link[1], link[2])
			}
		}
		if linked := strings.Contains(html.String(), `<a href="`+runbook+`">`); linked != (runbook == "https://runbooks.example/x?a=1") {
			t.Errorf("runbook %.40q linked: %v; want only a short http(s) one", runbook, linked)
		}
		for i, line := range strings.Split(md.String(), "\n") {
			if len(line) > 8000 {
				t.Errorf("runbook %.40q: line %d is %d bytes: a field was not capped", runbook, i+1, len(line))
			}
		}
		if !strings.Contains(html.String(), "![pixel](") || !strings.Contains(html.String(), "[click](javascript:alert(1))") {
			t.Errorf("the hostile text is not shown as text:\n%.2000s", html.String())
		}
	}
}

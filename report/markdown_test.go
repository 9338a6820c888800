package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
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

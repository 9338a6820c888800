// Package prompts holds the seed scaling prompts as embedded Markdown
// templates, fills their placeholders with measured numbers, and writes the
// guidance shown beside them. It produces Markdown only (never ANSI) and does
// no I/O beyond go:embed.
package prompts

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/scaletriage/scaletriage/triage"
)

// Prompt is one template of the library.
type Prompt struct {
	Number   int // 1..25 for the seed prompts, 0 for the patterns
	ID       triage.PromptID
	Title    string
	Category string // the seed's section heading, e.g. "Database Scaling Prompts"
	Template string // Markdown with [placeholder] spans
}

//go:embed library/*.md
var libraryFS embed.FS

// library is parsed once: the templates are data compiled into the binary.
var library = mustLoadLibrary()

// Library returns the 25 numbered prompts in order, then the patterns.
func Library() []Prompt { return slices.Clone(library) }

// Lookup finds a prompt by number ("6", "06") or id ("connection-pool-optimization").
func Lookup(idOrNumber string) (Prompt, bool) {
	key := strings.ToLower(strings.TrimSpace(idOrNumber))
	if n, err := strconv.Atoi(key); err == nil {
		for _, p := range library {
			if p.Number != 0 && p.Number == n {
				return p, true
			}
		}
		return Prompt{}, false
	}
	return ByID(triage.PromptID(key))
}

// ByID finds a prompt by its id, as findings and bindings name it.
func ByID(id triage.PromptID) (Prompt, bool) {
	for _, p := range library {
		if p.ID == id {
			return p, true
		}
	}
	return Prompt{}, false
}

// Search returns the prompts whose id, title or category contains filter,
// ignoring case; an empty filter returns the whole library.
func Search(filter string) []Prompt {
	f := strings.ToLower(strings.TrimSpace(filter))
	var out []Prompt
	for _, p := range library {
		hay := strings.ToLower(string(p.ID) + "\n" + p.Title + "\n" + p.Category)
		if strings.Contains(hay, f) {
			out = append(out, p)
		}
	}
	return out
}

func mustLoadLibrary() []Prompt {
	files, err := fs.Glob(libraryFS, "library/*.md")
	if err != nil {
		panic(err)
	}
	prompts := make([]Prompt, 0, len(files))
	for _, name := range files {
		data, err := libraryFS.ReadFile(name)
		if err != nil {
			panic(err)
		}
		p, err := parseTemplate(string(data))
		if err != nil {
			panic(fmt.Sprintf("embedded %s: %v", name, err))
		}
		prompts = append(prompts, p)
	}
	// Numbered prompts first in order; the patterns (Number 0) after them,
	// in the seed's order, which their file names do not give.
	slices.SortStableFunc(prompts, func(a, b Prompt) int {
		return rank(a) - rank(b)
	})
	return prompts
}

// patternOrder is the seed's order of the prompt patterns.
var patternOrder = []triage.PromptID{triage.PromptScalingConstraint, triage.PromptIncrementalScaling}

func rank(p Prompt) int {
	if p.Number > 0 {
		return p.Number
	}
	return 1000 + slices.Index(patternOrder, p.ID)
}

// parseTemplate reads the front matter (id, number, title, category between
// "---" lines) and keeps the rest as the template.
func parseTemplate(src string) (Prompt, error) {
	rest, ok := strings.CutPrefix(src, "---\n")
	if !ok {
		return Prompt{}, fmt.Errorf("missing front matter")
	}
	head, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return Prompt{}, fmt.Errorf("unterminated front matter")
	}
	var p Prompt
	for _, line := range strings.Split(head, "\n") {
		key, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "id":
			p.ID = triage.PromptID(value)
		case "number":
			n, err := strconv.Atoi(value)
			if err != nil {
				return Prompt{}, fmt.Errorf("number: %w", err)
			}
			p.Number = n
		case "title":
			p.Title = value
		case "category":
			p.Category = value
		default:
			return Prompt{}, fmt.Errorf("unknown front matter key %q", key)
		}
	}
	if p.ID == "" || p.Title == "" || p.Category == "" {
		return Prompt{}, fmt.Errorf("front matter needs id, title and category")
	}
	p.Template = strings.TrimLeft(body, "\n")
	return p, nil
}

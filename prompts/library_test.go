package prompts

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/triage"
)

// seedPrompts splits the seed text into its prompts, keyed by prompt id, the
// way a reader would: each numbered heading, category heading, pattern
// heading and "TIP" starts its own line, even where the seed glued it to
// the previous line ("...year 2."2. Bottleneck Identification").
func seedPrompts(t *testing.T) map[triage.PromptID][]string {
	t.Helper()
	raw, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	starts := map[string]triage.PromptID{} // heading line -> prompt id ("" ends a prompt)
	for _, p := range Library() {
		heading := p.Title
		if p.Number > 0 {
			heading = strconv.Itoa(p.Number) + ". " + p.Title
		}
		starts[heading] = p.ID
		starts[p.Category] = ""
	}
	starts["TIP"] = ""
	for heading := range starts {
		glued := regexp.MustCompile(`([^\n])` + regexp.QuoteMeta(heading) + `\n`)
		text = glued.ReplaceAllString(text, "$1\n"+heading+"\n")
	}
	out := map[triage.PromptID][]string{}
	var current triage.PromptID
	for _, line := range strings.Split(text, "\n") {
		line = normalizeSpace(line)
		if id, ok := starts[line]; ok {
			current = id
			if id != "" {
				out[id] = []string{line}
			}
			continue
		}
		if current != "" && line != "" {
			out[current] = append(out[current], line)
		}
	}
	return out
}

func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestTemplatesAreFaithfulToTheSeed(t *testing.T) {
	seed := seedPrompts(t)
	if len(seed) != 27 {
		t.Fatalf("seed split into %d prompts, want 27 (25 numbered + 2 patterns)", len(seed))
	}
	for _, p := range Library() {
		lines, ok := seed[p.ID]
		if !ok {
			t.Errorf("%s: heading not found in the seed", p.ID)
			continue
		}
		if len(lines) < 4 {
			t.Errorf("%s: only %d seed lines; the split is wrong", p.ID, len(lines))
		}
		tmpl := strings.Split(p.Template, "\n")
		next := 0
		for _, want := range lines {
			found := false
			for next < len(tmpl) {
				got := normalizeSpace(tmpl[next])
				next++
				if strings.Contains(got, want) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%s: seed line missing or out of order: %q", p.ID, want)
				break
			}
		}
	}
}

func TestLibraryIDsAndOrder(t *testing.T) {
	lib := Library()
	if len(lib) != 27 {
		t.Fatalf("Library() has %d prompts, want 27", len(lib))
	}
	slug := regexp.MustCompile(`[^a-z0-9]+`)
	for i, p := range lib[:25] {
		if p.Number != i+1 {
			t.Errorf("prompt %d has number %d", i+1, p.Number)
		}
		if want := strings.Trim(slug.ReplaceAllString(strings.ToLower(p.Title), "-"), "-"); string(p.ID) != want {
			t.Errorf("prompt %d id %q, want slug of title %q", p.Number, p.ID, want)
		}
		if !strings.HasPrefix(p.Template, "# "+strconv.Itoa(p.Number)+". "+p.Title+"\n") {
			t.Errorf("prompt %d template does not start with its heading", p.Number)
		}
	}
	if lib[25].ID != "scaling-constraint-pattern" || lib[26].ID != "incremental-scaling-pattern" {
		t.Errorf("patterns: got %q, %q", lib[25].ID, lib[26].ID)
	}
	for _, p := range lib[25:] {
		if p.Number != 0 || p.Category != "Prompt Patterns for Scaling Work" {
			t.Errorf("pattern %s: number %d category %q", p.ID, p.Number, p.Category)
		}
	}
	wantIDs := map[int]triage.PromptID{1: "back-of-envelope-capacity-estimation", 2: "bottleneck-identification",
		6: "connection-pool-optimization", 25: "observability-at-scale"}
	for n, id := range wantIDs {
		if lib[n-1].ID != id {
			t.Errorf("prompt %d id %q, want %q", n, lib[n-1].ID, id)
		}
	}
	if lib[5].Category != "Database Scaling Prompts" {
		t.Errorf("prompt 6 category %q", lib[5].Category)
	}
}

func TestLookup(t *testing.T) {
	for _, key := range []string{"6", "06", "connection-pool-optimization", " Connection-Pool-Optimization "} {
		p, ok := Lookup(key)
		if !ok || p.Number != 6 {
			t.Errorf("Lookup(%q) = %d, %v; want prompt 6", key, p.Number, ok)
		}
	}
	if p, ok := Lookup("scaling-constraint-pattern"); !ok || p.Number != 0 {
		t.Errorf("Lookup(pattern) = %+v, %v", p.ID, ok)
	}
	for _, key := range []string{"0", "26", "", "nope", "-1"} {
		if _, ok := Lookup(key); ok {
			t.Errorf("Lookup(%q) found a prompt", key)
		}
	}
}

func TestSearch(t *testing.T) {
	if got := len(Search("")); got != 27 {
		t.Errorf("Search(\"\") = %d prompts, want 27", got)
	}
	got := Search("POOL")
	if len(got) != 1 || got[0].Number != 6 {
		t.Errorf("Search(POOL) = %v", ids(got))
	}
	if got := Search("database-specific"); len(got) != 2 || got[0].Number != 13 || got[1].Number != 14 {
		t.Errorf("Search by category = %v", ids(got))
	}
	if got := Search("no such prompt"); len(got) != 0 {
		t.Errorf("Search(nonsense) = %v", ids(got))
	}
}

func ids(ps []Prompt) []triage.PromptID {
	var out []triage.PromptID
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

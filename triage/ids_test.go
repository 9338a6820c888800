package triage

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// One set of ids, used everywhere: rule_ids.go declares exactly the ids of
// Rules(), and prompt_ids.go exactly the ids of the prompt library's files
// (read as text: prompts imports this package, not the other way round).
func TestIDConstantsAreComplete(t *testing.T) {
	var rules []string
	for _, r := range Rules() {
		rules = append(rules, string(r.ID))
	}
	sameSet(t, "RuleID constants", declaredConstants(t, "rule_ids.go", "RuleID"), "Rules()", rules)

	files, err := filepath.Glob("../prompts/library/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no prompt library files (%v)", err)
	}
	idLine := regexp.MustCompile(`(?m)^id: (\S+)$`)
	var library []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := idLine.FindSubmatch(data); m != nil {
			library = append(library, string(m[1]))
		}
	}
	sameSet(t, "PromptID constants", declaredConstants(t, "prompt_ids.go", "PromptID"), "the prompt library", library)
}

// declaredConstants are the values of the string constants of type typ
// declared in file.
func declaredConstants(t *testing.T, file, typ string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		if id, ok := spec.Type.(*ast.Ident); !ok || id.Name != typ {
			return false
		}
		for _, v := range spec.Values {
			if lit, ok := v.(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(lit.Value)
				out = append(out, s)
			}
		}
		return false
	})
	return out
}

func sameSet(t *testing.T, aName string, a []string, bName string, b []string) {
	t.Helper()
	for _, x := range a {
		if !slices.Contains(b, x) {
			t.Errorf("%s has %q, which %s lacks", aName, x, bName)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			t.Errorf("%s has %q, which %s lack", bName, x, aName)
		}
	}
	if len(a) != len(b) {
		t.Errorf("%d %s, %d in %s", len(a), aName, len(b), bName)
	}
}

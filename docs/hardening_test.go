// Package docs holds no code: its test keeps docs/hardening.md true.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// testRef is `<package dir>/<TestName>[/<subtest>]` in backquotes.
var testRef = regexp.MustCompile("`([a-z][a-z0-9/_]*?)/((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)(/[^`]+)?`")

// TestHardeningTableNamesRealTests fails when docs/hardening.md names a
// test function that its package does not have, a subtest whose name is
// not in that package's tests, or when a row of either table is missing or
// covered by nothing.
func TestHardeningTableNamesRealTests(t *testing.T) {
	doc, err := os.ReadFile("hardening.md")
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]string{} // package dir -> its *_test.go files, joined
	testsOf := func(dir string) string {
		if src, ok := sources[dir]; ok {
			return src
		}
		files, _ := filepath.Glob(filepath.Join("..", dir, "*_test.go"))
		var b strings.Builder
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
		}
		sources[dir] = b.String()
		return sources[dir]
	}

	rows := map[string]map[int]int{} // table -> row number -> references
	table := ""
	for n, line := range strings.Split(string(doc), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			table = h
			rows[table] = map[int]int{}
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 4 {
			continue
		}
		row, err := strconv.Atoi(strings.TrimSpace(cells[1]))
		if err != nil {
			continue // header or separator
		}
		if _, dup := rows[table][row]; dup {
			t.Errorf("line %d: row %d of %q twice", n+1, row, table)
		}
		refs := testRef.FindAllStringSubmatch(cells[3], -1)
		rows[table][row] = len(refs)
		for _, ref := range refs {
			dir, name, sub := ref[1], ref[2], strings.TrimPrefix(ref[3], "/")
			src := testsOf(dir)
			if src == "" {
				t.Errorf("line %d: %s: no test files in %s", n+1, ref[0], dir)
				continue
			}
			if !strings.Contains(src, "func "+name+"(") {
				t.Errorf("line %d: %s: no func %s in %s/*_test.go", n+1, ref[0], name, dir)
				continue
			}
			// go test writes a subtest's spaces as underscores.
			if sub != "" && !regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(sub), "_", "[ _]")).MatchString(src) {
				t.Errorf("line %d: %s: no subtest %q in %s/*_test.go", n+1, ref[0], sub, dir)
			}
		}
	}
	for table, want := range map[string]int{"Bad inputs": 40, "Hardening issue": 11, "Hardening round 3": 13} {
		for row := 1; row <= want; row++ {
			switch refs, ok := rows[table][row]; {
			case !ok:
				t.Errorf("%s: row %d is missing", table, row)
			case refs == 0:
				t.Errorf("%s: row %d names no test", table, row)
			}
		}
		if len(rows[table]) != want {
			t.Errorf("%s: %d rows, want %d", table, len(rows[table]), want)
		}
	}
}

// Package golden is the one golden-file mechanism of the tests: Check
// compares what a test produced with a committed file and, when the test
// binary runs with -update, rewrites the file instead. Review the diff of
// a rewrite before committing it.
//
//	go test ./report -update
//	go test ./tui -run TestGoldenViews -update
//	go test ./cmd/scaletriage -run TestGenerateScenarios -update
package golden

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"
)

// updateFlag is the flag's name. The TUI's tests also link
// github.com/charmbracelet/x/exp/golden (through teatest), which defines
// the same flag: packages initialize in import-path order, so it comes
// first and this package reads its value instead of defining a second one.
const updateFlag = "update"

func init() {
	if flag.Lookup(updateFlag) == nil {
		flag.Bool(updateFlag, false, "rewrite the golden files of the tests that run instead of comparing with them")
	}
}

// Updating reports whether the test binary runs with -update (or one of
// its aliases): the tests rewrite their golden files.
func Updating() bool {
	f := flag.Lookup(updateFlag)
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	on, _ := g.Get().(bool)
	return on
}

// Alias defines -name as another spelling of -update, for the flag names
// the documentation used before there was one (-update-scenarios,
// -update-recordings). Call it from a package-level var or init.
func Alias(name string) {
	flag.BoolFunc(name, "the same as -"+updateFlag, func(v string) error {
		return flag.Set(updateFlag, v)
	})
}

// maxDiffLines bounds the diff printed on a mismatch.
const maxDiffLines = 120

// Check compares got with the golden file at path (relative to the test's
// package directory). Under -update it writes got there instead, creating
// the directory. A missing file fails the test, and so does a difference,
// with its unified diff and the command that rewrites the file.
func Check(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if Updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (%s)", err, rewrite(tb))
		return
	}
	if string(want) == string(got) {
		return
	}
	diff := udiff.Unified(path, "got", string(want), string(got))
	lines := strings.SplitAfter(diff, "\n")
	if len(lines) > maxDiffLines {
		diff = strings.Join(lines[:maxDiffLines], "") + fmt.Sprintf("... %d more lines of diff\n", len(lines)-maxDiffLines)
	}
	tb.Errorf("%s differs from the golden file (%s, then review the diff):\n%s", path, rewrite(tb), diff)
}

// rewrite is the command that rewrites the test's golden files: its
// package directory relative to the module root and its top-level test.
func rewrite(tb testing.TB) string {
	pkg := "."
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				if rel, err := filepath.Rel(dir, wd); err == nil {
					pkg = "./" + filepath.ToSlash(rel)
				}
				break
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	top, _, _ := strings.Cut(tb.Name(), "/")
	return fmt.Sprintf("go test %s -run '^%s$' -%s", strings.TrimSuffix(pkg, "/."), top, updateFlag)
}

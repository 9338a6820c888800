package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTB records failures instead of failing.
type fakeTB struct {
	testing.TB
	failed []string
}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Name() string                   { return "TestSomething/sub" }
func (f *fakeTB) Errorf(format string, a ...any) { f.failed = append(f.failed, format) }
func (f *fakeTB) Fatalf(format string, a ...any) { f.failed = append(f.failed, format) }
func (f *fakeTB) Fatal(a ...any)                 { f.failed = append(f.failed, "fatal") }

func TestCheckComparesAndUpdateRewrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	f := &fakeTB{}
	Check(f, path, []byte("a\n"))
	if len(f.failed) != 1 {
		t.Fatalf("a missing golden file passes: %v", f.failed)
	}
	if err := flag.Set(updateFlag, "true"); err != nil {
		t.Fatal(err)
	}
	Check(f, path, []byte("a\n"))
	if err := flag.Set(updateFlag, "false"); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(path); err != nil || string(data) != "a\n" {
		t.Fatalf("-update wrote %q (%v)", data, err)
	}
	f.failed = nil
	Check(f, path, []byte("a\n"))
	Check(f, path, []byte("b\n"))
	if len(f.failed) != 1 || !strings.Contains(f.failed[0], "differs") {
		t.Errorf("want one difference reported: %v", f.failed)
	}
}

func TestAliasSetsUpdate(t *testing.T) {
	Alias("update-golden-test")
	defer flag.Set(updateFlag, "false")
	if err := flag.Set("update-golden-test", "true"); err != nil {
		t.Fatal(err)
	}
	if !Updating() {
		t.Error("the alias does not turn -update on")
	}
}

func TestRewriteNamesThePackageAndTest(t *testing.T) {
	if got, want := rewrite(&fakeTB{}), "go test ./internal/golden -run '^TestSomething$' -update"; got != want {
		t.Errorf("rewrite = %q, want %q", got, want)
	}
}

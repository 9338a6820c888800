package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recordDemo records the bundled demo (offline) to path.
func recordDemo(t *testing.T, path string, extra ...string) (int, string, string) {
	t.Helper()
	return runCLI(t, append([]string{"record", "-o", path, "--replay", "demo/incident.json"}, extra...)...)
}

func TestRecordRefusesAnExistingFileWithoutForce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incident.json")
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := recordDemo(t, path)
	if code != exitUsage || !strings.Contains(stderr, "already exists") || !strings.Contains(stderr, "--force") {
		t.Errorf("exit %d, stderr %q; want 2 naming --force", code, stderr)
	}
	if got, _ := os.ReadFile(path); string(got) != "keep me" {
		t.Errorf("the existing file was changed: %.40q", got)
	}
}

func TestRecordForceReplacesAndWritesAPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incident.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := recordDemo(t, path, "--force"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), `"format": "scaletriage-snapshot"`) {
		t.Fatalf("not replaced by a snapshot: %v %.80q", err, data)
	}
	assertPrivate(t, path)
	assertOnlyFiles(t, filepath.Dir(path), "incident.json")
}

func TestRecordNewFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "incident.json")
	if code, _, stderr := recordDemo(t, path); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	assertPrivate(t, path)
}

// A symbolic link is refused even with --force: its target (here a file
// elsewhere) is never written, and the link stays.
func TestRecordNeverWritesThroughASymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	if err := os.WriteFile(target, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "incident.json")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	for _, force := range [][]string{nil, {"--force"}} {
		code, _, stderr := recordDemo(t, link, force...)
		if code != exitUsage || !strings.Contains(stderr, "symbolic link") {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming the link", force, code, stderr)
		}
	}
	if got, _ := os.ReadFile(target); string(got) != "precious" {
		t.Errorf("the link's target was written: %.40q", got)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
}

func TestReplayFileOverTheCapIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: the size check refuses it before a byte is read.
	if err := f.Truncate(64<<20 + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, _, stderr := runCLI(t, "report", "--replay", path)
	if code != exitError || !strings.Contains(stderr, "64 MiB limit of a recording") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func assertPrivate(t *testing.T, path string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %04o, want 0600", path, fi.Mode().Perm())
	}
}

// assertOnlyFiles fails when dir holds anything else (a temporary file).
func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %v, want only %v", dir, got, names)
	}
}

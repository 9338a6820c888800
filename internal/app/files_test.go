package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A write that fails half way (a full disk) leaves the previous file as it
// was and no temporary file beside it.
func TestWriteFileAtomicFailureLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "incident.json")
	if err := os.WriteFile(path, []byte("previous"), 0o600); err != nil {
		t.Fatal(err)
	}
	diskFull := errors.New("no space left on device")
	err := writeFileAtomic(path, true, func(w io.Writer) error {
		io.WriteString(w, `{"format": "scaletriage-snap`)
		return diskFull
	})
	if !errors.Is(err, diskFull) {
		t.Fatalf("err %v, want the write's error", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "previous" {
		t.Errorf("the previous file was changed: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%s holds %d files, want only incident.json", dir, len(entries))
	}
}

// What has no size (a device, a pipe) is bounded by the read itself.
func TestReadFileCappedBoundsFilesWithoutASize(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := readFileCapped("/dev/zero", "recording", 1<<20)
	if err == nil || !strings.Contains(err.Error(), "1 MiB limit") {
		t.Errorf("err %v", err)
	}
}

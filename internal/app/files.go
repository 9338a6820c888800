package app

import (
	"fmt"
	"io"
	"os"
)

// Caps on the files scaletriage reads, so a wrong path (a 300 MB log, a
// device) fails with a message instead of taking the memory. A snapshot
// holds every answer of a triage, each capped at 16 MiB live but in
// practice a few kB (the lab's demo is under 1 MB).
const (
	MaxSnapshotBytes = 64 << 20
	maxConfigBytes   = 1 << 20
)

// ReadFileCapped reads a whole file of at most limit bytes (what names the
// kind of file in the error): the size is checked first, and the read is
// bounded too for what has no size (a pipe, a device) or grows meanwhile.
func ReadFileCapped(path, what string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Size() > limit {
		return nil, tooLarge(path, what, limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, what, limit)
	}
	return data, nil
}

func tooLarge(path, what string, limit int64) error {
	return fmt.Errorf("%s is over the %d MiB limit of a %s: is it the right file?", path, limit>>20, what)
}

package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Caps on the files scaletriage reads, so a wrong path (a 300 MB log, a
// device) fails with a message instead of taking the memory. A snapshot
// holds every answer of a triage, each capped at 16 MiB live but in
// practice a few kB (the lab's demo is under 1 MB).
const (
	maxSnapshotBytes = 64 << 20
	maxConfigBytes   = 1 << 20
)

// readFileCapped reads a whole file of at most limit bytes (what names the
// kind of file in the error): the size is checked first, and the read is
// bounded too for what has no size (a pipe, a device) or grows meanwhile.
func readFileCapped(path, what string, limit int64) ([]byte, error) {
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

// checkDestination refuses to write where the user may not mean to: over an
// existing file without force, over anything but a regular file, and
// through a symbolic link even with force (replacing its target, or the
// link, are both surprises on a path that may be shared).
func checkDestination(path string, force bool) error {
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case info.Mode()&fs.ModeSymlink != 0:
		return Usagef("%s is a symbolic link: scaletriage never writes through one, even with --force; remove it or choose another path", path)
	case !info.Mode().IsRegular():
		return Usagef("%s exists and is not a regular file", path)
	case !force:
		return Usagef("%s already exists: pass --force to replace it", path)
	}
	return nil
}

// writeFileAtomic writes a private file (mode 0600) in one step: into a
// temporary file beside path, synced, then renamed over it. A full disk or a
// crash leaves the previous file or none, never a truncated one, and the
// rename replaces a link that appeared meanwhile, never its target.
func writeFileAtomic(path string, force bool, write func(io.Writer) error) (err error) {
	if err := checkDestination(path, force); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// Exactly 0600 whatever the umask: a snapshot holds production label
	// values.
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

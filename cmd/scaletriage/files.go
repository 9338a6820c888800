package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

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
		return usagef("%s is a symbolic link: scaletriage never writes through one, even with --force; remove it or choose another path", path)
	case !info.Mode().IsRegular():
		return usagef("%s exists and is not a regular file", path)
	case !force:
		return usagef("%s already exists: pass --force to replace it", path)
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

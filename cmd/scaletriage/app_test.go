package main

import (
	"io"

	"github.com/scaletriage/scaletriage/internal/app"
)

// The names the tests of package main knew before the application layer
// moved to internal/app, kept so that they compile unchanged.

// readingsKey is the context key of the progress function a pass reports
// each reading to.
type readingsKey = app.ProgressKey

const maxSnapshotBytes = app.MaxSnapshotBytes

func readFileCapped(path, what string, limit int64) ([]byte, error) {
	return app.ReadFileCapped(path, what, limit)
}

// parseConfig checks a config file's bytes as loading it does.
func parseConfig(data []byte) (struct{}, error) { return struct{}{}, app.CheckConfig(data) }

func writeFileAtomic(path string, force bool, write func(io.Writer) error) error {
	return app.WriteFileAtomic(path, force, write)
}

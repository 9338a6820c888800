package report

import (
	"runtime"
	"runtime/debug"
)

// BuildInfo is what the binary knows about its own build.
type BuildInfo struct {
	Version   string // module version, "(devel)" for a local build
	Commit    string // VCS revision, with "+dirty" for uncommitted changes
	GoVersion string
}

// Build reads the module version, commit and Go version from the binary's
// build information, as `go version -m` shows them.
func Build() BuildInfo {
	b := BuildInfo{Version: "(devel)", GoVersion: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if v := info.Main.Version; v != "" {
		b.Version = v
	}
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && b.Commit != "" {
		b.Commit += "+dirty"
	}
	return b
}

// String is the one line `scaletriage --version` prints.
func (b BuildInfo) String() string {
	s := "scaletriage " + b.Version
	if b.Commit != "" {
		s += " (commit " + b.Commit + ")"
	}
	return s + " " + b.GoVersion
}

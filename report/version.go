package report

import (
	"runtime"
	"runtime/debug"
)

// version and commit are stamped by scripts/release.sh (-ldflags
// "-X github.com/scaletriage/scaletriage/report.version=..."): a release is
// built with -trimpath from a checkout, where the build information holds
// "(devel)" and, with -buildvcs=false, no commit. `go install` and
// `go build` leave them empty and the build information answers.
var version, commit string

// BuildInfo is what the binary knows about its own build.
type BuildInfo struct {
	Version   string // stamped or module version, "(devel)" for a local build
	Commit    string // VCS revision, with "+dirty" for uncommitted changes
	GoVersion string
}

// Build is the stamped version and commit, or else the module version and
// commit from the binary's build information, as `go version -m` shows them.
func Build() BuildInfo {
	info, _ := debug.ReadBuildInfo()
	return buildFrom(info, version, commit)
}

// buildFrom is Build for a given build information (nil when the binary
// has none) and stamp; a stamped value wins over the information's.
func buildFrom(info *debug.BuildInfo, stampedVersion, stampedCommit string) BuildInfo {
	b := BuildInfo{Version: "(devel)", GoVersion: runtime.Version()}
	if info != nil {
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
	}
	if stampedVersion != "" {
		b.Version = stampedVersion
	}
	if stampedCommit != "" {
		b.Commit = stampedCommit
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

package report

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildInfo(t *testing.T) {
	b := Build()
	if b.Version == "" || !strings.HasPrefix(b.GoVersion, "go") {
		t.Errorf("%+v", b)
	}
	if s := b.String(); !strings.HasPrefix(s, "scaletriage ") || !strings.Contains(s, b.GoVersion) {
		t.Errorf("%q", s)
	}
}

// The line --version prints for each way the binary is built.
func TestVersionLine(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	goVersion := runtime.Version()
	for _, c := range []struct {
		name                   string
		info                   *debug.BuildInfo
		stampedVersion, commit string
		want                   string
	}{
		{"release (scripts/release.sh)", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "v1.2.0", "4b58514",
			"scaletriage v1.2.0 (commit 4b58514) " + goVersion},
		{"release from a modified tree", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("4b58514", "true")}, "v1.2.0", "4b58514+dirty",
			"scaletriage v1.2.0 (commit 4b58514+dirty) " + goVersion},
		{"go install ...@v1.2.0 (no VCS information)", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "", "",
			"scaletriage v1.2.0 " + goVersion},
		{"go build in a clone", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.1-0.20261130093719-4b58514abcde+dirty"}, Settings: vcs("4b58514abcde", "true")}, "", "",
			"scaletriage v1.2.1-0.20261130093719-4b58514abcde+dirty (commit 4b58514abcde+dirty) " + goVersion},
		{"go build -buildvcs=false", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "", "",
			"scaletriage (devel) " + goVersion},
		{"no build information", nil, "", "", "scaletriage (devel) " + goVersion},
	} {
		if got := buildFrom(c.info, c.stampedVersion, c.commit).String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

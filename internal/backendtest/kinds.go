package backendtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Kind is one kind of Prometheus-compatible backend a suite runs against:
// the binaries it needs, where they come from, and how to load OpenMetrics
// files into a fresh one.
type Kind struct {
	Name string   // the subtest name
	Bins []string // binaries it needs
	// Install is the Debian package that brings Bins into PATH; Built
	// names the engines scripts/backends.sh builds from the Go module
	// proxy into its cache instead (Bins are looked up there).
	Install string
	Built   []string
	// Start loads every file into a fresh server and serves them until
	// the test ends; it returns the server's base URL once every sample
	// is searchable.
	Start func(tb TB, bins map[string]string, files []string) string
	// Names says whether a detected backend name (report.source.backend)
	// names this kind right.
	Names func(backend string) bool
}

// Kind names the scenario suite and other packages refer to.
const (
	KindPrometheus      = "prometheus"
	KindVictoriaMetrics = "victoriametrics"
)

func namedPrometheus(b string) bool { return strings.HasPrefix(b, "prometheus ") }

// VictoriaMetrics 1.79.5 answers buildinfo with `"data":{}`: the top-queries
// endpoint names it. What must not happen is naming it Prometheus.
func namedVictoriaMetrics(b string) bool { return strings.HasPrefix(b, "victoriametrics") }

// Kinds is the backend matrix (README "Backends"): Debian's Prometheus 2.42
// and VictoriaMetrics 1.79, and the engines users grow into, built from
// source: Prometheus 3, current VictoriaMetrics, and a Thanos querier
// deduplicating an HA pair of Prometheus 3 replicas. A new backend is one
// entry here (and, when built from source, one in scripts/backends.sh).
var Kinds = []Kind{
	{
		Name: KindPrometheus, Bins: []string{"prometheus", "promtool"}, Install: "prometheus",
		Start: ServeBackfilled, Names: namedPrometheus,
	},
	{
		Name: KindVictoriaMetrics, Bins: []string{"victoria-metrics"}, Install: "victoria-metrics",
		Start: ServeImported, Names: namedVictoriaMetrics,
	},
	{
		Name: "prometheus3", Bins: []string{"prometheus", "promtool"}, Built: []string{"prometheus3"},
		Start: ServeBackfilled, Names: namedPrometheus,
	},
	{
		Name: "victoriametrics-current", Bins: []string{"victoria-metrics"}, Built: []string{"victoriametrics"},
		Start: ServeImported, Names: namedVictoriaMetrics,
	},
	{
		Name: "thanos", Bins: []string{"prometheus", "promtool", "thanos"}, Built: []string{"prometheus3", "thanos"},
		Start: func(tb TB, bins map[string]string, files []string) string {
			return StartThanosPair(tb, bins, files, true).Querier
		},
		Names: func(b string) bool { return strings.HasPrefix(b, "thanos querier") },
	},
}

// KindNamed is the entry of Kinds with that name; it fails the test when
// there is none.
func KindNamed(tb TB, name string) Kind {
	tb.Helper()
	i := slices.IndexFunc(Kinds, func(k Kind) bool { return k.Name == name })
	if i < 0 {
		tb.Fatalf("no backend kind %q", name)
		return Kind{}
	}
	return Kinds[i]
}

// Locate finds the kind's binaries: in PATH for a Debian package, in
// scripts/backends.sh's cache for an engine built from source. A missing
// one skips with the command that brings it, except in CI, where a
// skipped backend would hide that it never ran.
func (k Kind) Locate(tb TB) map[string]string {
	tb.Helper()
	var dirs []string
	if len(k.Built) > 0 {
		root, err := Root()
		if err != nil {
			tb.Fatal(err)
		}
		for _, name := range k.Built {
			out, err := exec.Command(filepath.Join(root, "scripts", "backends.sh"), "path", name).Output()
			if err != nil {
				tb.Fatalf("scripts/backends.sh path %s: %v", name, err)
			}
			dirs = append(dirs, strings.TrimSpace(string(out)))
		}
	}
	bins := map[string]string{}
	var absent []string
	for _, bin := range k.Bins {
		var p string
		for _, d := range dirs {
			if _, err := os.Stat(filepath.Join(d, bin)); err == nil && p == "" {
				p = filepath.Join(d, bin)
			}
		}
		if len(dirs) == 0 {
			p, _ = exec.LookPath(bin)
		}
		if p == "" {
			absent = append(absent, bin)
		}
		bins[bin] = p
	}
	if len(absent) == 0 {
		return bins
	}
	how := "apt-get install -y --no-install-recommends " + k.Install
	if len(k.Built) > 0 {
		how = "scripts/backends.sh build " + strings.Join(k.Built, " ")
	}
	missing(tb, fmt.Sprintf("missing %s, which the real-backend scenarios on %s need (%s)", strings.Join(absent, " and "), k.Name, how))
	return nil
}

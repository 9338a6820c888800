#!/usr/bin/env bash
# Builds the newer query engines of the scenario matrix from the Go module
# proxy and caches each binary outside the checkout, keyed by version:
#
#   scripts/backends.sh build [prometheus3|thanos|victoriametrics ...]
#   scripts/backends.sh path NAME           # where NAME's binaries are (built or not)
#
# The cache is $SCALETRIAGE_BACKENDS (default ~/.cache/scaletriage/backends);
# each build lands in <name>-<version>/ and is made once: a later run finds it
# and returns at once. The scenario suite reads the same directory (it skips a
# missing engine with this command, unless CI=true).
set -euo pipefail
export PATH="$PATH:/usr/local/go/bin"

# name version — the versions the suite is tested with (README "Backends").
PROMETHEUS3_VERSION=v0.316.0 # = Prometheus 3.16.0
THANOS_VERSION=v0.41.0       # declares go 1.25; v0.42.x needs Go >= 1.26.10
VICTORIAMETRICS_VERSION=v1.151.0

cache=${SCALETRIAGE_BACKENDS:-${XDG_CACHE_HOME:-$HOME/.cache}/scaletriage/backends}
# -s: no symbol table or DWARF (a faster link of three large binaries, and a
# third of the disk; nothing here is debugged).
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-trimpath -ldflags=-s"

build_prometheus3() {
	local out
	out=$(path_of prometheus3)
	[ -x "$out/prometheus" ] && [ -x "$out/promtool" ] && return
	# The API is all the suite needs: no builtinassets tag, no web UI.
	local tmp
	tmp=$(mktemp -d "$cache/.prometheus.XXXXXX")
	GOBIN="$tmp" go install \
		"github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS3_VERSION" \
		"github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS3_VERSION"
	mv -T "$tmp" "$out"
}

build_thanos() {
	local out
	out=$(path_of thanos)
	[ -x "$out/thanos" ] && return
	# Thanos' go.mod has replace directives, which `go install pkg@version`
	# refuses: build inside a writable copy of the downloaded module. The
	# release tags matter: without slicelabels the sidecar panics in gRPC
	# marshalling ("makeslice: len out of range").
	local src tmp
	src=$(go mod download -json "github.com/thanos-io/thanos@$THANOS_VERSION" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	tmp=$(mktemp -d "$cache/.thanos.XXXXXX")
	cp -R "$src/." "$tmp/src"
	chmod -R u+w "$tmp/src"
	(cd "$tmp/src" && go build -mod=mod -tags netgo,slicelabels -o "$tmp/thanos" ./cmd/thanos)
	rm -rf "$tmp/src"
	mv -T "$tmp" "$out"
}

build_victoriametrics() {
	local out
	out=$(path_of victoriametrics)
	[ -x "$out/victoria-metrics" ] && return
	local tmp
	tmp=$(mktemp -d "$cache/.victoria-metrics.XXXXXX")
	GOBIN="$tmp" go install \
		"github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics@$VICTORIAMETRICS_VERSION"
	mv -T "$tmp" "$out"
}

path_of() {
	case "$1" in
	prometheus3) echo "$cache/prometheus-$PROMETHEUS3_VERSION" ;;
	thanos) echo "$cache/thanos-$THANOS_VERSION" ;;
	victoriametrics) echo "$cache/victoria-metrics-$VICTORIAMETRICS_VERSION" ;;
	*) echo "unknown backend $1" >&2 && return 2 ;;
	esac
}

case "${1:-}" in
path)
	path_of "${2:?usage: $0 path prometheus3|thanos|victoriametrics}"
	;;
versions)
	echo "prometheus3 $PROMETHEUS3_VERSION"
	echo "thanos $THANOS_VERSION"
	echo "victoriametrics $VICTORIAMETRICS_VERSION"
	;;
build)
	shift
	mkdir -p "$cache"
	names=("$@")
	((${#names[@]})) || names=(prometheus3 thanos victoriametrics)
	for name in "${names[@]}"; do
		start=$SECONDS
		"build_$name"
		echo "backend $name: ready in $((SECONDS - start)) s ($cache)"
	done
	;;
*)
	echo "usage: $0 build [prometheus3|thanos|victoriametrics ...] | path NAME | versions" >&2
	exit 2
	;;
esac

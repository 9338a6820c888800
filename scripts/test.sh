#!/usr/bin/env bash
# Runs every test. Installs what the real-server tests need first (Debian's
# prometheus with promtool, victoria-metrics, and the incident lab's stack)
# when run as root on Debian; elsewhere those tests skip with a message saying
# what to install, except under CI=true, where a missing server fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

# Everything the real-server tests need, installed in one apt-get run (one
# `apt-get update`): the scenario backends and the incident lab's stack.
wanted=(prometheus prometheus-alertmanager victoria-metrics $(lab/lab.sh packages))
missing=()
for pkg in "${wanted[@]}"; do
	if command -v dpkg >/dev/null; then
		dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
	elif ! command -v "$pkg" >/dev/null; then
		missing+=("$pkg")
	fi
done
if ((${#missing[@]})); then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "installing: ${missing[*]}"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	else
		echo "not installed: ${missing[*]} (sudo apt-get install -y ${missing[*]}); real-server tests will skip" >&2
	fi
fi

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi
# go.mod lists exactly what the code imports (no stray "// indirect"), in
# both modules: a missing `go mod tidy` fails here, not on a user's machine.
if ! go mod tidy -diff || ! (cd lab/app && go mod tidy -diff); then
	echo "go.mod/go.sum are not tidy: run go mod tidy (and in lab/app)" >&2
	exit 1
fi
go vet ./...

# staticcheck, at a pinned version (a new release brings new checks: a
# version bump is a change of its own), in both modules: a finding fails
# the run. Installed into $(go env GOPATH)/bin when missing or another
# version.
staticcheck_version=v0.8.2
export PATH="$PATH:$(go env GOPATH)/bin"
staticcheck="$(go env GOPATH)/bin/staticcheck"
if ! "$staticcheck" -version 2>/dev/null | grep -qF "(${staticcheck_version#v})"; then
	echo "installing staticcheck $staticcheck_version"
	go install "honnef.co/go/tools/cmd/staticcheck@$staticcheck_version"
fi
"$staticcheck" ./...
(cd lab/app && "$staticcheck" ./...)

# The release build (scripts/release.sh) for another OS and architecture
# (darwin/arm64: cgo-free, nothing Linux-only) and for this machine's
# (linux/amd64 on CI), whose binary, unpacked from its archive, must print
# the stamped version and commit. Cached after the first run.
release_start=$SECONDS
release_dir=$(mktemp -d)
host=$(go env GOOS)/$(go env GOARCH)
foreign=darwin/arm64
[ "$host" != "$foreign" ] || foreign=linux/amd64
TARGETS="$foreign $host" DIST="$release_dir" scripts/release.sh v0.0.0-ci >/dev/null
release=scaletriage_0.0.0-ci_${host/\//_}
tar -xzf "$release_dir/$release.tar.gz" -C "$release_dir"
printed=$("$release_dir/$release/scaletriage" --version)
if [[ $printed != "scaletriage v0.0.0-ci (commit $(git rev-parse HEAD)"* ]]; then
	echo "a release build prints \"$printed\", not its stamped version and commit" >&2
	exit 1
fi
rm -rf "$release_dir"
echo "release build: $foreign and $host, $printed, $((SECONDS - release_start)) s"

# The newer engines of the scenario matrix (Prometheus 3, Thanos, current
# VictoriaMetrics), built from the Go module proxy once and cached by
# version outside the checkout (scripts/backends.sh). Without them the
# matrix skips those backends with the command to build them, except under
# CI=true, where they must run.
if [ "${CI:-}" = true ] || [ "${SCALETRIAGE_BUILD_BACKENDS:-}" = 1 ]; then
	scripts/backends.sh build
fi

go test -race -count=1 -skip '^(TestScenarios|TestThanosHAPair)$' ./...

# The backend matrix on its own, verbose, so that the run says which
# backends ran (a skipped one says how to get it).
matrix_log=$(mktemp)
matrix_start=$SECONDS
status=0
go test -race -count=1 -v -run '^(TestScenarios|TestThanosHAPair)$' ./cmd/scaletriage >"$matrix_log" 2>&1 || status=$?
grep -E '^    --- (PASS|FAIL|SKIP): TestScenarios/[^/ ]+ |^--- (PASS|FAIL|SKIP): TestThanosHAPair ' "$matrix_log" |
	sed -E 's/^ *--- (PASS|FAIL|SKIP): (TestScenarios\/)?([^ ]+) \((.*)\)/backend matrix: \3 \1 (\4)/'
grep -E 'missing .* \(scripts/backends.sh build|apt-get install' "$matrix_log" | sed 's/^ */  /' | sort -u || true
echo "backend matrix: $((SECONDS - matrix_start)) s"
if [ "$status" != 0 ]; then
	grep -vE '^(=== (RUN|PAUSE|CONT|NAME)|    --- PASS|        --- PASS)' "$matrix_log" | tail -200
	exit "$status"
fi

# --- fuzzing: each target for a bounded time, after the unit tests --------------
# -fuzz takes one target per run. Every Fuzz* of the module must be listed
# here: the check below fails on one that is not. A failing input is
# written under the package's testdata/fuzz/ (commit it: it becomes a
# regression seed). docs/hardening.md says what each one proves.
fuzz_targets=(
	"FuzzSanitize ./triage"
	"FuzzParseSelector ./triage/prom"
	"FuzzParseRecording ./triage/prom"
	"FuzzParseConfig ./internal/app"
)
fuzztime=${FUZZTIME:-8s}
listed=$(grep -rhoE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . | sed 's/^func //' | sort)
wanted=$(printf '%s\n' "${fuzz_targets[@]}" | cut -d' ' -f1 | sort)
if [ "$listed" != "$wanted" ]; then
	echo "fuzz targets in the code ($(echo $listed)) differ from scripts/test.sh's list ($(echo $wanted))" >&2
	exit 1
fi
fuzz_start=$SECONDS
for target in "${fuzz_targets[@]}"; do
	read -r name pkg <<<"$target"
	go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"
done
echo "fuzzing: ${#fuzz_targets[@]} targets, $fuzztime each, $((SECONDS - fuzz_start)) s"
# --- fuzzing: end ----------------------------------------------------------------

# --- incident lab (lab/README.md): begin ---------------------------------------
# A step of its own, after the unit tests, so that the lab's incidents do not
# compete with `go test ./...` for the cores (CPU pressure is a finding).
# lab.sh installs its Debian packages when root on Debian; elsewhere the test
# skips, except under CI=true. The trap stops the lab even if the test binary
# is killed by -timeout before its own cleanup runs.
(cd lab/app && go vet ./...)
trap 'lab/lab.sh down >/dev/null 2>&1 || true' EXIT
SCALETRIAGE_LAB_E2E=1 go test -count=1 -timeout 12m -v -run '^TestLab$' ./lab/e2e
# --- incident lab: end ---------------------------------------------------------

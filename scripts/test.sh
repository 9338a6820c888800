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
wanted=(prometheus victoria-metrics $(lab/lab.sh packages))
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
go test -race -count=1 ./...

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

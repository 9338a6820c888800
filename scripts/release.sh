#!/usr/bin/env bash
# Builds the release of scaletriage VERSION into the checkout's dist/ (or $DIST):
#
#   scripts/release.sh v1.2.0
#   TARGETS="darwin/arm64 linux/amd64" DIST=/tmp/out scripts/release.sh v0.0.0-ci   # some targets only
#
# For each target (default: linux and darwin, amd64 and arm64) a static
# binary (CGO_ENABLED=0, -trimpath, no symbol table or DWARF) with the
# version and the commit stamped for `scaletriage --version`, packed with
# README.md (and LICENSE when there is one) as
# scaletriage_<version without v>_<os>_<arch>.tar.gz, then
# scaletriage_<version without v>_checksums.txt (SHA-256), as release tools
# name them. The archives are reproducible: from the same commit with the
# same Go, the same bytes (sorted entries, owner root, the commit's time as
# every mtime, gzip without a name or time; needs GNU tar).
#
# Plain bash and go rather than goreleaser: four `go build`s and a tar each
# are all a release is, and this runs wherever the tests do, with nothing
# more to install or pin.
set -euo pipefail
# $DIST is relative to where the script is run from, dist/ to the checkout.
dist=${DIST:+$(mkdir -p "$DIST" && cd "$DIST" && pwd)}
cd "$(dirname "$0")/.."
dist=${dist:-$PWD/dist}
export PATH="$PATH:/usr/local/go/bin"

usage() {
	echo "usage: scripts/release.sh VERSION (v1.2.0, v1.2.0-rc.1: a semantic version with its v)" >&2
	exit 2
}
(($# == 1)) || usage
version=$1
# Semantic versioning 2.0.0 with Go's leading v: it goes into file names
# and into -ldflags, so nothing but [0-9A-Za-z.+-] ever reaches them.
semver='^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
if ! [[ $version =~ $semver ]]; then
	echo "release.sh: $(printf '%q' "$version") is not a version" >&2
	usage
fi
targets=${TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64}

tar=$(command -v gtar || command -v tar || true)
if ! "$tar" --version 2>/dev/null | grep -q 'GNU tar'; then
	echo "release.sh: needs GNU tar for reproducible archives (macOS: brew install gnu-tar)" >&2
	exit 1
fi
if command -v sha256sum >/dev/null; then
	sha256=(sha256sum)
else
	sha256=(shasum -a 256)
fi

# The commit as Go's build information names it: the full revision, with
# +dirty when the tree holds changes git would show (untracked files
# included: go build compiles them too).
commit=$(git rev-parse HEAD)
if [ -n "$(git status --porcelain)" ]; then
	commit+=+dirty
	echo "release.sh: the tree has uncommitted changes: stamping commit $commit" >&2
fi
mtime=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
stamp="$(go list -m)/report"
# -buildvcs=false: the commit is stamped; the build information would
# otherwise differ between a clone and a git worktree of the same commit,
# and with it the bytes.
build_flags=(-trimpath -buildvcs=false -ldflags "-s -w -X $stamp.version=$version -X $stamp.commit=$commit")

mkdir -p "$dist"
stage=$(mktemp -d "$dist/.release.XXXXXX")
trap 'rm -rf "$stage"' EXIT
echo "scaletriage $version (commit $commit), $(go version | cut -d' ' -f3), to $dist/"
archives=()
for target in $targets; do
	os=${target%/*} arch=${target#*/}
	name=scaletriage_${version#v}_${os}_${arch}
	mkdir "$stage/$name"
	start=$SECONDS
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build "${build_flags[@]}" -o "$stage/$name/scaletriage" ./cmd/scaletriage
	cp README.md "$stage/$name/"
	if [ -f LICENSE ]; then
		cp LICENSE "$stage/$name/"
	fi
	# Written beside the archive and renamed: an interrupted run leaves the
	# previous archive or none, never half of one.
	"$tar" --sort=name --mtime="@$mtime" --owner=0 --group=0 --numeric-owner \
		--mode='u+rwX,go+rX,go-w' --format=gnu -C "$stage" -cf - "$name" | gzip -n -9 >"$stage/$name.tar.gz"
	mv "$stage/$name.tar.gz" "$dist/"
	archives+=("$name.tar.gz")
	echo "  $name.tar.gz  $(wc -c <"$dist/$name.tar.gz") bytes (binary $(wc -c <"$stage/$name/scaletriage")), built in $((SECONDS - start)) s"
done
checksums=scaletriage_${version#v}_checksums.txt
(cd "$dist" && "${sha256[@]}" "${archives[@]}") >"$stage/$checksums"
mv "$stage/$checksums" "$dist/"
echo "  $checksums"

#!/bin/sh
# Fetches the upstream sources of a Debian source package (apt-get source, which needs a deb-src
# entry in the apt sources; .ci/run adds one) and unpacks its orig tarball into DIR, without the
# Debian patches: the torture test debugs these programs as upstream ships them.
# Usage: real-source.sh PACKAGE DIR
# Exits 0 with a note on stderr when the source cannot be fetched, so the rest of the build goes
# on; the tests that need the program then say why they did not run.
set -eu
pkg=$1
dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! (cd "$work" && apt-get source -qq --download-only "$pkg" >/dev/null 2>&1); then
    echo "real-source.sh: cannot fetch the Debian source package $pkg (no deb-src entry in apt's sources?); programs built from it are skipped" >&2
    exit 0
fi
orig=$(ls "$work"/*.orig.tar.* | head -n 1)
rm -rf "$dir"
mkdir -p "$dir"
tar xf "$orig" -C "$dir" --strip-components=1

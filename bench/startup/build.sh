#!/bin/sh
# Builds the programs of bench/run --startup into OUT (default bench/target/startup), each only
# once: ninja 1.11 (C++, libstdc++) from Debian's ninja-build source package at -g -O0, and the
# Rust program words.rs with rustc -g. A program whose tools or sources are missing is skipped.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${1:-$ROOT/bench/target/startup}
mkdir -p "$OUT"
if [ ! -x "$OUT/ninja" ]; then
    [ -f "$OUT/ninja-src/src/ninja.cc" ] || "$ROOT/test-programs/real-source.sh" ninja-build "$OUT/ninja-src"
    if [ -f "$OUT/ninja-src/src/ninja.cc" ]; then
        mkdir -p "$OUT/ninja-obj"
        # the POSIX build's sources (configure.py's list without browse, which needs a generated header)
        (cd "$OUT/ninja-src/src" && for f in build build_log clean clparser debug_flags depfile_parser deps_log \
            disk_interface dyndep dyndep_parser edit_distance eval_env graph graphviz json lexer \
            line_printer manifest_parser metrics missing_deps parser state status string_piece_util \
            subprocess-posix util version ninja; do echo $f; done \
            | xargs -P 2 -I{} g++ -g -O0 -c {}.cc -o "$OUT/ninja-obj/{}.o")
        g++ -o "$OUT/ninja" "$OUT"/ninja-obj/*.o
    fi
fi
if [ ! -x "$OUT/words" ] && command -v rustc >/dev/null; then
    rustc -g -o "$OUT/words" "$HERE/words.rs"
fi

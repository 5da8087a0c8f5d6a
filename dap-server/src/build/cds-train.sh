#!/bin/sh
# Makes the server's application class-data-sharing archive (AppCDS, issue 19): one real batch
# session (quiesce run: launch, a function breakpoint and a line breakpoint, two stops, a
# backtrace, locals and expressions, exit) with -XX:ArchiveClassesAtExit, so the classes a session
# loads (LSP4J, Gson, JNA, ours) come mapped from the archive instead of being parsed and verified
# at each start. The program is C++ (cds_train.cpp: a std::vector, std::map and std::string among
# its locals, so the standard-library formatters are archived too: bench/run --values' Locals
# scope ~27-35 -> ~20-24 ms); cds_train.c, C only, where there is no C++ compiler.
# Usage: cds-train.sh JAVA JAR NATIVE_DIR ARCHIVE [TRAINING_PROGRAM]
# The archive is valid for this JAR at this path with this mtime and this JVM; the JVM ignores it
# otherwise (bin/quiesce and the extension pass -Xshare:auto). Never fails the build: without
# ptrace (some containers) there is no archive and the server starts without one.
set -u
java=$1 jar=$2 native=$3 archive=$4
here=$(cd "$(dirname "$0")" && pwd)
program=${5:-$(dirname "$archive")/cds-train}
if [ ! -x "$program" ] || [ "$here/cds_train.cpp" -nt "$program" ]; then
    if ! c++ -g -O0 -o "$program" "$here/cds_train.cpp" 2>/dev/null; then
        cc -g -O0 -o "$program" "$here/cds_train.c" || { echo "cds-train.sh: cannot build the training program; no CDS archive" >&2; exit 0; }
    fi
fi
stop=$(grep -n 'CDS STOP' "$here/cds_train.cpp" | cut -d: -f1)
rm -f "$archive"
# the C program has no line $stop in cds_train.cpp: that breakpoint stays unverified, the rest runs the same
"$java" -XX:ArchiveClassesAtExit="$archive" -Xlog:disable -Xlog:all=error:stderr \
    -Dquiesce.native.dir="$native" -jar "$jar" run "$program" --break sum --break "cds_train.cpp:$stop" \
    --print 'p[1].y' --print 'numbers[2]' --print 'squares[3]' --print 'text' >/dev/null 2>&1
if [ ! -s "$archive" ]; then
    echo "cds-train.sh: the training session made no archive; the server starts without one" >&2
    rm -f "$archive"
fi
exit 0

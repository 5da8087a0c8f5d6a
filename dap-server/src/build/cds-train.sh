#!/bin/sh
# Makes the server's application class-data-sharing archive (AppCDS, issue 19): one real batch
# session (quiesce run: launch, a function breakpoint, a stop, a backtrace, locals and an
# expression, exit) with -XX:ArchiveClassesAtExit, so the classes a session loads (LSP4J, Gson,
# JNA, ours) come mapped from the archive instead of being parsed and verified at each start.
# Usage: cds-train.sh JAVA JAR NATIVE_DIR ARCHIVE [TRAINING_PROGRAM]
# The archive is valid for this JAR at this path with this mtime and this JVM; the JVM ignores it
# otherwise (bin/quiesce and the extension pass -Xshare:auto). Never fails the build: without
# ptrace (some containers) there is no archive and the server starts without one.
set -u
java=$1 jar=$2 native=$3 archive=$4
here=$(cd "$(dirname "$0")" && pwd)
program=${5:-$(dirname "$archive")/cds-train}
if [ ! -x "$program" ]; then
    cc -g -O0 -o "$program" "$here/cds_train.c" || { echo "cds-train.sh: cannot build the training program; no CDS archive" >&2; exit 0; }
fi
rm -f "$archive"
"$java" -XX:ArchiveClassesAtExit="$archive" -Xlog:disable -Xlog:all=error:stderr \
    -Dquiesce.native.dir="$native" -jar "$jar" run "$program" --break sum --print 'p[1].y' >/dev/null 2>&1
if [ ! -s "$archive" ]; then
    echo "cds-train.sh: the training session made no archive; the server starts without one" >&2
    rm -f "$archive"
fi
exit 0

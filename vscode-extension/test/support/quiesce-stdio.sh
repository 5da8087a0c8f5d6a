#!/bin/sh
# DebugClient spawns "RUNTIME EXECUTABLE" with no further arguments, so the stdio tests run
# this script under sh: it becomes (exec) the server, so killing it kills the server.
exec "${JAVA:-java}" -Dquiesce.native.dir="$QUIESCE_NATIVE_DIR" -jar "$QUIESCE_JAR"

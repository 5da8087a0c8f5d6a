package dev.quiesce.dap;

import dev.quiesce.engine.StopMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code attach} request's arguments (PRODUCT.md, "Attach request"), checked. */
record AttachArguments(int processId, StopMode stopMode, List<String> notYetSupported) {

    static AttachArguments parse(Map<String, Object> raw) {
        if (raw == null || raw.get("processId") == null) {
            throw new IllegalArgumentException("attach argument \"processId\" is required: the id of the process to debug");
        }
        int pid = processId(raw.get("processId"));
        Object nonStop = raw.get("nonStop");
        if (nonStop != null && !(nonStop instanceof Boolean)) {
            throw new IllegalArgumentException("attach argument \"nonStop\" must be true or false");
        }
        List<String> notYet = new ArrayList<>();
        return new AttachArguments(pid, Boolean.FALSE.equals(nonStop) ? StopMode.ALL_STOP : StopMode.NON_STOP, notYet);
    }

    /** A number, or a numeric string (what ${command:pickProcess} gives). */
    private static int processId(Object value) {
        long pid;
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException("attach argument \"processId\" must be a whole number, not " + d);
            }
            pid = (long) d;
        } else if (value instanceof String s && s.strip().matches("\\d+")) {
            pid = Long.parseLong(s.strip());
        } else {
            throw new IllegalArgumentException("attach argument \"processId\" must be a process id (a number), not \"" + value + "\"");
        }
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("attach argument \"processId\" is out of range: " + pid);
        }
        return (int) pid;
    }
}

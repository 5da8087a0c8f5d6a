package dev.quiesce.symbols.solib;

import dev.quiesce.linux.ProcessMemory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the dynamic linker's {@code struct r_debug} and its {@code link_map} list (glibc's
 * {@code <link.h>}, x86-64 layout) out of the process's memory.
 */
final class LinkMap {
    /** r_debug.r_state: the list is being changed (ADD/DELETE) or is consistent again. */
    static final int RT_CONSISTENT = 0;
    static final int RT_ADD = 1;
    static final int RT_DELETE = 2;
    private static final int R_MAP = 8;
    private static final int R_STATE = 24;
    private static final int L_ADDR = 0;
    private static final int L_NAME = 8;
    private static final int L_NEXT = 24;
    private static final int MAX_ENTRIES = 100_000;

    /** One loaded object: its load bias and the name the linker gave it ("" for the program). */
    record Entry(long bias, String name) {
    }

    private LinkMap() {
    }

    static int state(ProcessMemory memory, long rDebug) {
        return (int) memory.readLong(rDebug + R_STATE);
    }

    static List<Entry> entries(ProcessMemory memory, long rDebug) {
        List<Entry> out = new ArrayList<>();
        long node = memory.readLong(rDebug + R_MAP);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        // MAX_ENTRIES bounds a list that memory corruption made endless; a node seen before ends a ring at once
        while (node != 0 && out.size() < MAX_ENTRIES && seen.add(node)) {
            long bias = memory.readLong(node + L_ADDR);
            long namePtr = memory.readLong(node + L_NAME);
            out.add(new Entry(bias, namePtr == 0 ? "" : readString(memory, namePtr)));
            node = memory.readLong(node + L_NEXT);
        }
        return out;
    }

    private static String readString(ProcessMemory memory, long address) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[256];
        for (int n = 0; n < 16; n++) {
            int got = memory.read(address + (long) n * chunk.length, chunk);
            for (int i = 0; i < got; i++) {
                if (chunk[i] == 0) {
                    bytes.write(chunk, 0, i);
                    return bytes.toString(StandardCharsets.UTF_8);
                }
            }
            bytes.write(chunk, 0, got);
            if (got < chunk.length) {
                break;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

package dev.quiesce.dap;

import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.values.Memory;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The debuggee's memory as one {@code variables} request's work reads it: in 4 KiB blocks, each
 * read once (one pread) and kept until the work ends. A page of 1000 map entries walks its
 * tree's nodes link by link (five small reads a node); malloc put those nodes next to each other,
 * so the page costs a dozen transfers instead of five thousand.
 *
 * <p>Only for work that runs none of the program's code (a {@code variables} page): a call into
 * the program, or another thread in non-stop mode, may change what a block holds, and a request
 * sees memory as it was when its work first touched each block, as gdb's dcache does between
 * resumptions. A write through the request clears it. Thread: the one the work runs on
 * ({@link #during}); the cache is that thread's until the work returns.
 */
final class RequestReads {
    private static final ThreadLocal<RequestReads> CURRENT = new ThreadLocal<>();
    static final int BLOCK = 4096;
    /** Blocks kept at most (16 MiB); past that the cache starts over. */
    private static final int MAX_BLOCKS = 4096;

    private final Map<Long, byte[]> blocks = new HashMap<>();
    private ProcessMemory owner;

    private RequestReads() {}

    /** Runs {@code work} with its reads cached on this thread. */
    static <T> T during(Supplier<T> work) {
        RequestReads outer = CURRENT.get();
        if (outer != null) {
            return work.get();
        }
        CURRENT.set(new RequestReads());
        try {
            return work.get();
        } finally {
            CURRENT.remove();
        }
    }

    /** The cache of the work running on this thread, or null outside {@link #during}. */
    static RequestReads current() {
        return CURRENT.get();
    }

    /**
     * Exactly {@code length} bytes at {@code address} from the blocks that hold them, or
     * {@link Memory#cannotAccess} naming the first byte that is not readable (as {@link Memory#of}).
     * Reads longer than two blocks, or that wrap around the address space, go straight to the process.
     */
    byte[] read(ProcessMemory memory, long address, int length) {
        long end = address + length;
        if (length > 2 * BLOCK || length < 0 || Long.compareUnsigned(end, address) < 0 || owner != null && owner != memory) {
            return Memory.of(memory).read(address, length);
        }
        owner = memory;
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long at = address + done;
            long start = at & -BLOCK;
            byte[] block = block(memory, start);
            int from = (int) (at - start);
            int n = Math.min(length - done, BLOCK - from);
            if (block.length < from + n) {
                throw Memory.cannotAccess(start + Math.max(block.length, from));
            }
            System.arraycopy(block, from, out, done, n);
            done += n;
        }
        return out;
    }

    private byte[] block(ProcessMemory memory, long start) {
        byte[] b = blocks.get(start);
        if (b == null) {
            if (blocks.size() >= MAX_BLOCKS) {
                blocks.clear();
            }
            try {
                b = memory.read(start, BLOCK); // the readable prefix: empty for an unmapped page
            } catch (RuntimeException e) {
                b = new byte[0]; // as Memory.of: unreadable
            }
            blocks.put(start, b);
        }
        return b;
    }

    /** The request wrote to the program: what was read before may be stale. */
    void clear() {
        blocks.clear();
    }
}

package dev.quiesce.dap;

import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.values.Memory;

/**
 * The debuggee's memory as value requests read it: every read and write first checks the deadline
 * of the request whose work runs on this thread ({@link RequestDeadline#checkCurrent}), so a loop
 * over the target's memory ends, with {@link RequestDeadline.Abandoned}, once its request has
 * timed out or been cancelled. Work that runs under {@link RequestReads#during} reads through
 * that request's block cache. Outside a request's work (a breakpoint condition on the tracer
 * thread, say) it is plain {@link Memory#of}.
 */
final class DeadlineMemory implements Memory {
    private final ProcessMemory process;
    private final Memory memory;

    private DeadlineMemory(ProcessMemory process) {
        this.process = process;
        this.memory = Memory.of(process);
    }

    static Memory of(ProcessMemory m) {
        return new DeadlineMemory(m);
    }

    @Override
    public byte[] read(long address, int length) {
        RequestDeadline.checkCurrent();
        RequestReads cache = RequestReads.current();
        return cache == null ? memory.read(address, length) : cache.read(process, address, length);
    }

    @Override
    public void write(long address, byte[] data) {
        RequestDeadline.checkCurrent();
        RequestReads cache = RequestReads.current();
        if (cache != null) {
            cache.clear();
        }
        memory.write(address, data);
    }
}

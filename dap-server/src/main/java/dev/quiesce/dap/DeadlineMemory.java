package dev.quiesce.dap;

import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.values.Memory;

/**
 * The debuggee's memory as value requests read it: every read and write first checks the deadline
 * of the request whose work runs on this thread ({@link RequestDeadline#checkCurrent}), so a loop
 * over the target's memory ends, with {@link RequestDeadline.Abandoned}, once its request has
 * timed out or been cancelled. Outside a request's work (a breakpoint condition on the tracer
 * thread, say) it is plain {@link Memory#of}.
 */
final class DeadlineMemory implements Memory {
    private final Memory memory;

    private DeadlineMemory(Memory memory) {
        this.memory = memory;
    }

    static Memory of(ProcessMemory m) {
        return new DeadlineMemory(Memory.of(m));
    }

    @Override
    public byte[] read(long address, int length) {
        RequestDeadline.checkCurrent();
        return memory.read(address, length);
    }

    @Override
    public void write(long address, byte[] data) {
        RequestDeadline.checkCurrent();
        memory.write(address, data);
    }
}

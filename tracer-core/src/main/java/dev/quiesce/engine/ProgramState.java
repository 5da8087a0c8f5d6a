package dev.quiesce.engine;

import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.linux.Registers;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What reading a program's state needs, whether it runs (a {@link TracedProcess}) or is a core
 * file ({@code dev.quiesce.core.CoreTarget}, read-only): stacks, values, memory and disassembly
 * are written against this.
 */
public interface ProgramState {
    int pid();

    /** Its memory; a core's refuses writes. */
    ProcessMemory memory();

    CompletableFuture<List<ThreadInfo>> threads();

    CompletableFuture<Boolean> isStopped(int tid);

    CompletableFuture<Registers> registers(int tid);

    /** The readable prefix of {@code length} bytes at {@code address}, as the program has them (no int3 of ours). */
    CompletableFuture<byte[]> readMemory(long address, int length);

    /** The same, at once, from any thread. */
    byte[] readMemoryNow(long address, int length);
}

package dev.quiesce.core;

import dev.quiesce.engine.ProgramState;
import dev.quiesce.engine.ThreadInfo;
import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.linux.Registers;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A core file as a program whose every thread is stopped for good: the read-only target the
 * stack, value and memory code reads through ({@link ProgramState}). Threads are named after
 * the process's command (a core keeps no thread names). Thread-safe.
 */
public final class CoreTarget implements ProgramState {
    private final CoreFile core;

    public CoreTarget(CoreFile core) {
        this.core = core;
    }

    public CoreFile core() {
        return core;
    }

    @Override
    public int pid() {
        return core.pid();
    }

    @Override
    public ProcessMemory memory() {
        return core.memory();
    }

    @Override
    public CompletableFuture<List<ThreadInfo>> threads() {
        String name = core.command().isEmpty() ? "thread" : core.command();
        return CompletableFuture.completedFuture(core.threads().stream().map(t -> new ThreadInfo(t.tid(), name, true)).toList());
    }

    @Override
    public CompletableFuture<Boolean> isStopped(int tid) {
        return thread(tid).thenApply(t -> true);
    }

    @Override
    public CompletableFuture<Registers> registers(int tid) {
        return thread(tid).thenApply(CoreThread::registers);
    }

    private CompletableFuture<CoreThread> thread(int tid) {
        for (CoreThread t : core.threads()) {
            if (t.tid() == tid) {
                return CompletableFuture.completedFuture(t);
            }
        }
        return CompletableFuture.failedFuture(new IllegalArgumentException("no thread " + tid + " in the core file"));
    }

    @Override
    public CompletableFuture<byte[]> readMemory(long address, int length) {
        return CompletableFuture.completedFuture(readMemoryNow(address, length));
    }

    @Override
    public byte[] readMemoryNow(long address, int length) {
        return core.memory().read(address, length);
    }
}

package dev.quiesce.engine;

import dev.quiesce.linux.SigInfo;
import java.util.List;
import java.util.Optional;

/**
 * A stop reported to the client.
 *
 * @param tid               the thread that stopped
 * @param reason            why
 * @param allThreadsStopped true when the whole process was quiesced (all-stop mode)
 * @param signal            for {@link StopReason#SIGNAL}: the signal and what siginfo says of it
 * @param detail            what the layer that reported the stop says of it (a C++ exception's type, a panic's message...)
 * @param breakpointIds     for the breakpoint reasons: the ids of the breakpoints that stopped it
 * @param syscall           for {@link StopReason#SYSCALL}: the syscall's entry or exit (the layer above words it)
 */
public record ThreadStop(int tid, StopReason reason, boolean allThreadsStopped, Optional<SigInfo> signal,
        Optional<String> detail, List<Integer> breakpointIds, Optional<ThreadEvent.Syscall> syscall) {

    public ThreadStop(int tid, StopReason reason, boolean allThreadsStopped, Optional<SigInfo> signal,
            Optional<String> detail, List<Integer> breakpointIds) {
        this(tid, reason, allThreadsStopped, signal, detail, breakpointIds, Optional.empty());
    }

    public ThreadStop(int tid, StopReason reason, boolean allThreadsStopped) {
        this(tid, reason, allThreadsStopped, Optional.empty(), Optional.empty(), List.of());
    }

    public ThreadStop(int tid, StopReason reason, boolean allThreadsStopped, Optional<SigInfo> signal) {
        this(tid, reason, allThreadsStopped, signal, Optional.empty(), List.of());
    }

    public ThreadStop(int tid, StopReason reason, boolean allThreadsStopped, Optional<SigInfo> signal, Optional<String> detail) {
        this(tid, reason, allThreadsStopped, signal, detail, List.of());
    }

    /** A stop an engine of a higher layer decides on (breakpoints, steps). */
    public static ThreadStop of(int tid, StopReason reason, List<Integer> breakpointIds) {
        return new ThreadStop(tid, reason, false, Optional.empty(), Optional.empty(), List.copyOf(breakpointIds));
    }

    /** A stop at a syscall's entry or exit (stepSyscall, a catchpoint). */
    static ThreadStop syscall(ThreadEvent.Syscall syscall) {
        return new ThreadStop(syscall.tid(), StopReason.SYSCALL, false, Optional.empty(), Optional.empty(), List.of(),
                Optional.of(syscall));
    }

    ThreadStop withAllThreadsStopped(int onTid) {
        return new ThreadStop(onTid, reason, true, signal, detail, breakpointIds, syscall);
    }
}

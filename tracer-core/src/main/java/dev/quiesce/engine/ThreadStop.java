package dev.quiesce.engine;

import dev.quiesce.linux.SigInfo;
import java.util.Optional;

/**
 * A stop reported to the client.
 *
 * @param tid               the thread that stopped
 * @param reason            why
 * @param allThreadsStopped true when the whole process was quiesced (all-stop mode)
 * @param signal            for {@link StopReason#SIGNAL}: the signal and what siginfo says of it
 * @param detail            for {@link StopReason#SYSCALL}: "syscall entry: write(1, "hi\n", 3)"
 */
public record ThreadStop(int tid, StopReason reason, boolean allThreadsStopped, Optional<SigInfo> signal,
        Optional<String> detail) {

    public ThreadStop(int tid, StopReason reason, boolean allThreadsStopped) {
        this(tid, reason, allThreadsStopped, Optional.empty(), Optional.empty());
    }

    public ThreadStop(int tid, StopReason reason, boolean allThreadsStopped, Optional<SigInfo> signal) {
        this(tid, reason, allThreadsStopped, signal, Optional.empty());
    }

    ThreadStop withAllThreadsStopped(int onTid) {
        return new ThreadStop(onTid, reason, true, signal, detail);
    }
}

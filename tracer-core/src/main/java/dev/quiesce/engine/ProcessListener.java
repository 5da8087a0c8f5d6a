package dev.quiesce.engine;

/**
 * What a traced process reports. Called on the tracer thread: implementations must return
 * quickly and must not wait for any future of the tracer (hand the work to another thread).
 */
public interface ProcessListener {
    default void threadStarted(TracedProcess process, int tid) {
    }

    default void threadExited(TracedProcess process, int tid) {
    }

    default void threadStopped(TracedProcess process, ThreadStop stop) {
    }

    default void processExited(TracedProcess process, ExitStatus status) {
    }

    /**
     * A thread the client saw stopped runs again without the client having asked with a
     * continue (terminate, detach, a syscall step): the client must learn it is running.
     */
    default void threadContinued(TracedProcess process, int tid) {
    }

    /**
     * A thread the client saw stopped is let run again, for whatever reason (a continue, a step,
     * terminate...): what the client was shown of its stop is out of date. Tracer thread.
     */
    default void threadResumed(TracedProcess process, int tid) {
    }

    /**
     * A fork child of a process that follows forks ({@link TracedProcess#followForks}) is held,
     * stopped, for a session to take ({@link Tracer#adoptForkChild}) or to let go
     * ({@link Tracer#releaseForkChild}); {@code vfork}: it shares its parent's memory until it execs.
     */
    default void forkChildHeld(TracedProcess parent, int childPid, boolean vfork) {
    }

    /** A signal reached a thread without stopping it, and its policy says print. */
    default void signalPrinted(TracedProcess process, int tid, dev.quiesce.linux.SigInfo info, boolean passed) {
    }
}

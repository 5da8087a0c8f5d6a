package dev.quiesce.engine;

/**
 * Everything the tracer knows about one kernel thread, one field per fact (in the manner of
 * gdbserver's lwp_info). The kernel's view ({@link #kernel}) and the client's view
 * ({@link #reported}) are kept apart: a thread may be stopped in the kernel while the client
 * still sees it running (held during a stop-all, or its new-thread stop not yet handled).
 * Touched only on the tracer thread.
 */
final class TracedThread {
    final int tid;
    final TracedProcess process;

    /** What the kernel says. */
    KernelState kernel = KernelState.RUNNING;
    /** PTRACE_INTERRUPT was sent and its stop has not been seen yet. */
    boolean stopRequested;
    /** The client was told this thread stopped and has not resumed it. */
    boolean reported;
    /** The first stop of a new thread (PTRACE_EVENT_STOP after clone) has been seen. */
    boolean initialStopSeen;
    /** A signal to deliver on the next restart (0: none). */
    int pendingSignal;

    TracedThread(int tid, TracedProcess process) {
        this.tid = tid;
        this.process = process;
    }

    boolean running() {
        return kernel == KernelState.RUNNING;
    }

    boolean stopped() {
        return kernel == KernelState.STOPPED;
    }

    @Override
    public String toString() {
        return "thread " + tid + " [" + kernel + (stopRequested ? ", stop requested" : "")
                + (reported ? ", reported" : "") + "]";
    }
}

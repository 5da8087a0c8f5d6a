package dev.quiesce.engine;

/**
 * A consumer of thread events (a utrace engine): a DAP session's client view, a step plan, the
 * syscall catcher. It attaches to a process with an event mask ({@link TracedProcess#attach})
 * and answers each event it asked for with a {@link ResumeAction}.
 *
 * <p>Called on the tracer thread: return quickly, and never wait there for a future of the
 * tracer (the handle's methods queue their work behind the current event).
 */
@FunctionalInterface
public interface Engine {
    ResumeAction report(ThreadEvent event);

    /**
     * This engine's decision on a signal it heard ({@link ThreadEvent.SignalReceived}): whether
     * the program gets it when the thread restarts. Asked at that restart (a decision may change
     * while the thread is held); the signal is delivered unless an engine that heard it says no.
     */
    default boolean delivers(int tid, int signal) {
        return true;
    }
}

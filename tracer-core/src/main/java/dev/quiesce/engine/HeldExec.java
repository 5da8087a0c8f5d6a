package dev.quiesce.engine;

/**
 * A process we did not spawn, waiting before it execs the program until it is seized: a
 * launcher in the client's terminal ({@link TerminalHandshake}), or a process caught in its
 * execve by attach's waitFor ({@link ExecCatcher}). {@link Launch} seizes it, then releases it.
 */
interface HeldExec extends AutoCloseable {
    /** Lets the exec go on (once seized). */
    void release();

    /** Why it exited before its exec completed, or "". */
    String error();

    /** True for a process caught running (detached, not killed, when the session ends); false for our launcher. */
    boolean attached();

    @Override
    void close();
}

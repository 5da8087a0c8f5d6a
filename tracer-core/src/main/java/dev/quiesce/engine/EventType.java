package dev.quiesce.engine;

/** The kinds of event an engine can ask for (its event mask). */
public enum EventType {
    /** A new thread's first stop: it has run nothing yet. */
    THREAD_START,
    /** The thread created another (the parent's report). */
    CLONE,
    EXEC,
    /** The thread is gone (reaped); no resume action applies. */
    EXIT,
    /** A signal is about to be delivered to the thread. */
    SIGNAL,
    SYSCALL,
    /** A syscall the launch's seccomp filter traps (catchpoints), at its entry; no PTRACE_SYSCALL needed. */
    SECCOMP,
    /** The thread hit one of this engine's breakpoints. */
    BREAKPOINT,
    /** A hardware watchpoint fired (the access is done; the pc is past the instruction). */
    WATCHPOINT,
    /** An access to memory this engine traps by page protection ({@link TracedProcess#trapPageAccesses}). */
    PAGE_ACCESS,
    /** A step this engine asked for finished. */
    STEP,
    /** A stop this engine asked for ({@link EngineHandle#stop}) happened. */
    QUIESCE
}

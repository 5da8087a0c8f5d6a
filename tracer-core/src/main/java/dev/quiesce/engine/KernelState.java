package dev.quiesce.engine;

/** A thread as the kernel sees it, which may differ from what the client has been told. */
enum KernelState {
    /** Runs (or sleeps in a syscall) under ptrace; a stop will be reported by waitpid. */
    RUNNING,
    /** In a ptrace-stop: the tracer owns it until it is restarted. */
    STOPPED,
    /** Past its PTRACE_EVENT_EXIT stop: it will not stop again, only its exit status is to come
     * (a leader that called pthread_exit stays so, as a zombie, until the last thread ends). */
    EXITING,
    /** Its exit has been reaped. */
    EXITED
}

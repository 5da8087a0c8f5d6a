package dev.quiesce.engine;

/** Why a thread was reported stopped. */
public enum StopReason {
    /** A pause request (PTRACE_INTERRUPT): no signal the program could see. */
    PAUSE
}

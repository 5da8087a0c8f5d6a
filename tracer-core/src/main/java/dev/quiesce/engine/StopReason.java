package dev.quiesce.engine;

/** Why a thread was reported stopped. */
public enum StopReason {
    /** stopOnEntry: at main (or the ELF entry point without debug information), or held before the first instruction. */
    ENTRY,
    /** A pause request (PTRACE_INTERRUPT): no signal the program could see. */
    PAUSE,
    /** A signal whose policy says stop; {@link ThreadStop#signal()} tells which. */
    SIGNAL,
    /** A syscall entry or exit (stepSyscall, a catchpoint); {@link ThreadStop#syscall()} says which. */
    SYSCALL,
    /**
     * A user breakpoint (line, function or instruction: the layer that set it knows which);
     * {@link ThreadStop#breakpointIds()} says which.
     */
    BREAKPOINT,
    /** A step (next, step in, step out, an instruction step) finished. */
    STEP,
    /** A C++ exception being thrown (the cpp_throw filter); {@link ThreadStop#detail()} names its type when known. */
    CXX_THROW,
    /** A C++ exception entering its handler (the cpp_catch filter); {@link ThreadStop#detail()} names its type when known. */
    CXX_CATCH,
    /** A Rust panic (the rust_panic filter): std's rust_panic entered; {@link ThreadStop#detail()} is the message when it could be read. */
    RUST_PANIC,
    /** A data breakpoint (watchpoint): {@link ThreadStop#detail()} gives the old and new values. */
    DATA_BREAKPOINT,
    /** A watchpoint on a local ended with its frame ("watchpoint went out of scope"). */
    WATCHPOINT_SCOPE,
    /** The client moved the thread's pc (goto). */
    GOTO
}

package dev.quiesce.symbols.unwind;

/** How a frame's registers were obtained. */
public enum UnwindMethod {
    /** Frame 0: the thread's own registers. */
    CONTEXT,
    /** From the callee's call frame information. */
    CFI,
    /** From the callee's saved rbp chain, for code without CFI. */
    FRAME_POINTER,
    /** From the ucontext the kernel saved on a signal frame, found by the trampoline's bytes. */
    SIGNAL_CONTEXT
}

package dev.quiesce.engine;

/** How one thread's stop affects the others. */
public enum StopMode {
    /** A stop stops only the thread it happens in; the others keep running. */
    NON_STOP,
    /** Any stop quiesces the whole process before it is reported. */
    ALL_STOP
}

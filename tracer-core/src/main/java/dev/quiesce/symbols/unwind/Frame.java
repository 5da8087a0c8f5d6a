package dev.quiesce.symbols.unwind;

/**
 * One frame of a backtrace. {@code cfa} is the frame's canonical frame address, its stable
 * identity while it lives (0 when it could not be computed); {@code registers} are those recovered
 * for it; {@code method} says how they were; {@code signalTrampoline} marks a signal frame (the
 * frame above it resumes at exactly its pc, it did not call).
 */
public record Frame(int index, long pc, long cfa, RegisterSet registers, UnwindMethod method, boolean signalTrampoline) {

    /** The pc to look up symbols and line numbers by: inside the call instruction for callers. */
    public long lookupPc(boolean calleeWasSignalFrame) {
        return index == 0 || calleeWasSignalFrame ? pc : pc - 1;
    }

    @Override
    public String toString() {
        return "#" + index + " pc=0x" + Long.toHexString(pc) + " cfa=0x" + Long.toHexString(cfa) + " " + method
                + (signalTrampoline ? " <signal trampoline>" : "");
    }
}

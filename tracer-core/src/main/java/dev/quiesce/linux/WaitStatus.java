package dev.quiesce.linux;

/**
 * A decoded wait status, as waitpid(2) returned it for one thread.
 * For a ptrace stop, {@code stopSignal} is WSTOPSIG and {@code event} is status >> 16
 * (PTRACE_EVENT_*, 0 for a signal-delivery-stop).
 */
public record WaitStatus(int tid, int raw) {

    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    public int exitCode() {
        return (raw >> 8) & 0xff;
    }

    public boolean signaled() {
        int low = raw & 0x7f;
        return low != 0 && low != 0x7f;
    }

    public int termSignal() {
        return raw & 0x7f;
    }

    public boolean stopped() {
        return (raw & 0xff) == 0x7f;
    }

    public int stopSignal() {
        return (raw >> 8) & 0xff;
    }

    public int event() {
        return (raw >> 16) & 0xff;
    }

    /** A syscall-stop under PTRACE_O_TRACESYSGOOD reports SIGTRAP | 0x80. */
    public boolean syscallStop() {
        return stopped() && stopSignal() == (Signal.SIGTRAP.number() | 0x80);
    }

    @Override
    public String toString() {
        if (exited()) {
            return tid + ": exited " + exitCode();
        }
        if (stopped()) {
            return tid + ": stopped " + Signal.nameOf(stopSignal() & 0x7f) + (event() != 0 ? " event " + event() : "");
        }
        return tid + ": killed by " + Signal.nameOf(termSignal());
    }
}

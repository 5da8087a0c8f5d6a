package dev.quiesce.engine;

import dev.quiesce.linux.Signal;

/**
 * How a process ended: an exit code, or the signal that killed it.
 *
 * @param code   the exit code, meaningful when {@code signal == 0}
 * @param signal the terminating signal, or 0
 */
public record ExitStatus(int code, int signal) {

    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0);
    }

    public static ExitStatus killed(int signal) {
        return new ExitStatus(0, signal);
    }

    public boolean killedBySignal() {
        return signal != 0;
    }

    /** The code a shell would show: the exit code, or 128 + the signal number. */
    public int shellCode() {
        return killedBySignal() ? 128 + signal : code;
    }

    public String describe() {
        if (killedBySignal()) {
            String description = Signal.of(signal).map(Signal::description).orElse("real-time signal");
            return "terminated by signal " + Signal.nameOf(signal) + " (" + description + ")";
        }
        return "exited with code " + code;
    }
}

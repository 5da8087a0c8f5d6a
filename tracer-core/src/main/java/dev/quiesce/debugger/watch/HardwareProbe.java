package dev.quiesce.debugger.watch;

/**
 * Whether the debug registers fire on this machine (ARCHITECTURE.md fact 8: one VM of this kind
 * accepted them and never fired). {@code -Dquiesce.watch.hardware=false} says they do not.
 * Not yet probed with a child process: assumed to fire unless told otherwise.
 */
final class HardwareProbe {
    private HardwareProbe() {
    }

    static boolean fires() {
        return !"false".equals(System.getProperty("quiesce.watch.hardware"));
    }
}

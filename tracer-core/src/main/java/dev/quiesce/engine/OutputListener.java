package dev.quiesce.engine;

/** Receives the debuggee's output as it arrives. Called on that stream's pump thread. */
@FunctionalInterface
public interface OutputListener {
    enum Stream { STDOUT, STDERR }

    void output(Stream stream, String text);
}

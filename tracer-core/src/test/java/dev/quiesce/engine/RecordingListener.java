package dev.quiesce.engine;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Collects engine events in order so tests can wait for them (with timeouts, never sleeps). */
final class RecordingListener implements ProcessListener, OutputListener {
    sealed interface Event permits Started, Exited, Stopped, ProcessEnded, Output {
    }

    record Started(int tid) implements Event {
    }

    record Exited(int tid) implements Event {
    }

    record Stopped(ThreadStop stop) implements Event {
    }

    record ProcessEnded(ExitStatus status) implements Event {
    }

    record Output(Stream stream, String text) implements Event {
    }

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    @Override
    public void threadStarted(TracedProcess process, int tid) {
        events.add(new Started(tid));
    }

    @Override
    public void threadExited(TracedProcess process, int tid) {
        events.add(new Exited(tid));
    }

    @Override
    public void threadStopped(TracedProcess process, ThreadStop stop) {
        events.add(new Stopped(stop));
    }

    @Override
    public void processExited(TracedProcess process, ExitStatus status) {
        events.add(new ProcessEnded(status));
    }

    @Override
    public void output(Stream stream, String text) {
        events.add(new Output(stream, text));
    }

    /** Waits for the first event of the type that matches, skipping others. */
    <T extends Event> T await(Class<T> type, Predicate<T> matches) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = events.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("timed out waiting for " + type.getSimpleName());
            }
            if (type.isInstance(e) && matches.test(type.cast(e))) {
                return type.cast(e);
            }
        }
    }

    <T extends Event> T await(Class<T> type) throws InterruptedException {
        return await(type, e -> true);
    }
}

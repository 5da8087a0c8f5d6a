package dev.quiesce.engine;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Collects engine events in order so tests can wait for them (with timeouts, never sleeps). */
public final class RecordingListener implements ProcessListener, OutputListener {
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
    final java.util.List<Event> all = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void threadStarted(TracedProcess process, int tid) {
        { Event e = new Started(tid); all.add(e); events.add(e); }
    }

    @Override
    public void threadExited(TracedProcess process, int tid) {
        { Event e = new Exited(tid); all.add(e); events.add(e); }
    }

    @Override
    public void threadStopped(TracedProcess process, ThreadStop stop) {
        { Event e = new Stopped(stop); all.add(e); events.add(e); }
    }

    @Override
    public void processExited(TracedProcess process, ExitStatus status) {
        { Event e = new ProcessEnded(status); all.add(e); events.add(e); }
    }

    @Override
    public void output(Stream stream, String text) {
        { Event e = new Output(stream, text); all.add(e); events.add(e); }
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

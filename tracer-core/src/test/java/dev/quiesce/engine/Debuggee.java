package dev.quiesce.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A test program launched under the engine, held at exec until {@link #start()}. */
public final class Debuggee {
    public static final long TIMEOUT = 60;

    public final Path binary;
    public final RecordingListener events;
    public final TracedProcess process;

    private Debuggee(Path binary, RecordingListener events, TracedProcess process) {
        this.binary = binary;
        this.events = events;
        this.process = process;
    }

    public static Debuggee launch(String program, StopMode mode, String... args) throws Exception {
        Path p = TestPrograms.path(program);
        RecordingListener events = new RecordingListener();
        LaunchSpec spec = new LaunchSpec(p, List.of(args), p.getParent(), System.getenv(), true, mode);
        TracedProcess process = Tracer.shared().launch(spec, events, events).get(TIMEOUT, TimeUnit.SECONDS);
        return new Debuggee(p, events, process);
    }

    public long symbol(String name) {
        return Nm.address(binary, name);
    }

    public EngineHandle attach(Engine engine, Set<EventType> events) throws Exception {
        return process.attach(engine, events, 0).get(TIMEOUT, TimeUnit.SECONDS);
    }

    /** An engine that counts breakpoint hits into {@code hits} and lets every thread go on. */
    EngineHandle countingBreakpoints(java.util.concurrent.atomic.AtomicInteger hits) throws Exception {
        return attach(event -> {
            hits.incrementAndGet();
            return ResumeAction.RESUME;
        }, java.util.EnumSet.of(EventType.BREAKPOINT));
    }

    public void start() throws Exception {
        process.start().get(TIMEOUT, TimeUnit.SECONDS);
    }

    public ExitStatus awaitExit() throws Exception {
        return process.exited().get(TIMEOUT, TimeUnit.SECONDS);
    }

    /** counters[index] of the program (an unsigned long array), read while it runs. */
    long counter(int index) {
        return process.memory().readLong(symbol("counters") + 8L * index);
    }
}

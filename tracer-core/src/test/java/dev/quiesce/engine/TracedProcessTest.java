package dev.quiesce.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.linux.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracedProcessTest {
    private static final long TIMEOUT = 20;

    private static LaunchSpec spec(String program, StopMode mode, String... args) {
        Path p = TestPrograms.path(program);
        return new LaunchSpec(p, List.of(args), p.getParent(), System.getenv(), true, mode);
    }

    /** Waits until the threads program has named all its workers (it says so on stdout). */
    private static void awaitWorkers(RecordingListener events) throws InterruptedException {
        events.await(RecordingListener.Output.class, o -> o.text().contains("started"));
    }

    private static TracedProcess launch(LaunchSpec spec, RecordingListener events) throws Exception {
        TracedProcess process = Tracer.shared().launch(spec, events, events).get(TIMEOUT, TimeUnit.SECONDS);
        process.start().get(TIMEOUT, TimeUnit.SECONDS);
        return process;
    }

    @Test
    void launchedProgramRunsToItsExitCodeWithOutput() throws Exception {
        RecordingListener events = new RecordingListener();
        TracedProcess process = launch(spec("hello", StopMode.NON_STOP, "7"), events);
        ExitStatus status = process.exited().get(TIMEOUT, TimeUnit.SECONDS);
        process.outputFinished().get(TIMEOUT, TimeUnit.SECONDS);
        assertEquals(ExitStatus.exited(7), status);
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (RecordingListener.Event e : events.events) {
            if (e instanceof RecordingListener.Output o) {
                (o.stream() == OutputListener.Stream.STDOUT ? out : err).append(o.text());
            }
        }
        assertEquals("hello from quiesce\n", out.toString());
        assertEquals("a line on stderr\n", err.toString());
    }

    @Test
    void aFatalSignalStopsFirstThenKillsWhenPassed() throws Exception {
        RecordingListener events = new RecordingListener();
        TracedProcess process = launch(spec("crash", StopMode.NON_STOP), events);
        ThreadStop stop = events.await(RecordingListener.Stopped.class).stop();
        assertEquals(StopReason.SIGNAL, stop.reason());
        assertEquals(Signal.SIGSEGV.number(), stop.signal().orElseThrow().signal());
        assertEquals(0, stop.signal().orElseThrow().address(), "the fault address of *(int *)0");
        process.resume(stop.tid()).get(TIMEOUT, TimeUnit.SECONDS);
        ExitStatus status = process.exited().get(TIMEOUT, TimeUnit.SECONDS);
        assertEquals(ExitStatus.killed(Signal.SIGSEGV.number()), status);
    }

    @Test
    void missingWorkingDirectoryFailsTheLaunchWithItsName() {
        Path p = TestPrograms.path("hello");
        LaunchSpec bad = new LaunchSpec(p, List.of(), Path.of("/no/such/dir"), Map.of(), true, StopMode.NON_STOP);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> Tracer.shared().launch(bad, new RecordingListener(), (s, t) -> { }).get(TIMEOUT, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("/no/such/dir"), e.getCause().getMessage());
    }

    @Test
    void pausedThreadStaysStoppedWhileOthersRun(@TempDir Path tmp) throws Exception {
        Path stopFile = tmp.resolve("stop");
        RecordingListener events = new RecordingListener();
        TracedProcess process = launch(spec("threads", StopMode.NON_STOP, "4", stopFile.toString()), events);
        awaitWorkers(events);
        List<ThreadInfo> threads = process.threads().get(TIMEOUT, TimeUnit.SECONDS);
        assertEquals(5, threads.size(), threads.toString());
        assertTrue(threads.stream().anyMatch(t -> t.name().equals("worker-2")), threads.toString());
        int worker = threads.stream().filter(t -> t.name().equals("worker-2")).findFirst().orElseThrow().tid();

        for (int round = 0; round < 50; round++) {
            process.pause(worker).get(TIMEOUT, TimeUnit.SECONDS);
            ThreadStop stop = events.await(RecordingListener.Stopped.class).stop();
            assertEquals(worker, stop.tid());
            assertEquals(StopReason.PAUSE, stop.reason());
            assertFalse(stop.allThreadsStopped());
            List<ThreadInfo> now = process.threads().get(TIMEOUT, TimeUnit.SECONDS);
            assertEquals(1, now.stream().filter(ThreadInfo::stopped).count(), now.toString());
            process.resume(worker).get(TIMEOUT, TimeUnit.SECONDS);
        }
        Files.createFile(stopFile);
        assertEquals(ExitStatus.exited(0), process.exited().get(TIMEOUT, TimeUnit.SECONDS));
    }

    @Test
    void allStopPauseStopsEveryThread(@TempDir Path tmp) throws Exception {
        Path stopFile = tmp.resolve("stop");
        RecordingListener events = new RecordingListener();
        TracedProcess process = launch(spec("threads", StopMode.ALL_STOP, "3", stopFile.toString()), events);
        awaitWorkers(events);
        process.pause(process.pid()).get(TIMEOUT, TimeUnit.SECONDS);
        ThreadStop stop = events.await(RecordingListener.Stopped.class).stop();
        assertTrue(stop.allThreadsStopped());
        List<ThreadInfo> threads = process.threads().get(TIMEOUT, TimeUnit.SECONDS);
        assertTrue(threads.stream().allMatch(ThreadInfo::stopped), threads.toString());
        process.resumeAll().get(TIMEOUT, TimeUnit.SECONDS);
        Files.createFile(stopFile);
        assertEquals(ExitStatus.exited(0), process.exited().get(TIMEOUT, TimeUnit.SECONDS));
    }

    @Test
    void killEndsAProcessWithStoppedThreads(@TempDir Path tmp) throws Exception {
        RecordingListener events = new RecordingListener();
        TracedProcess process = launch(spec("threads", StopMode.NON_STOP, "2"), events);
        process.pause(process.pid()).get(TIMEOUT, TimeUnit.SECONDS);
        events.await(RecordingListener.Stopped.class);
        ExitStatus status = process.kill().get(TIMEOUT, TimeUnit.SECONDS);
        assertEquals(ExitStatus.killed(Signal.SIGKILL.number()), status);
    }
}

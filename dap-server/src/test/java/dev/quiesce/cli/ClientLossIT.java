package dev.quiesce.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that vanishes without {@code disconnect} ends its session (issue 13, item 3): the
 * client is a real process of its own ({@link DapClientProcess}) and the test kills it with
 * SIGKILL, with the program stopped at a breakpoint, idle or with a request stuck in the server.
 * stdio: the server kills what it launched and its JVM exits. TCP: the server detaches clean
 * from what it attached, and the program runs on to its normal end.
 */
class ClientLossIT {
    private static final Path BIN = Path.of(System.getProperty("quiesce.bin", "bin/quiesce"));
    /** threads.c: the worker's loop body, hit all the time by every worker. */
    private static final int WORKER_LOOP_LINE = 21;
    /** The stuck variants: a variables request whose reads never end, with a deadline far beyond the test. */
    private static final String STUCK_OPTIONS = "-Dquiesce.test.stallReadsOf=variables -Dquiesce.requestDeadlineMillis=600000";

    private static String threadsSource() {
        return TestServer.program("threads").getParent().resolve("../../src/threads.c").normalize().toString();
    }

    /** The client process; its stderr (and, in stdio mode, the server's) goes to a file for the failure message. */
    private static Process startClient(Path tmp, boolean stuck, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        for (String property : List.of("quiesce.testprograms.dir", "quiesce.dap.schema")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add(DapClientProcess.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(tmp.resolve("client.err").toFile());
        if (stuck) {
            pb.environment().put("JAVA_TOOL_OPTIONS", STUCK_OPTIONS); // reaches the stdio server the client starts
        }
        return pb.start();
    }

    /** The client's READY line: the debuggee's pid and the stdio server's (-1 over TCP). */
    private static long[] awaitReady(Process client, Path tmp) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // the client gives up on its own after DapTestClient's timeouts
        if (line == null || !line.startsWith("READY ")) {
            throw new AssertionError("the client did not get ready: " + line + "\n" + Files.readString(tmp.resolve("client.err")));
        }
        String[] parts = line.split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
    }

    private static void kill(Process client) throws InterruptedException {
        client.destroyForcibly(); // SIGKILL: no disconnect, no goodbye
        assertTrue(client.waitFor(30, TimeUnit.SECONDS));
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true) || status(pid).contains("State:\tZ");
    }

    private static String status(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException e) {
            return "";
        }
    }

    private static String tracerPid(long pid) {
        return status(pid).lines().filter(l -> l.startsWith("TracerPid:")).findFirst().orElse("gone").replace("TracerPid:", "").strip();
    }

    /** For a condition there is no event for (a process leaves /proc), polled with a deadline. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    private void stdioClientKilled(Path tmp, boolean stuck) throws Exception {
        Process client = startClient(tmp, stuck, "stdio", BIN.toString(), "launch", TestServer.program("threads").toString(),
                threadsSource(), Integer.toString(WORKER_LOOP_LINE), stuck ? "stuck" : "idle", "2");
        long[] pids;
        try {
            pids = awaitReady(client, tmp);
        } finally {
            kill(client);
        }
        long debuggee = pids[0];
        long quiesce = pids[1];
        long killed = System.nanoTime();
        await("the server's JVM exits", () -> gone(quiesce));
        long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        await("the launched program is gone", () -> gone(debuggee));
        System.out.printf("stdio client killed%s: the server exited after %d ms, the program is gone%n",
                stuck ? " with a request stuck" : "", exitMillis);
    }

    @Test
    void stdioClientKilledAtABreakpointKillsTheProgramAndTheServerExits(@TempDir Path tmp) throws Exception {
        stdioClientKilled(tmp, false);
    }

    @Test
    void stdioClientKilledWhileARequestIsStuckKillsTheProgramAndTheServerExits(@TempDir Path tmp) throws Exception {
        stdioClientKilled(tmp, true);
    }

    private void tcpClientKilled(Path tmp, boolean stuck) throws Exception {
        ProcessBuilder serverBuilder = new ProcessBuilder(BIN.toString(), "--port", "0").redirectOutput(tmp.resolve("server.out").toFile());
        if (stuck) {
            serverBuilder.environment().put("JAVA_TOOL_OPTIONS", STUCK_OPTIONS);
        }
        Process server = serverBuilder.start();
        try {
            int port = awaitPort(server);
            Path stopFile = tmp.resolve("stop");
            Path code = tmp.resolve("code");
            Path output = tmp.resolve("output");
            Path pidFile = tmp.resolve("pid");
            // A program we start ourselves, through a shell that records its output and exit code.
            Process shell = new ProcessBuilder("sh", "-c", "\"$0\" 3 \"$1\" > \"$4\" & echo $! > \"$2\"; wait $!; echo $? > \"$3\"",
                    TestServer.program("threads").toString(), stopFile.toString(), pidFile.toString(), code.toString(), output.toString()).start();
            await("the program runs", () -> read(output).contains("started 3 threads") && read(pidFile).endsWith("\n"));
            int pid = Integer.parseInt(read(pidFile).strip());

            Process client = startClient(tmp, stuck, "tcp", Integer.toString(port), "attach", Integer.toString(pid),
                    threadsSource(), Integer.toString(WORKER_LOOP_LINE), stuck ? "stuck" : "idle");
            try {
                assertEquals(pid, awaitReady(client, tmp)[0]);
                assertTrue(!tracerPid(pid).equals("0"), "attached and stopped at a breakpoint: traced");
            } finally {
                kill(client);
            }
            long killed = System.nanoTime();
            await("the server detaches", () -> tracerPid(pid).equals("0"));
            System.out.printf("tcp client killed%s: detached after %d ms%n", stuck ? " with a request stuck" : "",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));

            Files.createFile(stopFile);
            assertTrue(shell.waitFor(30, TimeUnit.SECONDS), "the program finishes after the detach");
            assertEquals("0", read(code).strip(), "exit code; output: " + read(output));
            assertTrue(read(output).contains("all threads joined"), read(output));

            // The server goes on serving new connections.
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            try (DapTestClient next = new DapTestClient(socket.getInputStream(), socket.getOutputStream(), socket)) {
                next.initialize();
            }
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void tcpClientKilledAtABreakpointDetachesAndTheProgramFinishesNormally(@TempDir Path tmp) throws Exception {
        tcpClientKilled(tmp, false);
    }

    @Test
    void tcpClientKilledWhileARequestIsStuckDetachesAndTheProgramFinishesNormally(@TempDir Path tmp) throws Exception {
        tcpClientKilled(tmp, true);
    }

    private static int awaitPort(Process server) throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            Matcher m = Pattern.compile("serving DAP on 127\\.0\\.0\\.1:(\\d+)").matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        err.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the server ended
                    }
                }, "server-stderr");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the server printed no port");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}

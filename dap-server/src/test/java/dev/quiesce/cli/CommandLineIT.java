package dev.quiesce.cli;

import static dev.quiesce.dap.testing.DapTestClient.body;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** bin/quiesce as users run it: batch mode, DAP on stdio, DAP on a TCP port. */
class CommandLineIT {
    private static final Path BIN = Path.of(System.getProperty("quiesce.bin", "bin/quiesce"));

    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(BIN.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static String read(java.io.InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void batchModeRunsAProgramAndReportsWhatHappened() throws Exception {
        Process quiesce = start("run", TestServer.program("threads").toString(), "2", "/dev/null");
        String out = read(quiesce.getInputStream());
        assertTrue(quiesce.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, quiesce.exitValue(), out);
        assertTrue(out.contains("[quiesce] launched "), out);
        assertTrue(out.contains("started 2 threads"), out);
        assertEquals(3, out.lines().filter(l -> l.matches("\\[quiesce] thread \\d+ started")).count(), out);
        assertTrue(out.contains("[quiesce] exited with code 0"), out);
    }

    @Test
    void batchModeReturnsTheProgramsExitCodeAndKeepsStderrApart() throws Exception {
        Process quiesce = start("run", TestServer.program("hello").toString(), "9");
        String out = read(quiesce.getInputStream());
        String err = read(quiesce.getErrorStream());
        assertTrue(quiesce.waitFor(60, TimeUnit.SECONDS));
        assertEquals(9, quiesce.exitValue());
        assertTrue(out.contains("hello from quiesce\n"), out);
        assertTrue(err.contains("a line on stderr\n"), err);
    }

    @Test
    void batchModeExplainsAProgramThatCannotRun() throws Exception {
        Process quiesce = start("run", "/no/such/program");
        String err = read(quiesce.getErrorStream());
        assertTrue(quiesce.waitFor(60, TimeUnit.SECONDS));
        assertEquals(127, quiesce.exitValue());
        assertTrue(err.contains("program not found: /no/such/program"), err);
    }

    @Test
    void batchModePrintsEachBreakpointStopWithFrameLocalsAndPrintedExpressions() throws Exception {
        Process quiesce = start("run", TestServer.program("sym_c").toString(), "3",
                "--break", "factorial", "--break", "sym_main.c:45", "--print", "n + 100", "--print", "no_such_name");
        String out = read(quiesce.getInputStream());
        String err = read(quiesce.getErrorStream());
        assertTrue(quiesce.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, quiesce.exitValue(), out + err);
        // factorial(3) recurses: three stops there, then main at line 45 with f computed
        assertEquals(3, out.lines().filter(l -> l.matches("\\[quiesce] stopped: thread \\d+, reason function breakpoint( \\(.*\\))?")).count(), out);
        assertEquals(3, out.lines().filter(l -> l.equals("[quiesce]   frame: factorial (sym_main.c:22)")).count(), out);
        for (int n = 1; n <= 3; n++) {
            assertTrue(out.contains("[quiesce]   arg n = " + n + "\n[quiesce]   print n + 100 = " + (100 + n) + "\n"), out);
        }
        assertTrue(out.contains("[quiesce]   print no_such_name: "), "an expression that fails says why: " + out);
        int main = out.indexOf("[quiesce]   frame: main (sym_main.c:45)");
        assertTrue(main > 0, out);
        String mainStop = out.substring(main);
        assertTrue(mainStop.contains("[quiesce]   local f = 6\n"), mainStop);
        assertTrue(mainStop.contains("[quiesce]   local p = {x = 3, y = 4}\n"), mainStop);
        assertTrue(mainStop.contains("[quiesce]   print n + 100 = 103\n"), mainStop);
        assertEquals(4, out.lines().filter(l -> l.matches("\\[quiesce] continuing thread \\d+")).count(), out);
        assertTrue(out.contains("\n6 4498500 49 7 1\n"), "the program ran to the end: " + out);
        assertTrue(out.contains("[quiesce] exited with code 0"), out);
    }

    @Test
    void batchModeExplainsBadBreakAndPrintOptions() throws Exception {
        String program = TestServer.program("sym_c").toString();
        for (String[] args : List.of(new String[] {"run", program, "--break"}, new String[] {"run", program, "--break", "--print", "x"},
                new String[] {"run", program, "--break", "sym_main.c:"}, new String[] {"run", program, "--print"},
                new String[] {"run", "--break", "main"})) {
            Process quiesce = start(args);
            String err = read(quiesce.getErrorStream());
            assertTrue(quiesce.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, quiesce.exitValue(), err);
            assertTrue(err.contains("--break needs FILE:LINE or a function name") || err.contains("--print needs an expression")
                    || err.contains("run needs a PROGRAM"), List.of(args) + ": " + err);
            assertTrue(err.contains("usage: quiesce run PROGRAM"), err);
        }
    }

    @Test
    void stdioModeServesDap() throws Exception {
        Process quiesce = start();
        try (DapTestClient client = new DapTestClient(quiesce.getInputStream(), quiesce.getOutputStream(), quiesce::destroy)) {
            client.initialize();
            client.ok("launch", Map.of("program", TestServer.program("hello").toString(), "args", List.of("6")));
            client.ok("configurationDone", Map.of());
            assertEquals(6, body(client.event("exited")).get("exitCode").getAsInt());
            client.ok("disconnect", Map.of());
            assertTrue(quiesce.waitFor(30, TimeUnit.SECONDS), "the server should exit after disconnect");
        }
    }

    @Test
    void tcpModeServesOneSessionPerConnection() throws Exception {
        Process quiesce = start("--port", "0");
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(quiesce.getErrorStream(), StandardCharsets.UTF_8));
            String banner = err.readLine();
            Matcher m = Pattern.compile("serving DAP on 127\\.0\\.0\\.1:(\\d+)").matcher(banner == null ? "" : banner);
            assertTrue(m.find(), "banner: " + banner);
            int port = Integer.parseInt(m.group(1));
            for (int session = 0; session < 2; session++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                try (DapTestClient client = new DapTestClient(socket.getInputStream(), socket.getOutputStream(), socket)) {
                    client.initialize();
                    client.ok("launch", Map.of("program", TestServer.program("hello").toString(), "args", List.of(Integer.toString(session))));
                    client.ok("configurationDone", Map.of());
                    assertEquals(session, body(client.event("exited")).get("exitCode").getAsInt());
                    client.ok("disconnect", Map.of());
                    client.awaitClosed();
                }
            }
        } finally {
            quiesce.destroy();
        }
    }
}

package dev.quiesce.dap.testing;

import dev.quiesce.dap.DapServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real server on an ephemeral loopback port, shared by the tests of a class. */
public final class TestServer implements AutoCloseable {
    private final DapServer.Tcp tcp;

    public TestServer() throws IOException {
        tcp = new DapServer.Tcp("127.0.0.1", 0);
    }

    public int port() {
        return tcp.port();
    }

    /** A new connection, that is, a new session. */
    public DapTestClient connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcp.port());
        socket.setTcpNoDelay(true);
        return new DapTestClient(socket.getInputStream(), socket.getOutputStream(), socket);
    }

    public static Path program(String name) {
        String dir = System.getProperty("quiesce.testprograms.dir");
        if (dir == null) {
            throw new IllegalStateException("quiesce.testprograms.dir is not set (run the tests through Maven)");
        }
        Path p = Path.of(dir, name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: build test-programs first");
        }
        return p;
    }

    /** A function's or global's address in a -no-pie test program, from binutils' nm (the oracle until symbols exist). */
    public static long symbol(Path binary, String name) throws IOException, InterruptedException {
        Process nm = new ProcessBuilder("nm", binary.toString()).start();
        String out = new String(nm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        nm.waitFor();
        for (String line : out.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 3 && parts[2].equals(name)) {
                return Long.parseUnsignedLong(parts[0], 16);
            }
        }
        throw new IllegalStateException(name + " not in " + binary);
    }

    @Override
    public void close() throws IOException {
        tcp.close();
    }
}

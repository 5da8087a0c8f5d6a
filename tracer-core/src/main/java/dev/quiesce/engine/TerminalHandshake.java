package dev.quiesce.engine;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The meeting point with a launcher the client started in a terminal (DAP runInTerminal):
 * a Unix socket in a private folder. The launcher ({@code --handshake PATH}) connects, sends its
 * pid and blocks; once it is seized we send the "go" byte; if it fails after that, its reason
 * comes back on the same socket (native/src/launcher.c). Not thread-bound; one launcher only.
 */
public final class TerminalHandshake implements HeldExec {
    private static final int MAX_PID_LINE = 16;

    private final Path folder;
    private final Path socketPath;
    private final ServerSocketChannel server;
    private SocketChannel launcher;

    public TerminalHandshake() {
        try {
            folder = Files.createTempDirectory("quiesce-tty", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            socketPath = folder.resolve("launcher.sock");
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            throw new TracerException("cannot make the socket a terminal's launcher reports to: " + e.getMessage(), e);
        }
    }

    public Path socketPath() {
        return socketPath;
    }

    /** Blocks until the launcher connects and says its pid (at most {@code timeoutMillis}). */
    public int awaitLauncher(long timeoutMillis) {
        try (Selector selector = Selector.open()) {
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            if (selector.select(timeoutMillis) == 0) {
                throw new TracerException("the program did not start in the terminal within " + timeoutMillis / 1000
                        + " s (did the client run the command?)");
            }
            launcher = server.accept();
            launcher.configureBlocking(true);
            return readPid();
        } catch (IOException e) {
            throw new TracerException("the terminal's launcher did not report: " + e.getMessage(), e);
        }
    }

    private int readPid() throws IOException {
        ByteBuffer line = ByteBuffer.allocate(MAX_PID_LINE);
        while (line.hasRemaining()) {
            if (launcher.read(line) < 0) {
                break;
            }
            if (line.position() > 0 && line.get(line.position() - 1) == '\n') {
                break;
            }
        }
        String text = new String(line.array(), 0, line.position(), StandardCharsets.US_ASCII).strip();
        if (!text.matches("\\d{1,10}")) {
            throw new TracerException("the terminal's launcher sent no pid (\"" + text + "\")");
        }
        return Integer.parseInt(text);
    }

    /** Lets the seized launcher exec the program. */
    @Override
    public void release() {
        try {
            launcher.write(ByteBuffer.wrap(new byte[] {1}));
        } catch (IOException e) {
            throw new TracerException("cannot release the terminal's launcher: " + e.getMessage(), e);
        }
    }

    /** What the launcher wrote before it exited ("errno\twhat"), the part after the tab; "" if nothing. */
    @Override
    public String error() {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (buffer.hasRemaining() && launcher.read(buffer) > 0) {
                // until EOF: the launcher is gone, its end is closed
            }
            String line = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            int tab = line.indexOf('\t');
            return tab >= 0 ? line.substring(tab + 1) : line;
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public boolean attached() {
        return false;
    }

    @Override
    public void close() {
        try {
            if (launcher != null) {
                launcher.close();
            }
            server.close();
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(folder);
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}

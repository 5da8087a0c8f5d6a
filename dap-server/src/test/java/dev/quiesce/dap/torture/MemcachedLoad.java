package dev.quiesce.dap.torture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients of a memcached under the debugger: each connection sets and gets keys in a loop, so
 * its worker thread keeps reaching the hot functions. A client whose server thread is stopped
 * just waits (short read timeouts), as a real client of a paused server would.
 */
final class MemcachedLoad implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static MemcachedLoad start(int port, int connections) {
        MemcachedLoad load = new MemcachedLoad();
        for (int i = 0; i < connections; i++) {
            int id = i;
            Thread t = new Thread(() -> load.client(port, id), "memcached-client-" + i);
            t.setDaemon(true);
            load.clients.add(t);
            t.start();
        }
        return load;
    }

    private void client(int port, int id) {
        while (running.get()) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                synchronized (sockets) {
                    sockets.add(socket);
                }
                socket.setSoTimeout(200);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[4096];
                for (long n = 0; running.get(); n++) {
                    String key = "k" + id + "_" + (n % 500);
                    String value = "value-" + n;
                    out.write(("set " + key + " 0 0 " + value.length() + "\r\n" + value + "\r\nget " + key + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    try {
                        in.read(buffer);
                    } catch (SocketTimeoutException stopped) {
                        // its worker thread is stopped in the debugger: ask again later
                    }
                }
            } catch (IOException notYetListening) {
                // memcached is still starting (or its connection was dropped): connect again
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            }
        }
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
        for (Thread t : clients) {
            t.join(5000);
        }
    }
}

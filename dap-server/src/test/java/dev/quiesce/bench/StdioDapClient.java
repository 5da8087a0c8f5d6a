package dev.quiesce.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A lean DAP client for the startup benchmark: spawns an adapter, speaks DAP on its stdin/stdout
 * and stamps each message with the time it was read (so the client's own parsing is not counted
 * in the adapter's time). No schema validation: the tests do that; this only measures.
 */
final class StdioDapClient implements AutoCloseable {
    /** One message from the adapter and when it arrived (System.nanoTime). */
    record Received(JsonObject message, long nanos) {}

    private final Process process;
    private final OutputStream out;
    private final BlockingQueue<Received> incoming = new LinkedBlockingQueue<>();
    private int seq;

    StdioDapClient(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        process = builder.start();
        out = process.getOutputStream();
        Thread reader = new Thread(() -> readLoop(process.getInputStream()), "bench-dap-reader");
        reader.setDaemon(true);
        reader.start();
    }

    long pid() {
        return process.pid();
    }

    synchronized int send(String command, JsonObject arguments) throws IOException {
        JsonObject request = new JsonObject();
        request.addProperty("seq", ++seq);
        request.addProperty("type", "request");
        request.addProperty("command", command);
        request.add("arguments", arguments);
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
        out.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return seq;
    }

    /** The next message that matches, skipping others; fails after the timeout. */
    Received await(Predicate<JsonObject> wanted, String what, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            Received next = left > 0 ? incoming.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            if (wanted.test(next.message())) {
                return next;
            }
        }
    }

    /** The next message of either kind, or null at the timeout. */
    Received poll(long timeoutMillis) throws InterruptedException {
        return incoming.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    static Predicate<JsonObject> response(int requestSeq) {
        return m -> "response".equals(m.get("type").getAsString()) && m.get("request_seq").getAsInt() == requestSeq;
    }

    static Predicate<JsonObject> event(String name) {
        return m -> "event".equals(m.get("type").getAsString()) && name.equals(m.get("event").getAsString());
    }

    static boolean isEvent(JsonObject m, String name) {
        return event(name).test(m);
    }

    static boolean isResponse(JsonObject m, int requestSeq) {
        return response(requestSeq).test(m);
    }

    private void readLoop(InputStream in) {
        try {
            while (true) {
                int length = readHeader(in);
                if (length < 0) {
                    return;
                }
                byte[] body = in.readNBytes(length);
                long now = System.nanoTime();
                incoming.add(new Received(JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject(), now));
            }
        } catch (IOException | RuntimeException ended) {
            // the adapter went away; waits time out
        }
    }

    private static int readHeader(InputStream in) throws IOException {
        int length = -1;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.US_ASCII).trim();
            line.reset();
            if (text.isEmpty()) {
                if (length >= 0) {
                    return length;
                }
            } else if (text.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(text.substring(15).trim());
            }
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

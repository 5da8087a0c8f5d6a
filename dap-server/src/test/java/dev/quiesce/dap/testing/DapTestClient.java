package dev.quiesce.dap.testing;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.quiesce.dap.schema.DapSchemaValidator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw-JSON DAP client for tests: frames messages with Content-Length itself, validates every
 * message the server sends against the official DAP schema (a violation fails the test), and
 * lets tests wait for responses and events with timeouts (never sleeps). "Every" includes what
 * arrives after a test's last wait: {@link #close} ends the client's side of the connection and
 * reads on until the server closes its side, then checks; a message that is not a JSON object at
 * all is a violation too, not the end of reading.
 */
public final class DapTestClient implements AutoCloseable {
    public static final long TIMEOUT_SECONDS = 30;
    /** How long {@link #close} reads on for the server's last messages once our side is closed. */
    private static final long DRAIN_SECONDS = 15;
    private static final DapSchemaValidator SCHEMA = DapSchemaValidator.loadDefault();
    private static final JsonObject END = new JsonObject();
    private static final String CLOSED = "the connection to close";

    private final InputStream in;
    private final OutputStream out;
    private final AutoCloseable connection;
    private final Gson gson = new GsonBuilder().serializeNulls().create(); // "env": {"X": null} must reach the server
    private final BlockingQueue<JsonObject> incoming = new LinkedBlockingQueue<>();
    /** Everything received so far, in order (for assertions about ordering). */
    private final List<JsonObject> history = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    /** Received messages no wait has matched yet: a later wait may still want them. */
    private final List<JsonObject> unmatched = new ArrayList<>();
    private final Thread reader;
    private int seq;
    /**
     * Two locks, never one: a test thread blocked writing (the server is not reading because it
     * is blocked writing to us) must not keep the reader thread from recording what arrives.
     */
    private final Object writeLock = new Object();
    private final Object historyLock = new Object();

    public DapTestClient(InputStream in, OutputStream out, AutoCloseable connection) {
        this.in = in;
        this.out = out;
        this.connection = connection;
        this.reader = new Thread(this::readLoop, "dap-test-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        try {
            while (true) {
                String text = readMessage();
                if (text == null) {
                    break;
                }
                JsonObject message;
                try {
                    message = JsonParser.parseString(text).getAsJsonObject();
                } catch (RuntimeException notAnObject) {
                    synchronized (historyLock) {
                        violations.add("not a JSON object: " + text);
                    }
                    continue;
                }
                List<String> problems = SCHEMA.validate(message);
                synchronized (historyLock) {
                    history.add(message);
                    if (!problems.isEmpty()) {
                        violations.add(problems + " in " + message);
                    }
                }
                incoming.add(message);
            }
        } catch (IOException e) {
            // connection closed
        } finally {
            incoming.add(END);
        }
    }

    /** The next message's text, or null at the end of the stream. */
    private String readMessage() throws IOException {
        int length = -1;
        while (true) {
            String line = readHeaderLine();
            if (line == null) {
                return null;
            }
            if (line.isEmpty()) {
                break;
            }
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        if (length < 0) {
            return "(a message without a Content-Length header)";
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            return null;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private String readHeaderLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        return null;
    }

    /** Sends a request and returns its seq. {@code arguments} may be a Map, a JsonObject or null. */
    public int send(String command, Object arguments) {
        synchronized (writeLock) {
            return sendLocked(command, arguments);
        }
    }

    private int sendLocked(String command, Object arguments) {
        JsonObject request = new JsonObject();
        request.addProperty("seq", ++seq);
        request.addProperty("type", "request");
        request.addProperty("command", command);
        if (arguments != null) {
            request.add("arguments", gson.toJsonTree(arguments));
        }
        sendRaw(request.toString().getBytes(StandardCharsets.UTF_8));
        return seq;
    }

    /** Waits for a reverse request (the server asks us), such as runInTerminal. */
    public JsonObject reverseRequest(String command) {
        return next(m -> isType(m, "request") && command.equals(m.get("command").getAsString()), "reverse request " + command);
    }

    /** Answers a reverse request: success with {@code body}, or failure with {@code message}. */
    public void respondTo(JsonObject request, Object body, String message) {
        JsonObject response = new JsonObject();
        synchronized (writeLock) {
            response.addProperty("seq", ++seq);
            response.addProperty("type", "response");
            response.addProperty("request_seq", request.get("seq").getAsInt());
            response.addProperty("command", request.get("command").getAsString());
            response.addProperty("success", message == null);
            if (message != null) {
                response.addProperty("message", message);
            }
            if (body != null) {
                response.add("body", gson.toJsonTree(body));
            }
            sendRaw(response.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Sends bytes framed with a correct Content-Length header. */
    public void sendRaw(byte[] body) {
        sendFramed(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
    }

    public void sendFramed(byte[] header, byte[] body) {
        synchronized (writeLock) {
            try {
                out.write(header);
                out.write(body);
                out.flush();
            } catch (IOException e) {
                throw new AssertionError("cannot send to the server", e);
            }
        }
    }

    /** Sends a request and waits for its response, whatever its success. */
    public JsonObject request(String command, Object arguments) {
        return response(send(command, arguments));
    }

    /** Sends a request and waits for a successful response; fails the test with the server's message otherwise. */
    public JsonObject ok(String command, Object arguments) {
        JsonObject response = request(command, arguments);
        if (!response.get("success").getAsBoolean()) {
            throw new AssertionError(command + " failed: " + response);
        }
        return response;
    }

    public JsonObject response(int requestSeq) {
        return next(m -> isType(m, "response") && m.has("request_seq") && m.get("request_seq").isJsonPrimitive()
                        && m.get("request_seq").getAsJsonPrimitive().isNumber() && m.get("request_seq").getAsInt() == requestSeq,
                "response to request " + requestSeq);
    }

    public JsonObject event(String name) {
        return event(name, e -> true);
    }

    public JsonObject event(String name, Predicate<JsonObject> matches) {
        return next(m -> isType(m, "event") && m.get("event").getAsString().equals(name) && matches.test(m),
                "event " + name);
    }

    /**
     * Waits for the first message not yet matched by an earlier wait that matches; messages
     * passed over stay available to later waits (an event may arrive before the response that
     * a test waits for first).
     */
    public JsonObject next(Predicate<JsonObject> matches, String what) {
        for (int i = 0; i < unmatched.size(); i++) {
            if (matches.test(unmatched.get(i))) {
                return unmatched.remove(i);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            JsonObject m;
            try {
                m = incoming.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
            if (m == null) {
                throw new AssertionError("timed out after " + TIMEOUT_SECONDS + " s waiting for " + what
                        + "; received so far: " + history());
            }
            if (m == END) {
                if (what.equals(CLOSED)) {
                    return m;
                }
                incoming.add(END);
                throw new AssertionError("connection closed while waiting for " + what + "; received: " + history());
            }
            if (matches.test(m)) {
                return m;
            }
            unmatched.add(m);
        }
    }

    /** True once the server has closed the connection. */
    public void awaitClosed() {
        next(m -> false, CLOSED);
    }

    public List<JsonObject> history() {
        synchronized (historyLock) {
            return new ArrayList<>(history);
        }
    }

    /** Fails if any message so far broke the DAP schema. */
    public void assertSchemaValid() {
        synchronized (historyLock) {
            if (!violations.isEmpty()) {
                throw new AssertionError("messages that break the DAP schema:\n" + String.join("\n", violations));
            }
        }
    }

    public static boolean isType(JsonObject m, String type) {
        JsonElement t = m.get("type");
        return t != null && t.isJsonPrimitive() && t.getAsString().equals(type);
    }

    /**
     * A thread's name from the threads response without the {@code " [tid]"} the server adds
     * ("worker-1 [1234]" is "worker-1"); fails if the suffix does not name the thread's id.
     */
    public static String threadName(JsonObject thread) {
        String name = thread.get("name").getAsString();
        String suffix = " [" + thread.get("id").getAsInt() + "]";
        if (!name.endsWith(suffix)) {
            throw new AssertionError("thread name without its id: " + thread);
        }
        return name.substring(0, name.length() - suffix.length());
    }

    public static JsonObject body(JsonObject m) {
        return m.getAsJsonObject("body");
    }

    /**
     * initialize, then the initialized event, which must come after the response. The client
     * declares the invalidated and memory events, as VS Code does.
     */
    public JsonObject initialize() {
        return initialize(Map.of("supportsInvalidatedEvent", true, "supportsMemoryEvent", true));
    }

    /** initialize with these client capabilities (supportsInvalidatedEvent, ...) added. */
    public JsonObject initialize(Map<String, Object> clientCapabilities) {
        Map<String, Object> args = new java.util.HashMap<>(Map.of("adapterID", "quiesce", "clientID", "junit",
                "linesStartAt1", true, "columnsStartAt1", true, "pathFormat", "path"));
        args.putAll(clientCapabilities);
        JsonObject response = ok("initialize", args);
        event("initialized");
        return response;
    }

    @Override
    public void close() throws Exception {
        try {
            readToTheEnd();
            assertSchemaValid();
        } finally {
            connection.close();
        }
    }

    /**
     * Closes our direction (a socket's output, a process's stdin: the server's input ends and
     * it ends the session) and reads until the server closes its side, so that the messages it
     * sends last (terminated, exited, a late output) are validated too. Bounded: a server that
     * does not close in time leaves the rest unread.
     */
    private void readToTheEnd() throws InterruptedException {
        try {
            synchronized (writeLock) {
                if (connection instanceof java.net.Socket socket) {
                    if (!socket.isClosed() && !socket.isOutputShutdown()) {
                        socket.shutdownOutput();
                    }
                } else {
                    out.close();
                }
            }
        } catch (IOException alreadyClosed) {
            // the server closed first: the reader has seen or will see the end
        }
        reader.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
    }
}

package dev.quiesce.dap.torture;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one torture run saw: every request's latency, and every answer that broke a rule
 * (slower than the limit, Java exception text in a message). Owned by the run's one thread.
 */
public final class TortureStats {
    /** Each request must be answered within this (issue 13). */
    public static final long LIMIT_MILLIS = 2000;
    /** A message that carries one of these is Java's text reaching a user. */
    private static final List<String> JAVA_TEXT = List.of("Exception", "java.", "internal error", "\tat ");

    private final String program;
    private final List<Long> latencies = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    /** success:false answers by command and message, numbers masked (thread 123 -> thread N). */
    private final java.util.Map<String, Integer> errorKinds = new java.util.TreeMap<>();
    private int stops;
    private int failures;
    private long slowestNanos;
    private String slowestRequest = "";

    public TortureStats(String program) {
        this.program = program;
    }

    void stopped() {
        stops++;
    }

    /** A response to {@code command} that took {@code nanos}. */
    void answered(String command, Object arguments, JsonObject response, long nanos) {
        latencies.add(nanos);
        if (nanos > slowestNanos) {
            slowestNanos = nanos;
            slowestRequest = command + " " + arguments;
        }
        if (nanos > LIMIT_MILLIS * 1_000_000L) {
            problems.add(String.format("%s %s took %d ms", command, arguments, nanos / 1_000_000));
        }
        if (!response.get("success").getAsBoolean()) {
            failures++;
            String message = response.has("message") ? response.get("message").getAsString() : "(no message)";
            errorKinds.merge(command + ": " + message.replaceAll("0x[0-9a-f]+|\\d+", "N"), 1, Integer::sum);
        }
        String text = response.toString();
        for (String java : JAVA_TEXT) {
            if (text.contains(java)) {
                problems.add(command + " " + arguments + " answered with Java text: " + text);
                break;
            }
        }
    }

    void problem(String what) {
        problems.add(what);
    }

    public String program() {
        return program;
    }

    public int stops() {
        return stops;
    }

    public int requests() {
        return latencies.size();
    }

    public int failures() {
        return failures;
    }

    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** The kinds of error answers and how often each came, most frequent first. */
    public List<java.util.Map.Entry<String, Integer>> errorKinds() {
        List<java.util.Map.Entry<String, Integer>> kinds = new ArrayList<>(errorKinds.entrySet());
        kinds.sort(java.util.Map.Entry.<String, Integer>comparingByValue().reversed());
        return kinds;
    }

    public double slowestMillis() {
        return slowestNanos / 1e6;
    }

    public String slowestRequest() {
        return slowestRequest;
    }

    /** The latency below which {@code fraction} of the requests were answered, in ms. */
    public double percentileMillis(double fraction) {
        if (latencies.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) (fraction * sorted.size()))) / 1e6;
    }
}

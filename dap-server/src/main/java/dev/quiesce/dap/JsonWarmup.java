package dev.quiesce.dap;

import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesResponse;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugResponseMessage;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;

/**
 * Writes a made-up page of 1000 variables to a buffer, twice, on a low-priority thread when a
 * session starts (issue 14). The JVM runs C1 only and compiles a method after a few hundred
 * calls: a session's first real page otherwise spends ~9 ms in the JSON writer still
 * interpreted (bench/run --values, server-side timing), ~2 ms once compiled. Done once initialize
 * is answered, while the program is launched and its symbols read; ~20 ms of CPU once per session.
 */
final class JsonWarmup {
    private static final int ROUNDS = 2;
    private static final int PAGE = VariableRequests.MAX_PAGE;

    private JsonWarmup() {}

    /**
     * Requests a Variables view makes at each stop, parsed once each: a session's first
     * {@code variables} request otherwise spends ~6 ms of its time building Gson's reflective
     * adapters for its arguments (bench/run --values, server-side timing).
     */
    private static final String[] REQUESTS = {
        "{\"seq\":1,\"type\":\"request\",\"command\":\"stackTrace\",\"arguments\":{\"threadId\":1,\"startFrame\":0,\"levels\":20}}",
        "{\"seq\":2,\"type\":\"request\",\"command\":\"scopes\",\"arguments\":{\"frameId\":1}}",
        "{\"seq\":3,\"type\":\"request\",\"command\":\"variables\",\"arguments\":{\"variablesReference\":1}}",
        "{\"seq\":4,\"type\":\"request\",\"command\":\"variables\",\"arguments\":{\"variablesReference\":1,"
                + "\"filter\":\"indexed\",\"start\":0,\"count\":1000,\"format\":{\"hex\":false}}}",
    };

    /** Then {@code values}: the page describing's warm-up ({@link VariableRequests#warmUp}). */
    static void start(MessageJsonHandler json, Runnable values) {
        Thread t = new Thread(() -> {
            // Only on a core the session's start leaves idle (setPriority below does nothing on Linux).
            dev.quiesce.linux.ThreadNice.set(dev.quiesce.linux.ThreadNice.LOWEST);
            for (String request : REQUESTS) {
                try {
                    json.parseMessage(request);
                } catch (RuntimeException e) {
                    // a warm-up only: the real request is answered whatever this did
                }
            }
            DebugResponseMessage m = page();
            Utf8Buffer out = new Utf8Buffer(WireWriter.HEADER_ROOM);
            for (int i = 0; i < ROUNDS; i++) {
                out.reset();
                Utf8Buffer.SERIALIZING.set(out);
                try {
                    json.serialize(m, out); // as WireWriter writes it
                } finally {
                    Utf8Buffer.SERIALIZING.remove();
                }
            }
            dev.quiesce.trace.StartupTrace.mark("json warmed");
            try {
                values.run();
            } catch (RuntimeException e) {
                // a warm-up only
            }
            dev.quiesce.trace.StartupTrace.mark("values warmed");
        }, "quiesce-json-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static DebugResponseMessage page() {
        Variable[] vs = new Variable[PAGE];
        for (int i = 0; i < PAGE; i++) {
            Variable v = new Variable();
            v.setName("[" + i + "]");
            v.setValue(Integer.toString(i * 7));
            v.setType("int");
            v.setEvaluateName("(warmup)[" + i + "]");
            v.setMemoryReference("0x" + Long.toHexString(0x7ffc0000L + 4L * i));
            if (i % 10 == 9) {
                // the other paths of the writers (C1 code that meets a path it never ran is
                // recompiled, at the first real page): counts, escapes, non-ASCII text (no
                // presentation hint: no page has one, and a page with one takes JsonWriter's path)
                v.setValue("\"q\\\n\u00e9\u20ac\ud83d\ude00\"");
                v.setType("std::vector<int>");
                v.setVariablesReference(i);
                v.setIndexedVariables(i);
                v.setNamedVariables(1);
                v.setMemoryReference(null);
            }
            vs[i] = v;
        }
        VariablesResponse r = new VariablesResponse();
        r.setVariables(vs);
        DebugResponseMessage m = new DebugResponseMessage();
        m.setId(0);
        m.setResponseId(0);
        m.setMethod("variables");
        m.setResult(r);
        return m;
    }
}

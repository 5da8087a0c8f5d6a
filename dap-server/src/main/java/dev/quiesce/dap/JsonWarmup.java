package dev.quiesce.dap;

import java.io.Writer;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesResponse;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugResponseMessage;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;

/**
 * Writes a made-up page of 1000 variables to nowhere, twice, on a low-priority thread when a
 * session starts (issue 14). The JVM runs C1 only and compiles a method after a few hundred
 * calls: a session's first real page otherwise spends ~9 ms in the JSON writer still
 * interpreted (bench/run --values, server-side timing), ~2 ms once compiled. Done once initialize
 * is answered, while the program is launched and its symbols read; ~20 ms of CPU once per session.
 */
final class JsonWarmup {
    private static final int ROUNDS = 2;
    private static final int PAGE = VariableRequests.MAX_PAGE;

    private JsonWarmup() {}

    static void start(MessageJsonHandler json) {
        Thread t = new Thread(() -> {
            DebugResponseMessage m = page();
            for (int i = 0; i < ROUNDS; i++) {
                json.serialize(m, Writer.nullWriter());
            }
            dev.quiesce.trace.StartupTrace.mark("json warmed");
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

package dev.quiesce.dap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugRequestMessage;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugResponseMessage;
import org.junit.jupiter.api.Test;

/** The order SyscallTest's refused-then-accepted disconnect met under load, replayed by hand. */
class ResponseHooksTest {
    private final ResponseHooks hooks = new ResponseHooks();
    private final AtomicInteger closed = new AtomicInteger();
    /** Stands for the handlers: each disconnect registers the connection's close. */
    private final MessageConsumer wrapped = hooks.wrap(message -> {
        if (message instanceof DebugRequestMessage) {
            hooks.afterResponse("disconnect", closed::incrementAndGet);
        }
    });

    @Test
    void aRefusedResponseWrittenAfterTheNextRequestArrivedLeavesThatRequestsAction() {
        wrapped.consume(request(4));
        // The client saw the refusal and sent disconnect 5 before the writer of response 4 finished.
        wrapped.consume(request(5));
        DebugResponseMessage refused = response(4);
        refused.setError(new ResponseError(2, "cannot detach", null));
        wrapped.consume(refused);
        assertEquals(0, closed.get(), "a failed disconnect closes nothing");
        wrapped.consume(response(5));
        assertEquals(1, closed.get(), "the accepted disconnect closes the connection once");
    }

    private static DebugRequestMessage request(int seq) {
        DebugRequestMessage m = new DebugRequestMessage();
        m.setId(seq);
        m.setMethod("disconnect");
        return m;
    }

    private static DebugResponseMessage response(int seq) {
        DebugResponseMessage m = new DebugResponseMessage();
        m.setId(seq);
        m.setResponseId(seq);
        m.setMethod("disconnect");
        return m;
    }
}

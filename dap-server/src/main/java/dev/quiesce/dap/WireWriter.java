package dev.quiesce.dap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.lsp4j.jsonrpc.JsonRpcException;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;

/**
 * Writes outgoing DAP messages (in place of LSP4J's StreamMessageConsumer): the JSON is encoded
 * straight into one UTF-8 buffer, header in front, and leaves in one write. LSP4J builds the text
 * in a StringWriter (a synchronized StringBuffer, one lock per token Gson writes), copies it to a
 * String and again to bytes, then writes header and body apart: for a 130 kB variables page
 * (issue 14) that is three copies and two system calls. Messages are written one at a time,
 * each whole, in the order they come.
 */
final class WireWriter implements MessageConsumer {
    /** Room before the body for "Content-Length: N\r\n\r\n". */
    static final int HEADER_ROOM = 32;
    /** A buffer grown past this for one large message is not kept for the next. */
    private static final int KEEP = 1 << 20;

    private final OutputStream out;
    private final MessageJsonHandler json;
    private Utf8Buffer buffer = new Utf8Buffer(HEADER_ROOM);

    WireWriter(OutputStream out, MessageJsonHandler json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public synchronized void consume(Message message) {
        Utf8Buffer b = buffer;
        b.reset();
        Utf8Buffer.SERIALIZING.set(b);
        try {
            json.serialize(message, b);
        } finally {
            Utf8Buffer.SERIALIZING.remove();
        }
        b.flushPending();
        dev.quiesce.trace.RequestTrace.mark("serialized " + b.size() + " bytes");
        byte[] bytes = b.bytes();
        int length = b.size() - HEADER_ROOM;
        byte[] header = ("Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int from = HEADER_ROOM - header.length;
        System.arraycopy(header, 0, bytes, from, header.length);
        try {
            out.write(bytes, from, header.length + length);
            out.flush();
            dev.quiesce.trace.RequestTrace.mark("written");
        } catch (IOException e) {
            throw new JsonRpcException(e);
        } finally {
            if (bytes.length > KEEP) {
                buffer = new Utf8Buffer(HEADER_ROOM);
            }
        }
    }
}

package dev.quiesce.dap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Random;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablePresentationHint;
import org.eclipse.lsp4j.debug.VariablesResponse;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugNotificationMessage;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugResponseMessage;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.junit.jupiter.api.Test;

/**
 * The outgoing path (issue 14): WireWriter's bytes equal LSP4J's StreamMessageConsumer's for the
 * same messages (header and body, UTF-8 of any text: escapes, non-ASCII, surrogate pairs and
 * unpaired halves), and the hand-written VariablesResponse/Variable adapters give the JSON
 * Gson's reflective ones give.
 */
class WireWriterTest {
    private final DapMessageParser json = new DapMessageParser(new LinkedHashMap<>(DapMethods.CLIENT));

    @Test
    void messagesAreTheBytesLsp4jWouldWrite() {
        Random random = new Random(14);
        for (int round = 0; round < 200; round++) {
            Message m = round % 3 == 0 ? output(text(random)) : page(random, 1 + random.nextInt(40));
            int r = round;
            assertArrayEquals(lsp4j(m), ours(m), () -> "message " + r + ": " + new String(lsp4j(m), StandardCharsets.UTF_8) + "\n" + new String(ours(m), StandardCharsets.UTF_8));
        }
    }

    @Test
    void utf8EncodingEqualsTheJdksWhateverTheWritesAreCutInto() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            String s = text(random);
            Utf8Buffer b = new Utf8Buffer(3);
            int i = 0;
            while (i < s.length()) { // pieces of any length, a surrogate pair cut in two included
                int n = Math.min(s.length() - i, random.nextInt(5));
                switch (random.nextInt(3)) {
                    case 0 -> b.write(s, i, n);
                    case 1 -> b.write(s.substring(i, i + n).toCharArray(), 0, n);
                    default -> {
                        n = Math.min(n, 1);
                        if (n == 1) {
                            b.write(s.charAt(i));
                        }
                    }
                }
                i += n;
            }
            b.flushPending();
            byte[] want = s.getBytes(StandardCharsets.UTF_8);
            byte[] got = java.util.Arrays.copyOfRange(b.bytes(), 3, b.size());
            assertArrayEquals(want, got, "text " + s.chars().mapToObj(Integer::toHexString).toList());
        }
    }

    @Test
    void variablesBodyEqualsTheReflectiveAdapters() {
        Random random = new Random(3);
        com.google.gson.Gson reflective = new com.google.gson.Gson();
        for (int round = 0; round < 50; round++) {
            DebugResponseMessage m = page(random, random.nextInt(20));
            VariablesResponse r = (VariablesResponse) m.getResult();
            String ours = json.getGson().toJson(r);
            assertEquals(JsonParser.parseString(reflective.toJson(r)), JsonParser.parseString(ours));
            assertEquals(reflective.toJson(r), ours, "same fields in the same order");
        }
    }

    private byte[] lsp4j(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StreamMessageConsumer(out, json).consume(m);
        return out.toByteArray();
    }

    private byte[] ours(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new WireWriter(out, json).consume(m);
        return out.toByteArray();
    }

    private static final String SPECIAL = "\"\\<>&='\u2028\u2029";

    private static String text(Random random) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(8)) {
                case 0 -> b.append((char) random.nextInt(0x20)); // control: escaped
                case 1 -> b.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
                case 2 -> b.append((char) (0x80 + random.nextInt(0x780))); // two bytes
                case 3 -> b.append((char) (0x800 + random.nextInt(0xD000))); // three bytes, no surrogates
                case 4 -> b.appendCodePoint(0x10000 + random.nextInt(0xFFFFF)); // a pair
                case 5 -> b.append((char) (0xD800 + random.nextInt(0x800))); // a lone half
                default -> b.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return b.toString();
    }

    private static DebugNotificationMessage output(String text) {
        OutputEventArguments o = new OutputEventArguments();
        o.setCategory("console");
        o.setOutput(text);
        DebugNotificationMessage m = new DebugNotificationMessage();
        m.setMethod("output");
        m.setParams(o);
        m.setId(12);
        return m;
    }

    /** Half the pages have presentation hints (written by JsonWriter), half none (written as bytes, VariableJson.array). */
    private static DebugResponseMessage page(Random random, int n) {
        boolean hints = random.nextBoolean();
        Variable[] vs = new Variable[n];
        for (int i = 0; i < n; i++) {
            Variable v = new Variable();
            v.setName("[" + i + "]");
            v.setValue(text(random));
            v.setType(random.nextBoolean() ? "int" : null);
            v.setEvaluateName(random.nextBoolean() ? "(v)[" + i + "]" : null);
            v.setVariablesReference(random.nextInt(3));
            if (random.nextBoolean()) {
                v.setIndexedVariables(random.nextInt(100));
                v.setNamedVariables(1);
            }
            if (hints && random.nextInt(4) == 0) {
                VariablePresentationHint h = new VariablePresentationHint();
                h.setKind("data");
                v.setPresentationHint(h);
            }
            if (random.nextInt(8) == 0) {
                v.setDeclarationLocationReference(random.nextInt(5));
                v.setValueLocationReference(random.nextInt(5));
            }
            if (random.nextBoolean()) {
                v.setMemoryReference("0x" + Long.toHexString(random.nextLong() >>> 16));
            }
            vs[i] = v;
        }
        VariablesResponse r = new VariablesResponse();
        r.setVariables(vs);
        DebugResponseMessage m = new DebugResponseMessage();
        m.setId(random.nextInt(1000) + 1);
        m.setResponseId(random.nextInt(1000) + 1);
        m.setMethod("variables");
        m.setResult(r);
        return m;
    }
}

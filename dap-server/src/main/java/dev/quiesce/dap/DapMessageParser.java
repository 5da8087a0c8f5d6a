package dev.quiesce.dap;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Map;
import org.eclipse.lsp4j.jsonrpc.MessageIssueException;
import org.eclipse.lsp4j.jsonrpc.debug.json.DebugMessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugRequestMessage;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.MessageIssue;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * LSP4J's message parser, made to answer every request it can: LSP4J reads a message as one
 * stream and, when an argument has the wrong JSON type, gives up without the {@code seq} and
 * {@code command} it had not reached yet (VS Code writes them after {@code arguments}), so no
 * response could be sent. Here the text is read as a JSON tree first: a request's seq and command
 * always come back, its arguments are checked against its handler's type ({@link ArgumentTypes}),
 * and a misfit becomes a message issue, which LSP4J answers with {@code success: false} and the
 * reason ({@code evaluate: argument 'format' must be an object, not 80944}).
 */
final class DapMessageParser extends DebugMessageJsonHandler {
    private final ArgumentTypes argumentTypes = new ArgumentTypes(getGson());

    DapMessageParser(Map<String, JsonRpcMethod> supportedMethods) {
        super(supportedMethods, gson -> gson.registerTypeAdapterFactory(new VariableJson()));
    }

    @Override
    public Message parseMessage(Reader input) {
        String text = readAll(input);
        JsonObject tree = tree(text);
        if (tree != null && "request".equals(string(tree.get("type")))) {
            checkRequest(tree);
        }
        try {
            return super.parseMessage(new StringReader(text));
        } catch (MessageIssueException e) {
            if (tree != null && e.getRpcMessage() instanceof DebugRequestMessage) {
                // LSP4J may have lost seq or command on the way: answer with the ones sent.
                throw new MessageIssueException(request(tree), e.getIssues());
            }
            throw e;
        } catch (RuntimeException e) {
            if (tree != null && "request".equals(string(tree.get("type")))) {
                // The envelope itself is off (a seq that is not a number, a command that is an
                // object): LSP4J throws past its own issue handling. Answer if the seq allows it.
                throw issue(tree, "could not parse the request: " + envelopeProblem(tree));
            }
            throw e;
        }
    }

    private void checkRequest(JsonObject tree) {
        JsonElement command = tree.get("command");
        if (command == null || command.isJsonNull()) {
            throw issue(tree, "the request has no 'command'");
        }
        if (!isString(command)) {
            throw issue(tree, "a request's 'command' must be a string, not " + ArgumentTypes.quote(command));
        }
        JsonRpcMethod method = getJsonRpcMethod(command.getAsString());
        if (method == null || method.getParameterTypes().length != 1) {
            return; // an unknown request is LSP4J's to refuse; one without parameters takes any
        }
        Type type = method.getParameterTypes()[0];
        String problem = argumentTypes.check(type, tree.get("arguments"));
        if (problem != null) {
            throw issue(tree, command.getAsString() + ": " + problem);
        }
    }

    private static String envelopeProblem(JsonObject tree) {
        JsonElement seq = tree.get("seq");
        if (seq == null) {
            return "'seq' is missing";
        }
        if (seqOf(tree) == null) {
            return "'seq' must be an integer from 1 to " + Integer.MAX_VALUE + ", not " + ArgumentTypes.quote(seq);
        }
        return "its arguments do not fit the '" + string(tree.get("command")) + "' request";
    }

    private static MessageIssueException issue(JsonObject tree, String text) {
        return new MessageIssueException(request(tree),
                new MessageIssue(text, ResponseErrorCode.InvalidParams.getValue()));
    }

    /** The request as far as a response needs it: seq (null when unusable) and command. */
    private static DebugRequestMessage request(JsonObject tree) {
        DebugRequestMessage request = new DebugRequestMessage();
        Integer seq = seqOf(tree);
        if (seq != null) {
            request.setId(seq);
        }
        request.setMethod(string(tree.get("command")));
        return request;
    }

    /** The seq if DAP allows it (an integer from 1 to 2^31-1), else null. */
    private static Integer seqOf(JsonObject tree) {
        JsonElement seq = tree.get("seq");
        if (seq == null || !seq.isJsonPrimitive() || !seq.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        try {
            BigDecimal value = seq.getAsBigDecimal();
            if (value.stripTrailingZeros().scale() > 0 || value.compareTo(BigDecimal.ONE) < 0
                    || value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                return null;
            }
            return value.intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** The message as a JSON object, or null if it is not one (LSP4J then says what it can). */
    private static JsonObject tree(String text) {
        try {
            JsonElement tree = JsonParser.parseString(text);
            return tree.isJsonObject() ? tree.getAsJsonObject() : null;
        } catch (JsonParseException | StackOverflowError e) {
            return null;
        }
    }

    private static boolean isString(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static String string(JsonElement e) {
        return e != null && isString(e) ? e.getAsString() : null;
    }

    private static String readAll(Reader input) {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        try {
            for (int n; (n = input.read(buffer)) != -1; ) {
                text.append(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}

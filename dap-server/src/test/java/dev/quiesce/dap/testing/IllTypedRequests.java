package dev.quiesce.dap.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Requests whose arguments are well typed but for one value, read off the official DAP schema
 * (and Quiesce's custom requests): for every command, every argument (and the arguments of its
 * object and array arguments, one level down), each JSON value of a kind the schema does not allow
 * there. The rest of each request carries what the schema requires, so the one wrong value is the
 * only thing a server can refuse it for.
 */
public final class IllTypedRequests {
    /** One request: the argument at {@code path} ("format", "breakpoints[0].line", "arguments") is wrong. */
    public record Case(String command, JsonElement arguments, String path) {
    }

    /** Commands the client never sends (the adapter sends them to the client). */
    private static final Set<String> REVERSE = Set.of("runInTerminal", "startDebugging");
    /** PRODUCT.md's custom requests, in the schema's terms. */
    private static final String CUSTOM = """
            {"stepSyscall": {"type": "object", "required": ["threadId"], "properties": {"threadId": {"type": "integer"}}},
             "signalPolicy": {"type": "object", "required": ["signal"], "properties": {"signal": {"type": "string"},
                 "stop": {"type": "boolean"}, "print": {"type": "boolean"}, "pass": {"type": "boolean"}}}}""";
    /** Wrong values by their JSON kind; "number" is a number that is not an int64. */
    private static final Map<String, List<JsonElement>> WRONG = Map.of(
            "boolean", List.of(new JsonPrimitive(false)),
            "integer", List.of(new JsonPrimitive(80944), new JsonPrimitive(-1)),
            "number", List.of(new JsonPrimitive(1.5), JsonParser.parseString("1e300")),
            "string", List.of(new JsonPrimitive("x"), new JsonPrimitive("")),
            "object", List.of(new JsonObject(), JsonParser.parseString("{\"k\": [1]}")),
            "array", List.of(new JsonArray(), JsonParser.parseString("[1, \"2\"]")));
    private static final List<String> KINDS = List.of("boolean", "integer", "number", "string", "object", "array");

    private final JsonObject definitions;

    private IllTypedRequests(JsonObject definitions) {
        this.definitions = definitions;
    }

    /** Every case for every command, from the schema the tests use. */
    public static List<Case> all() {
        String schemaFile = System.getProperty("quiesce.dap.schema");
        try {
            JsonObject schema = JsonParser.parseString(Files.readString(Path.of(schemaFile))).getAsJsonObject();
            return new IllTypedRequests(schema.getAsJsonObject("definitions")).cases();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Case> cases() {
        Map<String, JsonObject> argumentsByCommand = new TreeMap<>();
        for (Map.Entry<String, JsonElement> def : definitions.entrySet()) {
            JsonObject properties = ownProperties(def.getValue().getAsJsonObject());
            if (!def.getKey().endsWith("Request") || !properties.has("arguments")
                    || !properties.has("command") || !properties.getAsJsonObject("command").has("enum")) {
                continue;
            }
            String command = properties.getAsJsonObject("command").getAsJsonArray("enum").get(0).getAsString();
            if (!REVERSE.contains(command)) {
                argumentsByCommand.put(command, resolve(properties.getAsJsonObject("arguments")));
            }
        }
        JsonParser.parseString(CUSTOM).getAsJsonObject().entrySet()
                .forEach(e -> argumentsByCommand.put(e.getKey(), e.getValue().getAsJsonObject()));
        List<Case> cases = new ArrayList<>();
        argumentsByCommand.forEach((command, schema) -> {
            for (JsonElement wrong : wrongFor(schema)) {
                cases.add(new Case(command, wrong, "arguments"));
            }
            mutations(schema, "", 0, (path, arguments) -> cases.add(new Case(command, arguments, path)));
        });
        return cases;
    }

    private interface Sink {
        void add(String path, JsonObject arguments);
    }

    /** For each property of an object schema (and one level into it), a valid object with that one property wrong. */
    private void mutations(JsonObject objectSchema, String prefix, int depth, Sink sink) {
        JsonObject properties = properties(objectSchema);
        for (Map.Entry<String, JsonElement> property : properties.entrySet()) {
            String name = property.getKey();
            JsonObject schema = resolve(property.getValue().getAsJsonObject());
            for (JsonElement wrong : wrongFor(schema)) {
                JsonObject arguments = valid(objectSchema, depth);
                arguments.add(name, wrong);
                sink.add(prefix + name, arguments);
            }
            if (depth > 0) {
                continue;
            }
            if (kinds(schema).equals(Set.of("object"))) {
                mutations(schema, prefix + name + ".", depth + 1, (path, inner) -> {
                    JsonObject arguments = valid(objectSchema, depth);
                    arguments.add(name, inner);
                    sink.add(path, arguments);
                });
            } else if (kinds(schema).equals(Set.of("array")) && schema.has("items")) {
                JsonObject items = resolve(schema.getAsJsonObject("items"));
                if (kinds(items).equals(Set.of("object"))) {
                    mutations(items, prefix + name + "[0].", depth + 1, (path, inner) -> {
                        JsonObject arguments = valid(objectSchema, depth);
                        JsonArray array = new JsonArray();
                        array.add(inner);
                        arguments.add(name, array);
                        sink.add(path, arguments);
                    });
                }
            }
        }
    }

    /** An object with the required properties of the schema, each valid. */
    private JsonObject valid(JsonObject objectSchema, int depth) {
        JsonObject object = new JsonObject();
        JsonObject properties = properties(objectSchema);
        for (String name : required(objectSchema)) {
            if (!properties.has(name)) {
                continue;
            }
            JsonObject schema = resolve(properties.getAsJsonObject(name));
            object.add(name, sample(schema, depth + 1));
        }
        return object;
    }

    private JsonElement sample(JsonObject schema, int depth) {
        if (schema.has("enum")) {
            return schema.getAsJsonArray("enum").get(0);
        }
        Set<String> kinds = kinds(schema);
        if (kinds.contains("integer") || kinds.contains("number")) {
            return new JsonPrimitive(1);
        }
        if (kinds.contains("string")) {
            return new JsonPrimitive("x");
        }
        if (kinds.contains("boolean")) {
            return new JsonPrimitive(false);
        }
        if (kinds.contains("array")) {
            return new JsonArray();
        }
        return depth > 3 ? new JsonObject() : valid(schema, depth);
    }

    /** Values of a kind the schema does not allow; none for a schema that takes anything. */
    private static List<JsonElement> wrongFor(JsonObject schema) {
        Set<String> kinds = kinds(schema);
        List<JsonElement> wrong = new ArrayList<>();
        for (String kind : KINDS) {
            boolean allowed = kinds.contains(kind) || (kind.equals("integer") && kinds.contains("number"));
            if (!allowed && !kinds.isEmpty()) {
                wrong.addAll(WRONG.get(kind));
            }
        }
        return wrong;
    }

    /** The JSON kinds a schema allows; empty when it does not say (anything goes). */
    private static Set<String> kinds(JsonObject schema) {
        Set<String> kinds = new LinkedHashSet<>();
        JsonElement type = schema.get("type");
        if (type != null && type.isJsonArray()) {
            type.getAsJsonArray().forEach(t -> kinds.add(t.getAsString()));
        } else if (type != null) {
            kinds.add(type.getAsString());
        } else if (schema.has("properties")) {
            kinds.add("object");
        }
        kinds.remove("null");
        return kinds.size() >= 6 ? Set.of() : kinds;
    }

    /** The schema with its $ref followed and its allOf members merged (properties, required, type). */
    private JsonObject resolve(JsonObject schema) {
        JsonObject merged = new JsonObject();
        merge(schema, merged, 0);
        return merged;
    }

    private void merge(JsonObject schema, JsonObject into, int depth) {
        if (depth > 8) {
            return;
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").getAsString().substring("#/definitions/".length());
            merge(definitions.getAsJsonObject(name), into, depth + 1);
        }
        if (schema.has("allOf")) {
            schema.getAsJsonArray("allOf").forEach(m -> merge(m.getAsJsonObject(), into, depth + 1));
        }
        for (Map.Entry<String, JsonElement> entry : schema.entrySet()) {
            switch (entry.getKey()) {
                case "properties" -> {
                    if (!into.has("properties")) {
                        into.add("properties", new JsonObject());
                    }
                    entry.getValue().getAsJsonObject().entrySet()
                            .forEach(p -> into.getAsJsonObject("properties").add(p.getKey(), p.getValue()));
                }
                case "required" -> {
                    if (!into.has("required")) {
                        into.add("required", new JsonArray());
                    }
                    into.getAsJsonArray("required").addAll(entry.getValue().getAsJsonArray());
                }
                case "type", "enum", "items" -> into.add(entry.getKey(), entry.getValue());
                default -> {
                }
            }
        }
    }

    private static JsonObject properties(JsonObject schema) {
        return schema.has("properties") ? schema.getAsJsonObject("properties") : new JsonObject();
    }

    private static List<String> required(JsonObject schema) {
        List<String> names = new ArrayList<>();
        if (schema.has("required")) {
            schema.getAsJsonArray("required").forEach(n -> names.add(n.getAsString()));
        }
        return names;
    }

    /** A Request definition's own (second allOf member's) properties. */
    private static JsonObject ownProperties(JsonObject def) {
        JsonObject properties = new JsonObject();
        if (def.has("allOf")) {
            for (JsonElement member : def.getAsJsonArray("allOf")) {
                JsonObject m = member.getAsJsonObject();
                if (m.has("properties")) {
                    m.getAsJsonObject("properties").entrySet().forEach(p -> properties.add(p.getKey(), p.getValue()));
                }
            }
        }
        return properties;
    }
}

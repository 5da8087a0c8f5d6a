package dev.quiesce.dap.schema;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small JSON-Schema checker for DAP messages, driven by the official
 * {@code debugAdapterProtocol.json} (draft-04 style).
 *
 * <p>Checked keywords: {@code $ref} (local {@code #/definitions/X} only), {@code allOf},
 * {@code anyOf}, {@code oneOf} (treated like anyOf, see {@link #checkAlternatives}),
 * {@code type}, {@code enum}, {@code properties}, {@code required},
 * {@code additionalProperties}, {@code items}, {@code minimum}, {@code maximum}, and the integer
 * widths DAP states with {@code format} ({@code int32}, {@code uint32}, {@code int64},
 * {@code uint64}). No deviation from the schema is tolerated: an error response needs its
 * {@code body} like any message its required properties. Everything else ({@code _enum}, an open
 * set of suggestions, {@code description}, ...) says nothing a message must do.
 */
public final class DapSchemaValidator {

    /** System property that overrides where {@link #loadDefault()} looks for the schema. */
    public static final String SCHEMA_PROPERTY = "quiesce.dap.schema";

    private static final String SCHEMA_FILE = "debugAdapterProtocol.json";
    private static final String REF_PREFIX = "#/definitions/";
    /** The integer formats the schema uses, and the range each allows. */
    private static final Map<String, BigDecimal[]> INTEGER_WIDTHS = Map.of(
            "int32", new BigDecimal[] {BigDecimal.valueOf(Integer.MIN_VALUE), BigDecimal.valueOf(Integer.MAX_VALUE)},
            "uint32", new BigDecimal[] {BigDecimal.ZERO, BigDecimal.valueOf(0xFFFF_FFFFL)},
            "int64", new BigDecimal[] {BigDecimal.valueOf(Long.MIN_VALUE), BigDecimal.valueOf(Long.MAX_VALUE)},
            "uint64", new BigDecimal[] {BigDecimal.ZERO, new BigDecimal("18446744073709551615")});

    private final Map<String, JsonObject> definitions = new HashMap<>();
    /** command name -> request definition name, e.g. "stackTrace" -> "StackTraceRequest". */
    private final Map<String, String> requestsByCommand = new HashMap<>();
    /** event name -> event definition name, e.g. "stopped" -> "StoppedEvent". */
    private final Map<String, String> eventsByName = new HashMap<>();

    private DapSchemaValidator(JsonObject schema) {
        JsonObject defs = schema.getAsJsonObject("definitions");
        if (defs == null) {
            throw new IllegalArgumentException("schema has no 'definitions'");
        }
        defs.entrySet().forEach(e -> definitions.put(e.getKey(), e.getValue().getAsJsonObject()));
        List.of("ProtocolMessage", "Request", "Response", "Event").forEach(this::definition); // fail fast
        indexMessages();
    }

    public static DapSchemaValidator load(Path schemaFile) {
        try (Reader reader = Files.newBufferedReader(schemaFile, StandardCharsets.UTF_8)) {
            return new DapSchemaValidator(JsonParser.parseReader(reader).getAsJsonObject());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read DAP schema " + schemaFile, e);
        }
    }

    /**
     * Loads the schema from system property {@value #SCHEMA_PROPERTY} if set, otherwise from
     * {@code shared/dap/} or {@code ../shared/dap/} next to the working directory or any ancestor.
     */
    public static DapSchemaValidator loadDefault() {
        String configured = System.getProperty(SCHEMA_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return load(Path.of(configured));
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            for (String relative : List.of("shared/dap/", "../shared/dap/")) {
                Path candidate = dir.resolve(relative + SCHEMA_FILE).normalize();
                if (Files.isRegularFile(candidate)) {
                    return load(candidate);
                }
            }
        }
        throw new IllegalStateException("DAP schema " + SCHEMA_FILE + " not found above " + start
                + "; set -D" + SCHEMA_PROPERTY + "=<path>");
    }

    /** Indexes XxxRequest by command and XxxEvent by event name (from their single-value enums). */
    private void indexMessages() {
        definitions.forEach((name, def) -> {
            if (extendsBase(def, "Request")) {
                enumValues(def, "command").forEach(c -> requestsByCommand.put(c, name));
            } else if (extendsBase(def, "Event")) {
                enumValues(def, "event").forEach(e -> eventsByName.put(e, name));
            }
        });
    }

    /** True if the definition's allOf contains exactly {@code {"$ref": "#/definitions/<base>"}}. */
    private static boolean extendsBase(JsonObject def, String base) {
        JsonObject ref = new JsonObject();
        ref.addProperty("$ref", REF_PREFIX + base);
        JsonArray allOf = def.getAsJsonArray("allOf");
        return allOf != null && allOf.contains(ref);
    }

    private static List<String> enumValues(JsonObject def, String property) {
        List<String> values = new ArrayList<>();
        for (JsonElement member : def.getAsJsonArray("allOf")) {
            JsonObject props = member.getAsJsonObject().getAsJsonObject("properties");
            JsonObject prop = props == null ? null : props.getAsJsonObject(property);
            if (prop != null && prop.has("enum")) {
                prop.getAsJsonArray("enum").forEach(v -> values.add(v.getAsString()));
            }
        }
        return values;
    }

    private JsonObject definition(String name) {
        JsonObject def = definitions.get(name);
        if (def == null) {
            throw new IllegalArgumentException("schema has no definition '" + name + "'");
        }
        return def;
    }

    /**
     * The definition a message is checked against: e.g. "StoppedEvent", "StackTraceResponse",
     * "ErrorResponse" (any response with {@code success: false}), or the base
     * "Event"/"Response"/"Request" for names the schema does not know (custom commands).
     */
    public String definitionFor(JsonObject message) {
        String type = stringMember(message, "type");
        if ("event".equals(type)) {
            return eventsByName.getOrDefault(stringMember(message, "event"), "Event");
        }
        String request = requestsByCommand.get(stringMember(message, "command"));
        if ("request".equals(type)) {
            return request != null ? request : "Request";
        }
        if ("response".equals(type)) {
            JsonElement success = message.get("success");
            if (success != null && success.equals(new JsonPrimitive(false))) {
                return "ErrorResponse";
            }
            String response = request == null ? null : request.replaceFirst("Request$", "Response");
            return response != null && definitions.containsKey(response) ? response : "Response";
        }
        return "ProtocolMessage";
    }

    /**
     * Returns all violations as "JSON path: problem (definition)", e.g.
     * {@code $.body.threads[0].name: required property missing (Thread)}; empty means valid.
     */
    public List<String> validate(JsonObject message) {
        List<String> violations = new ArrayList<>();
        String defName = definitionFor(message);
        if (defName.equals("ProtocolMessage")) {
            // ProtocolMessage.type is only an open "_enum", so enforce the three kinds here.
            violations.add("$.type: must be one of \"request\", \"response\", \"event\" (ProtocolMessage)");
        }
        new Run(violations, new HashSet<>()).check(message, definition(defName), "$", defName);
        return violations;
    }

    /** Throws an AssertionError listing every violation plus the message JSON. */
    public void assertValid(JsonObject message) {
        List<String> violations = validate(message);
        if (!violations.isEmpty()) {
            throw new AssertionError("DAP message violates " + definitionFor(message) + ":\n  "
                    + String.join("\n  ", violations) + "\nmessage: " + message);
        }
    }

    private static String stringMember(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
                ? value.getAsString() : null;
    }

    /** One validation pass; collects violations and guards against $ref loops. */
    private final class Run {
        private final List<String> out;
        /** "path#ref" pairs being expanded; a repeat means a $ref cycle that consumes no data. */
        private final Set<String> activeRefs;

        Run(List<String> out, Set<String> activeRefs) {
            this.out = out;
            this.activeRefs = activeRefs;
        }

        void check(JsonElement value, JsonObject schema, String path, String def) {
            if (schema.has("$ref")) {
                followRef(value, schema.get("$ref").getAsString(), path);
            }
            if (schema.has("allOf")) {
                // Each member is checked on its own; their properties/required simply add up.
                schema.getAsJsonArray("allOf").forEach(m -> check(value, m.getAsJsonObject(), path, def));
            }
            for (String keyword : List.of("anyOf", "oneOf")) {
                if (schema.has(keyword)) {
                    checkAlternatives(value, schema.getAsJsonArray(keyword), keyword, path, def);
                }
            }
            if (schema.has("type") && !checkType(value, schema.get("type"), path, def)) {
                return; // wrong type: deeper checks would only add noise
            }
            if (schema.has("enum") && !schema.getAsJsonArray("enum").contains(value)) {
                report(path, "value " + value + " not in enum " + schema.get("enum"), def);
            }
            checkRange(value, schema, path, def);
            checkWidth(value, schema, path, def);
            if (value.isJsonObject()) {
                checkObject(value.getAsJsonObject(), schema, path, def);
            }
            if (value.isJsonArray() && schema.has("items") && schema.get("items").isJsonObject()) {
                JsonArray array = value.getAsJsonArray();
                for (int i = 0; i < array.size(); i++) {
                    check(array.get(i), schema.getAsJsonObject("items"), path + "[" + i + "]", def);
                }
            }
        }

        private void followRef(JsonElement value, String ref, String path) {
            String name = ref.startsWith(REF_PREFIX) ? ref.substring(REF_PREFIX.length()) : ref;
            if (!definitions.containsKey(name)) {
                report(path, "unresolvable $ref " + ref, "schema");
                return;
            }
            String key = path + "#" + name;
            if (!activeRefs.add(key)) {
                return; // already checking this definition at this very path
            }
            try {
                check(value, definitions.get(name), path, name);
            } finally {
                activeRefs.remove(key);
            }
        }

        /**
         * anyOf and oneOf both pass when at least one alternative matches. oneOf is not made
         * exclusive on purpose: DAP's only oneOf (RestartArguments.arguments: Launch- or
         * AttachRequestArguments) has alternatives that any object satisfies at once.
         */
        private void checkAlternatives(JsonElement value, JsonArray alternatives, String keyword,
                                       String path, String def) {
            List<String> reasons = new ArrayList<>();
            for (JsonElement alternative : alternatives) {
                List<String> found = new ArrayList<>();
                new Run(found, activeRefs).check(value, alternative.getAsJsonObject(), path, def);
                if (found.isEmpty()) {
                    return;
                }
                reasons.add(String.join("; ", found));
            }
            report(path, "matches none of the " + keyword + " alternatives: ["
                    + String.join("] [", reasons) + "]", def);
        }

        private boolean checkType(JsonElement value, JsonElement type, String path, String def) {
            // "type" is either one name or an array of names, e.g. DAP's "any" = all seven types.
            List<String> allowed = new ArrayList<>();
            Iterable<JsonElement> names = type.isJsonArray() ? type.getAsJsonArray() : List.of(type);
            names.forEach(t -> allowed.add(t.getAsString()));
            if (allowed.stream().anyMatch(t -> hasType(value, t))) {
                return true;
            }
            String expected = allowed.size() == 1 ? allowed.get(0) : "one of " + allowed;
            report(path, "expected " + expected + " but was " + describe(value), def);
            return false;
        }

        private void checkRange(JsonElement value, JsonObject schema, String path, String def) {
            BigDecimal number = decimal(value);
            if (number == null) {
                return;
            }
            // draft-04: minimum/maximum are inclusive unless exclusiveMinimum/Maximum (unused by DAP).
            if (schema.has("minimum") && number.compareTo(schema.get("minimum").getAsBigDecimal()) < 0) {
                report(path, "value " + value + " is below minimum " + schema.get("minimum"), def);
            }
            if (schema.has("maximum") && number.compareTo(schema.get("maximum").getAsBigDecimal()) > 0) {
                report(path, "value " + value + " is above maximum " + schema.get("maximum"), def);
            }
        }

        /** DAP's {@code format} on integers: the value must fit that many bits. */
        private void checkWidth(JsonElement value, JsonObject schema, String path, String def) {
            BigDecimal number = decimal(value);
            JsonElement format = schema.get("format");
            if (number == null || format == null || !format.isJsonPrimitive()) {
                return;
            }
            BigDecimal[] range = INTEGER_WIDTHS.get(format.getAsString());
            if (range != null && (number.compareTo(range[0]) < 0 || number.compareTo(range[1]) > 0)) {
                report(path, "value " + value + " does not fit " + format.getAsString(), def);
            }
        }

        private void checkObject(JsonObject object, JsonObject schema, String path, String def) {
            JsonObject properties = schema.has("properties")
                    ? schema.getAsJsonObject("properties") : new JsonObject();
            if (schema.has("required")) {
                for (JsonElement name : schema.getAsJsonArray("required")) {
                    if (!object.has(name.getAsString())) {
                        report(path + "." + name.getAsString(), "required property missing", def);
                    }
                }
            }
            JsonElement additional = schema.get("additionalProperties"); // absent means "anything goes"
            for (Map.Entry<String, JsonElement> member : object.entrySet()) {
                String childPath = path + "." + member.getKey();
                if (properties.has(member.getKey())) {
                    check(member.getValue(), properties.getAsJsonObject(member.getKey()), childPath, def);
                } else if (additional != null && additional.isJsonObject()) {
                    check(member.getValue(), additional.getAsJsonObject(), childPath, def);
                } else if (additional != null && additional.isJsonPrimitive() && !additional.getAsBoolean()) {
                    report(childPath, "property not allowed (additionalProperties is false)", def);
                }
            }
        }

        private void report(String path, String problem, String def) {
            out.add(path + ": " + problem + " (" + def + ")");
        }
    }

    private static boolean hasType(JsonElement value, String type) {
        return switch (type) {
            case "object" -> value.isJsonObject();
            case "array" -> value.isJsonArray();
            case "null" -> value.isJsonNull();
            case "string" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
            case "boolean" -> value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean();
            case "number" -> decimal(value) != null;
            case "integer" -> isInteger(value);
            default -> throw new IllegalArgumentException("unknown JSON Schema type '" + type + "'");
        };
    }

    /**
     * draft-04: an integer is a JSON number written without fraction or exponent, so "1.0"
     * (what Gson emits for a Java double) is rejected as well as 1.5.
     */
    private static boolean isInteger(JsonElement value) {
        if (decimal(value) == null) {
            return false;
        }
        String text = value.getAsJsonPrimitive().getAsNumber().toString();
        return text.chars().noneMatch(c -> c == '.' || c == 'e' || c == 'E');
    }

    /** The value as a finite number, or null if it is not a JSON number. */
    private static BigDecimal decimal(JsonElement value) {
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        try {
            return value.getAsJsonPrimitive().getAsBigDecimal();
        } catch (NumberFormatException e) {
            return null; // NaN / Infinity are not JSON numbers
        }
    }

    private static String describe(JsonElement value) {
        if (value.isJsonPrimitive()) {
            return (value.getAsJsonPrimitive().isString() ? "string " : "") + value;
        }
        return value.isJsonObject() ? "object" : value.isJsonArray() ? "array" : "null";
    }
}

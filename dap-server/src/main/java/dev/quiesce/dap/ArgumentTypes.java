package dev.quiesce.dap;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.jsonrpc.validation.NonNull;

/**
 * Checks a request's raw JSON arguments against the Java type its handler takes, strictly (a
 * string where a number goes is refused, not coerced the way Gson would), and names the first
 * argument that does not fit: {@code argument 'format' must be an object, not 80944}.
 *
 * <p>LSP4J's generated argument classes mark what DAP requires: {@code @NonNull} on objects and
 * strings, a primitive type for numbers and booleans. A JSON {@code null} counts as absent.
 */
final class ArgumentTypes {
    /** How much of a wrong value a message quotes. */
    private static final int QUOTE_LIMIT = 40;
    /** Nesting a check follows at most; DAP's argument types are a few levels deep. */
    private static final int DEPTH_LIMIT = 32;

    private final Gson gson;

    /** @param gson LSP4J's, which knows how enums are spelt on the wire */
    ArgumentTypes(Gson gson) {
        this.gson = gson;
    }

    /**
     * The problem with {@code arguments} (absent or null: none) for a handler taking {@code type},
     * without the command's name, e.g. {@code argument 'threadId' must be an integer, not "x"};
     * null if they fit.
     */
    String check(Type type, JsonElement arguments) {
        if (arguments == null || arguments.isJsonNull()) {
            return null; // the handler says what it misses
        }
        return new Walk().check(type, arguments, null, 0);
    }

    private final class Walk {
        String check(Type type, JsonElement value, String path, int depth) {
            if (depth > DEPTH_LIMIT) {
                return null;
            }
            Class<?> raw = rawClass(type);
            if (raw == Object.class || JsonElement.class.isAssignableFrom(raw)) {
                return null;
            }
            if (raw == Either.class) {
                return either((ParameterizedType) type, value, path, depth);
            }
            if (!fits(raw, value)) {
                return wrong(path, expected(type, value), value);
            }
            if (raw.isEnum()) {
                return enumValue(raw, value, path);
            }
            if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
                JsonArray array = value.getAsJsonArray();
                Type element = elementType(type);
                for (int i = 0; i < array.size(); i++) {
                    if (array.get(i).isJsonNull()) {
                        continue;
                    }
                    String problem = check(element, array.get(i), (path == null ? "arguments" : path) + "[" + i + "]", depth + 1);
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            if (Map.class.isAssignableFrom(raw)) {
                Type valueType = typeArgument(type, 1);
                for (Map.Entry<String, JsonElement> member : value.getAsJsonObject().entrySet()) {
                    if (!member.getValue().isJsonNull()) {
                        String problem = check(valueType, member.getValue(), join(path, member.getKey()), depth + 1);
                        if (problem != null) {
                            return problem;
                        }
                    }
                }
                return null;
            }
            if (value.isJsonObject()) {
                return fields(raw, value.getAsJsonObject(), path, depth);
            }
            return null;
        }

        private String fields(Class<?> raw, JsonObject object, String path, int depth) {
            for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || Modifier.isTransient(field.getModifiers()) || field.isSynthetic()) {
                        continue;
                    }
                    String name = jsonName(field);
                    JsonElement member = object.get(name);
                    String fieldPath = join(path, name);
                    if (member == null || member.isJsonNull()) {
                        if (field.getType().isPrimitive() || field.isAnnotationPresent(NonNull.class)) {
                            return "argument '" + fieldPath + "' is required";
                        }
                        continue;
                    }
                    String problem = check(field.getGenericType(), member, fieldPath, depth + 1);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            return null;
        }

        private String either(ParameterizedType type, JsonElement value, String path, int depth) {
            Type left = type.getActualTypeArguments()[0];
            Type right = type.getActualTypeArguments()[1];
            String leftProblem = check(left, value, path, depth + 1);
            if (leftProblem == null || check(right, value, path, depth + 1) == null) {
                return null;
            }
            String either = expected(left, value);
            String or = expected(right, value);
            return wrong(path, either.equals(or) ? either : either + " or " + or, value);
        }

        private String enumValue(Class<?> raw, JsonElement value, String path) {
            List<String> names = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                names.add(gson.toJsonTree(constant).getAsString());
            }
            return names.contains(value.getAsString()) ? null : wrong(path, expected(raw, value), value);
        }
    }

    private static boolean fits(Class<?> raw, JsonElement value) {
        Class<?> boxed = box(raw);
        if (boxed == String.class || raw.isEnum()) {
            return value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
        }
        if (boxed == Boolean.class) {
            return value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean();
        }
        if (Number.class.isAssignableFrom(boxed)) {
            return number(boxed, value);
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            return value.isJsonArray();
        }
        return value.isJsonObject(); // a Map or an argument class
    }

    private static boolean number(Class<?> boxed, JsonElement value) {
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return false;
        }
        BigDecimal n;
        try {
            n = value.getAsBigDecimal();
        } catch (NumberFormatException e) {
            return false; // NaN, Infinity: not JSON numbers
        }
        if (boxed == Integer.class || boxed == Long.class || boxed == Short.class || boxed == Byte.class) {
            return n.stripTrailingZeros().scale() <= 0 && n.compareTo(BigDecimal.valueOf(min(boxed))) >= 0
                    && n.compareTo(BigDecimal.valueOf(max(boxed))) <= 0;
        }
        return true;
    }

    private static long min(Class<?> integer) {
        return integer == Long.class ? Long.MIN_VALUE : integer == Short.class ? Short.MIN_VALUE
                : integer == Byte.class ? Byte.MIN_VALUE : Integer.MIN_VALUE;
    }

    private static long max(Class<?> integer) {
        return integer == Long.class ? Long.MAX_VALUE : integer == Short.class ? Short.MAX_VALUE
                : integer == Byte.class ? Byte.MAX_VALUE : Integer.MAX_VALUE;
    }

    /**
     * What a value of this type looks like in JSON, for a person: "an integer", "an array"; the
     * range of an integer only when {@code actual} is a whole number outside it.
     */
    private String expected(Type type, JsonElement actual) {
        Class<?> raw = rawClass(type);
        Class<?> boxed = box(raw);
        if (raw == Either.class && type instanceof ParameterizedType p) {
            return expected(p.getActualTypeArguments()[0], actual) + " or " + expected(p.getActualTypeArguments()[1], actual);
        }
        if (boxed == String.class) {
            return "a string";
        }
        if (boxed == Boolean.class) {
            return "true or false";
        }
        if (boxed == Integer.class || boxed == Long.class || boxed == Short.class || boxed == Byte.class) {
            return wholeNumber(actual) ? "an integer from " + min(boxed) + " to " + max(boxed) : "an integer";
        }
        if (Number.class.isAssignableFrom(boxed)) {
            return "a number";
        }
        if (raw.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                names.add(gson.toJsonTree(constant).toString());
            }
            return "one of " + String.join(", ", names);
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            return "an array";
        }
        return "an object";
    }

    private static boolean wholeNumber(JsonElement value) {
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return false;
        }
        try {
            return value.getAsBigDecimal().stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String wrong(String path, String expected, JsonElement value) {
        String subject = path == null ? "'arguments'" : "argument '" + path + "'";
        return subject + " must be " + expected + ", not " + quote(value);
    }

    /** The value as JSON, shortened: a message must stay readable whatever was sent. */
    static String quote(JsonElement value) {
        String text = value.toString();
        return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "…";
    }

    private static String join(String path, String name) {
        return path == null ? name : path + "." + name;
    }

    private static String jsonName(Field field) {
        SerializedName name = field.getAnnotation(SerializedName.class);
        return name != null ? name.value() : field.getName();
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return c == int.class ? Integer.class : c == long.class ? Long.class : c == boolean.class ? Boolean.class
                : c == double.class ? Double.class : c == float.class ? Float.class : c == short.class ? Short.class
                : c == byte.class ? Byte.class : c == char.class ? String.class : Object.class;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return rawClass(p.getRawType());
        }
        if (type instanceof GenericArrayType g) {
            return java.lang.reflect.Array.newInstance(rawClass(g.getGenericComponentType()), 0).getClass();
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        return Object.class;
    }

    private static Type elementType(Type type) {
        if (type instanceof Class<?> c && c.isArray()) {
            return c.getComponentType();
        }
        if (type instanceof GenericArrayType g) {
            return g.getGenericComponentType();
        }
        return typeArgument(type, 0);
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}

package dev.quiesce.dap;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import dev.quiesce.values.ValueFormatter;
import dev.quiesce.values.Values;
import dev.quiesce.values.stl.StlView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A container's children, read when asked for and only the page asked for: an array's
 * elements are read one page at a time, a pointer's target one level per request (a ring
 * of {@code next} pointers expands as far as the user clicks, never further).
 */
interface Children {
    long size();

    List<Child> page(long start, int count);

    /** A page of only the indexed (elements) or only the named children, as DAP's {@code filter} asks. */
    default List<Child> page(long start, int count, boolean indexedOnly, boolean namedOnly) {
        return page(start, count);
    }

    /** The child of that name ({@code [7]} in an array), for setVariable. */
    default Optional<Child> named(String name) {
        return page(0, (int) Math.min(size(), VariableRequests.MAX_PAGE)).stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** A short list, all read at once (members, locals, registers). */
    static Children of(Supplier<List<Child>> all) {
        return new Children() {
            private volatile List<Child> read; // requests' work threads: at worst two read it

            private List<Child> all() {
                if (read == null) {
                    read = all.get();
                }
                return read;
            }

            @Override
            public long size() {
                return all().size();
            }

            @Override
            public List<Child> page(long start, int count) {
                List<Child> a = all();
                int from = (int) Math.min(start, a.size());
                return a.subList(from, (int) Math.min(a.size(), from + (long) count));
            }
        };
    }

    /** The value, or one that shows why it cannot be read ({@code <error: ...>}), of {@code type} when known. */
    static Value safe(Supplier<Value> read, Type type) {
        try {
            return read.get();
        } catch (ValueException e) {
            return Value.error(type == null ? Type.VOID : type, e);
        }
    }

    /**
     * One row: a name, its value, and the C expression that reads it again. {@code raw}: a
     * library object's {@code [raw]} child, shown as its plain struct rather than by its formatter.
     */
    record Child(String name, Value value, String evaluateName, boolean raw) {
        Child(String name, Value value, String evaluateName) {
            this(name, value, evaluateName, false);
        }
    }

    /**
     * A library object's children: its elements ({@code [0]}..., a map's {@code [key]}) read a
     * page at a time from the formatter, then {@code [raw]}, the object's plain members. A DAP
     * filter asks for the elements alone ("indexed") or the rest ("named").
     */
    record LibraryElements(Values values, StlView view, Value object, String evaluateName, long elements) implements Children {
        /** A key the expression parser reads back as written: an integer or a plain string literal. */
        private static final java.util.regex.Pattern SIMPLE_KEY = java.util.regex.Pattern.compile("-?\\d+|\"[^\"\\\\]*\"");

        @Override
        public long size() {
            return elements + 1;
        }

        @Override
        public List<Child> page(long start, int count, boolean indexedOnly, boolean namedOnly) {
            if (namedOnly && view.indexed()) {
                return List.of(raw());
            }
            if (indexedOnly && view.indexed()) {
                return elements(start, count);
            }
            return page(start, count);
        }

        @Override
        public List<Child> page(long start, int count) {
            List<Child> out = new ArrayList<>(elements(start, count));
            if (start + count > elements) {
                out.add(raw());
            }
            return out;
        }

        private Child raw() {
            return new Child("[raw]", object, evaluateName, true);
        }

        private List<Child> elements(long start, int count) {
            if (start >= elements) {
                return List.of();
            }
            RequestDeadline.doingNow("reading elements " + start + ".. of '" + evaluateName + "'");
            ValueFormatter keys = new ValueFormatter(values, false);
            List<Child> out = new ArrayList<>();
            long i = start;
            for (StlView.Child c : view.children(start, (int) Math.min(count, elements - start))) {
                String name;
                String en;
                if (view.hint() == StlView.Hint.MAP) {
                    String key = keys.format(c.key());
                    name = "[" + key + "]";
                    en = SIMPLE_KEY.matcher(key).matches() ? "(" + evaluateName + ")" + name : null;
                } else if (view.hint() == StlView.Hint.ARRAY) {
                    name = "[" + i + "]";
                    en = "(" + evaluateName + ")" + name;
                } else {
                    name = c.name();
                    en = switch (name) {
                        case "get()" -> "(" + evaluateName + ").get()";
                        case "*", "[contained value]" -> "*(" + evaluateName + ")";
                        case "first", "second" -> "(" + evaluateName + ")." + name;
                        default -> null;
                    };
                }
                out.add(new Child(name, c.value(), en));
                i++;
            }
            return out;
        }
    }

    /** An array's elements, each read only when its page is asked for (the array may have 2^60 of them). */
    record ArrayElements(Values values, Value array, String evaluateName, long size) implements Children {
        @Override
        public List<Child> page(long start, int count) {
            List<Child> out = new ArrayList<>();
            for (long i = start; i < size && i < start + count; i++) {
                long k = i;
                RequestDeadline.doingNow("reading '(" + evaluateName + ")[" + i + "]'");
                out.add(new Child("[" + i + "]", safe(() -> values.element(array, k), Values.elementType(array.type())),
                        "(" + evaluateName + ")[" + i + "]"));
            }
            return out;
        }

        @Override
        public Optional<Child> named(String name) {
            if (!name.matches("\\[\\d{1,18}]")) {
                return Optional.empty();
            }
            long i = Long.parseLong(name.substring(1, name.length() - 1));
            return i < size ? Optional.of(page(i, 1).get(0)) : Optional.empty();
        }
    }
}

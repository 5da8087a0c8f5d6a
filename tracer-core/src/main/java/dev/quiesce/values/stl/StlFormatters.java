package dev.quiesce.values.stl;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.Values;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry: recognises a C++ standard-library object by its type's DWARF name (the template
 * name once {@code std::}, {@code std::__cxx11::} or {@code std::__1::} and the arguments are
 * stripped) and gives the family's view of it. Everything else is formatted as a plain struct.
 */
public final class StlFormatters {
    private static final List<Family> FAMILIES = List.of(new Strings(), new Vectors(), new Deques(), new Lists(),
            new Trees(), new Hashtables(), new SmartPointers(), new Utilities(), new Iterators());
    private static final Map<String, Family> BY_TEMPLATE = new HashMap<>();

    static {
        for (Family f : FAMILIES) {
            for (String t : f.templates()) {
                BY_TEMPLATE.put(t, f);
            }
        }
    }

    private StlFormatters() {
    }

    /** The template name of a library type ({@code vector} for {@code std::__1::vector<int>}); empty for other types. */
    public static Optional<String> template(Type t) {
        Type s = t.strip();
        if (s.rust()) {
            return RustStd.knows(s) ? Optional.of(RustStd.path(s)) : Optional.empty();
        }
        if (s.kind() != Type.Kind.STRUCT && s.kind() != Type.Kind.CLASS || s.rawName() == null) {
            return Optional.empty();
        }
        String name = s.rawName();
        int lt = name.indexOf('<');
        String head = lt < 0 ? name : name.substring(0, lt);
        for (String prefix : List.of("std::__cxx11::", "std::__1::", "std::", "__gnu_cxx::")) {
            if (head.startsWith(prefix)) {
                String rest = head.substring(prefix.length());
                return rest.contains("::") ? Optional.empty() : Optional.of(rest);
            }
        }
        return Optional.empty();
    }

    /** Whether a type is one the formatters show (a template in the registry, not shown as its raw struct). */
    public static boolean knows(Type t) {
        if (t.strip().rust()) {
            return RustStd.knows(t);
        }
        return template(t).map(BY_TEMPLATE::containsKey).orElse(false) && !template(t).get().equals("array");
    }

    /** The formatter's view of a value, if it is a standard-library object we format. */
    public static Optional<StlView> view(Values values, Value v) {
        if (v.type().strip().rust()) {
            return RustStd.view(values, v);
        }
        Optional<String> template = template(v.type());
        if (template.isEmpty()) {
            return Optional.empty();
        }
        Family f = BY_TEMPLATE.get(template.get());
        if (f == null) {
            return Optional.empty();
        }
        boolean libcxx = v.type().strip().rawName().startsWith("std::__1::");
        return Optional.of(f.view(new Obj(values, v, template.get(), libcxx)));
    }

    /** As {@link #view}, but a layout we cannot read gives empty, not an error (callers fall back to the raw struct). */
    public static Optional<StlView> viewOrRaw(Values values, Value v) {
        try {
            return view(values, v);
        } catch (UnknownLayout e) {
            return Optional.empty();
        }
    }
}

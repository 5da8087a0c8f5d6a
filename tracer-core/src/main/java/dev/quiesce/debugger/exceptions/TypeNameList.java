package dev.quiesce.debugger.exceptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The type names of a cpp_throw / cpp_catch filter's condition: separated by spaces or commas,
 * except inside template arguments ({@code std::pair<int, long> std::runtime_error} is two).
 * Names compare without their spaces, so {@code std::vector<int,std::allocator<int>>} matches
 * the demangler's {@code std::vector<int, std::allocator<int> >}.
 */
public record TypeNameList(Set<String> names) {
    public static final TypeNameList ANY = new TypeNameList(Set.of());

    public static TypeNameList parse(String condition) {
        if (condition == null || condition.isBlank()) {
            return ANY;
        }
        List<String> out = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        int depth = 0;
        for (char c : condition.toCharArray()) {
            if (c == '<' || c == '(') {
                depth++;
            } else if ((c == '>' || c == ')') && depth > 0) {
                depth--;
            }
            if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
                add(out, name);
            } else {
                name.append(c);
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced '<' in the exception type names \"" + condition.strip() + "\"");
        }
        add(out, name);
        return new TypeNameList(Set.copyOf(out));
    }

    private static void add(List<String> out, StringBuilder name) {
        String n = squeeze(name.toString());
        if (!n.isEmpty()) {
            out.add(n);
        }
        name.setLength(0);
    }

    /** Whether an exception of this type (its demangled name; null when unknown) passes. */
    public boolean matches(String typeName) {
        return names.isEmpty() || (typeName != null && names.contains(squeeze(typeName)));
    }

    private static String squeeze(String s) {
        return s.replaceAll("\\s+", "");
    }
}

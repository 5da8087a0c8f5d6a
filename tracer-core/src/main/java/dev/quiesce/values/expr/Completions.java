package dev.quiesce.values.expr;

import dev.quiesce.symbols.dwarf.Scope;
import dev.quiesce.symbols.dwarf.Variable;
import dev.quiesce.values.FrameContext;
import dev.quiesce.values.Globals;
import dev.quiesce.values.Member;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the debug console can complete at a cursor, for the expression language of {@link
 * Expression}: after {@code $}, registers; after {@code expr.} or {@code expr->}, the members
 * of that expression's struct, class or union (the expression read without side effects);
 * elsewhere the frame's locals and arguments (innermost block first), in a member function the
 * members of {@code *this}, the globals and statics
 * of its module, and the language's words ({@code sizeof}, the C++ casts, type names). The
 * console has no commands of its own: everything it reads is an expression.
 */
public final class Completions {
    /** One proposal; {@code kind} is DAP's CompletionItemType (variable, field, keyword). */
    public record Item(String label, String kind, String detail) {
    }

    /** The proposals and the part of the text they replace: {@code start} (0-based) and {@code length}. */
    public record Result(int start, int length, List<Item> items) {
    }

    /** More than this many names (SQLite has thousands of globals) and the prefix must narrow them first. */
    public static final int MAX_ITEMS = 200;

    private static final Pattern REGISTER = Pattern.compile("\\$(\\w*)$");
    private static final Pattern MEMBER = Pattern.compile("(\\.|->)\\s*(\\w*)$");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][\\w:]*$");

    private Completions() {
    }

    /** Proposals for the text before {@code cursor} (0-based, clamped to the text). */
    public static Result at(FrameContext frame, String text, int cursor) {
        String before = text.substring(0, Math.max(0, Math.min(cursor, text.length())));
        Matcher m = REGISTER.matcher(before);
        if (m.find()) {
            List<Item> items = new ArrayList<>();
            for (String r : Values.registerNames()) {
                if (r.startsWith(m.group(1))) {
                    items.add(new Item("$" + r, "variable", "register"));
                }
            }
            return new Result(m.start(), m.end() - m.start(), items);
        }
        m = MEMBER.matcher(before);
        if (m.find()) {
            String base = baseExpression(before.substring(0, m.start()));
            String prefix = m.group(2);
            return new Result(m.start(2), prefix.length(), members(frame, base, m.group(1).equals("->"), prefix));
        }
        m = WORD.matcher(before);
        String prefix = m.find() ? m.group() : "";
        int start = before.length() - prefix.length();
        return new Result(start, prefix.length(), names(frame, prefix));
    }

    /** The operand before a {@code .} or {@code ->}: back over names, {@code .}, {@code ->}, {@code ::} and balanced brackets. */
    static String baseExpression(String text) {
        int i = text.length();
        while (i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        int end = i;
        while (i > 0) {
            char c = text.charAt(i - 1);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == ':' || c == '$') {
                i--;
            } else if (c == '>' && i >= 2 && text.charAt(i - 2) == '-') {
                i -= 2;
            } else if (c == ']' || c == ')') {
                char open = c == ']' ? '[' : '(';
                int depth = 0;
                int j = i - 1;
                for (; j >= 0; j--) {
                    char d = text.charAt(j);
                    if (d == c) {
                        depth++;
                    } else if (d == open && --depth == 0) {
                        break;
                    }
                }
                if (j < 0) {
                    break;
                }
                i = j;
            } else {
                break;
            }
        }
        return text.substring(i, end);
    }

    private static List<Item> members(FrameContext frame, String base, boolean arrow, String prefix) {
        if (base.isEmpty()) {
            return List.of();
        }
        Type type;
        try {
            Value v = Expression.parse(base).evaluateReadOnly(frame); // no calls, no assignments
            type = v.type().strip();
        } catch (RuntimeException e) { // ValueException included
            return List.of(); // nothing to offer for an expression that does not evaluate
        }
        if (type.isPointer() || (arrow && type.kind() == Type.Kind.ARRAY)) {
            type = type.target() == null ? type : type.target().strip();
        }
        Map<String, Item> out = new LinkedHashMap<>();
        collectMembers(type, prefix, out, 0);
        return List.copyOf(out.values());
    }

    private static void collectMembers(Type type, String prefix, Map<String, Item> out, int depth) {
        if (depth > 16 || type.members() == null) {
            return;
        }
        for (Member m : type.members()) {
            if (m.inheritance()) {
                collectMembers(m.type().strip(), prefix, out, depth + 1); // a base class's members are members too
            } else if (m.name() != null && m.name().startsWith(prefix) && !m.name().startsWith("_vptr")) {
                out.putIfAbsent(m.name(), new Item(m.name(), "field", m.type().name()));
            }
        }
    }

    private static List<Item> names(FrameContext frame, String prefix) {
        Map<String, Item> out = new LinkedHashMap<>();
        Optional<dev.quiesce.values.TypeReader> types = frame.types();
        if (frame.hasFrame() && frame.function() != null) {
            List<Scope> scopes = frame.scopes();
            for (int i = scopes.size() - 1; i >= 0; i--) {
                for (Variable v : scopes.get(i).variables()) {
                    if (v.name() != null && v.name().startsWith(prefix)) {
                        out.putIfAbsent(v.name(), new Item(v.name(), "variable", typeName(types, v.typeOffset())));
                    }
                }
            }
            if (out.containsKey("this") || scopes.stream().anyMatch(sc -> sc.variables().stream().anyMatch(v -> "this".equals(v.name())))) {
                // in a member function: the object's members without this-> (as the evaluator reads them)
                for (Item member : members(frame, "this", true, prefix)) {
                    out.putIfAbsent(member.label(), member);
                }
            }
        }
        if (types.isPresent()) {
            TreeSet<String> globals = new TreeSet<>();
            for (Globals.Global g : Globals.of(types.get().debugInfo()).all()) {
                if (g.qualifiedName().startsWith(prefix)) {
                    globals.add(g.qualifiedName());
                }
            }
            for (String g : globals) {
                if (out.size() >= MAX_ITEMS) {
                    break;
                }
                out.putIfAbsent(g, new Item(g, "variable", "global"));
            }
        }
        TreeSet<String> words = new TreeSet<>(Parser.TYPE_WORDS);
        words.addAll(Parser.CXX_CASTS);
        words.add("sizeof");
        for (String w : words) {
            if (w.startsWith(prefix) && !out.containsKey(w)) {
                out.put(w, new Item(w, "keyword", null));
            }
        }
        return List.copyOf(out.values());
    }

    private static String typeName(Optional<dev.quiesce.values.TypeReader> types, long offset) {
        try {
            return types.map(t -> t.type(offset).name()).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }
}

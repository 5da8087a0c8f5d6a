package dev.quiesce.values.stl;

import dev.quiesce.values.Value;
import java.util.List;
import java.util.Optional;

/**
 * What a standard-library formatter makes of one object, in the shape of a gdb pretty printer:
 * a head ({@code std::vector of length 3, capacity 4}), children shown after {@code = {...}}
 * the way the {@link Hint} says, and the answers the expression evaluator can get without
 * calling the program ({@code v[i]}, {@code m[key]}, {@code s.size()}, {@code *it}).
 */
public interface StlView {
    /** How the children print: gdb's display hints, plus two kinds of ours. */
    enum Hint {
        /** The head is the whole value (a string); no children. */
        STRING,
        /** {@code {1, 2, 3}}; children named [0], [1]... in the Variables view. */
        ARRAY,
        /** {@code {[1] = "one"}}: each child is a key and a value. */
        MAP,
        /** {@code {[0] = 11, get() = 0x...}}: each child's own name. */
        NAMED,
        /** An iterator: shown as the element it points at ({@link #deref()}). */
        ITEM
    }

    /** One child: its name (for ARRAY and MAP it is made from the index or key), its key (MAP only) and value. */
    record Child(String name, Value key, Value value) {
    }

    /** Whether the children are the elements [0], [1]... (or [key]) a Variables view pages through, not a few named parts. */
    default boolean indexed() {
        return hint() == Hint.ARRAY || hint() == Hint.MAP;
    }

    /** gdb's to_string, or null when gdb prints only the children. */
    String head();

    Hint hint();

    /** Number of children (pairs for MAP); walked containers answer from their size field. */
    long size();

    /** Children {@code start} .. {@code start + count - 1} (fewer at the end); reading only those where the layout allows. */
    List<Child> children(long start, int count);

    /**
     * gdb has no printer for this type (std::array, std::pair): the value's text is the plain
     * struct's, as gdb prints it, and only the Variables view uses the children.
     */
    default boolean rawText() {
        return false;
    }

    /** {@code v[i]} / {@code m[key]}; empty when this container has no such operator. */
    default Optional<Value> index(Value key) {
        return Optional.empty();
    }

    /**
     * A method answered from the object's fields (no call into the program): {@code size},
     * {@code length}, {@code empty}, {@code capacity}, {@code c_str}, {@code data}, {@code get},
     * {@code use_count}, {@code has_value}, {@code value}, {@code index}, {@code front}, {@code back};
     * each family answers those it has. Empty when not known here.
     */
    default Optional<Value> call(String method) {
        return Optional.empty();
    }

    /** {@code *it} / {@code *p}: the element an iterator or smart pointer refers to. */
    default Optional<Value> deref() {
        return Optional.empty();
    }
}

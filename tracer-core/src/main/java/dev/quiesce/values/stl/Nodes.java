package dev.quiesce.values.stl;

import dev.quiesce.values.ValueException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * The nodes of a linked container in order, walked once as far as a page needs and remembered
 * (the view lives as long as its Variables entry, so paging on costs only the new nodes). The
 * walk stops at the end node, at {@code count} nodes, and at {@link Obj#MAX_WALK}: a cycle in
 * corrupt links cannot make it loop. A cycle is also recognised where it starts repeating
 * (Brent's method: one remembered node, compared with each new one) and makes the walk an
 * error, so a corrupt container shows as one instead of as its first nodes over and over.
 */
final class Nodes {
    private final long first;
    private final long end;
    private final long count;
    private final LongUnaryOperator next;
    private final List<Long> seen = new ArrayList<>();
    private boolean done;
    private String error;
    /** Brent's cycle check: the node every new one is compared with, moved on after {@code power} steps. */
    private long mark;
    private long power = 1;
    private long steps;

    /** {@code next} gives the node after one (reading the program); {@code end} is the address that ends the walk (0 for none). */
    Nodes(long first, long end, long count, LongUnaryOperator next) {
        this.first = first;
        this.end = end;
        this.count = count;
        this.next = next;
    }

    /** Node addresses {@code start} .. {@code start + n - 1} (fewer if the container ends before). */
    synchronized List<Long> range(long start, int n) {
        long want = Math.min(Math.min(count, Obj.MAX_WALK), start + n);
        while (!done && seen.size() < want) {
            long at = seen.isEmpty() ? first : next(seen.get(seen.size() - 1));
            if (at == end || at == 0) {
                done = true;
                break;
            }
            if (at == mark) {
                done = true;
                error = "the links form a cycle (node 0x" + Long.toHexString(at) + " comes again after "
                        + seen.size() + " nodes; corrupt container)";
                break;
            }
            if (++steps == power) {
                mark = at;
                power <<= 1;
                steps = 0;
            }
            seen.add(at);
        }
        if (error != null && seen.size() < want) {
            throw new ValueException(error);
        }
        int from = (int) Math.min(start, seen.size());
        return List.copyOf(seen.subList(from, (int) Math.min(seen.size(), want)));
    }

    private long next(long node) {
        try {
            return next.applyAsLong(node);
        } catch (ValueException e) {
            done = true;
            error = e.getMessage();
            return end;
        }
    }
}

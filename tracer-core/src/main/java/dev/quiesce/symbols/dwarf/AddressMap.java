package dev.quiesce.symbols.dwarf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Maps addresses to values given possibly nested ranges; where ranges nest the innermost wins.
 * Built once into sorted disjoint segments, looked up by binary search.
 */
public final class AddressMap<T> {
    private final long[] starts;
    private final long[] ends;
    private final Object[] values;

    private record Entry<T>(long low, long high, T value) {
    }

    private AddressMap(long[] starts, long[] ends, Object[] values) {
        this.starts = starts;
        this.ends = ends;
        this.values = values;
    }

    public static final class Builder<T> {
        private final List<Entry<T>> entries = new ArrayList<>();

        public Builder<T> add(long low, long high, T value) {
            if (Long.compareUnsigned(high, low) > 0) {
                entries.add(new Entry<>(low, high, value));
            }
            return this;
        }

        /**
         * Sweeps ranges sorted by start (longer first on ties) with a stack of the open ones: the
         * top of the stack is the innermost range covering the sweep position.
         */
        public AddressMap<T> build() {
            entries.sort(Comparator.<Entry<T>>comparingLong(e -> e.low)
                    .thenComparing((a, b) -> Long.compareUnsigned(b.high, a.high)));
            int cap = entries.size() * 2 + 1;
            long[] s = new long[cap];
            long[] e = new long[cap];
            Object[] v = new Object[cap];
            int n = 0;
            List<Entry<T>> stack = new ArrayList<>();
            long cursor = Long.MIN_VALUE;
            for (Entry<T> in : entries) {
                while (!stack.isEmpty() && stack.get(stack.size() - 1).high <= in.low) {
                    Entry<T> top = stack.remove(stack.size() - 1);
                    if (cursor < top.high) {
                        n = emit(s, e, v, n, cursor, top.high, top.value);
                        cursor = top.high;
                    }
                }
                if (!stack.isEmpty() && cursor < in.low) {
                    n = emit(s, e, v, n, cursor, in.low, stack.get(stack.size() - 1).value);
                }
                cursor = in.low;
                stack.add(in);
            }
            while (!stack.isEmpty()) {
                Entry<T> top = stack.remove(stack.size() - 1);
                if (cursor < top.high) {
                    n = emit(s, e, v, n, cursor, top.high, top.value);
                    cursor = top.high;
                }
            }
            return new AddressMap<>(Arrays.copyOf(s, n), Arrays.copyOf(e, n), Arrays.copyOf(v, n));
        }

        private static int emit(long[] s, long[] e, Object[] v, int n, long low, long high, Object value) {
            if (s.length == n) {
                throw new IllegalStateException("address map overflow");
            }
            s[n] = low;
            e[n] = high;
            v[n] = value;
            return n + 1;
        }
    }

    /** The innermost value whose range contains {@code address}, or null. */
    @SuppressWarnings("unchecked")
    public T get(long address) {
        int i = Arrays.binarySearch(starts, address);
        if (i < 0) {
            i = -i - 2;
        }
        if (i < 0 || address >= ends[i]) {
            return null;
        }
        return (T) values[i];
    }

    public int segments() {
        return starts.length;
    }
}

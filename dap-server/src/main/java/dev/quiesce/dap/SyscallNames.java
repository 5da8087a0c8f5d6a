package dev.quiesce.dap;

import dev.quiesce.syscalls.SyscallTable;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Syscall names as clients write them ("openat write", ["write"]) to numbers, with clear errors. */
final class SyscallNames {
    private SyscallNames() {
    }

    static Set<Long> numbers(Collection<String> names, String where) {
        Set<Long> numbers = new LinkedHashSet<>();
        for (String name : names) {
            if (name.isBlank()) {
                continue;
            }
            numbers.add(SyscallTable.number(name).orElseThrow(() -> new IllegalArgumentException(
                    where + ": unknown syscall \"" + name.strip() + "\" (x86-64 names, e.g. openat, write)")));
        }
        return numbers;
    }

    static Set<Long> parse(String condition, String where) {
        return numbers(condition == null ? List.of() : List.of(condition.trim().split("[\\s,]+")), where);
    }
}

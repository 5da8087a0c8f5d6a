package dev.quiesce.syscalls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The x86-64 syscall table and errno names, from resources generated off the kernel headers. */
public final class SyscallTable {
    private static final Map<Long, String> NAMES = new HashMap<>();
    private static final Map<String, Long> NUMBERS = new HashMap<>();
    private static final Map<Long, String> ERRNOS = new HashMap<>();

    static {
        load("x86_64.tsv", (number, name) -> {
            NAMES.put(number, name);
            NUMBERS.put(name, number);
        });
        load("errno.tsv", ERRNOS::put);
    }

    private SyscallTable() {
    }

    public static String name(long number) {
        return NAMES.getOrDefault(number, "syscall_" + number);
    }

    public static Optional<Long> number(String name) {
        return Optional.ofNullable(NUMBERS.get(name.strip().toLowerCase()));
    }

    /** "ENOENT", or "errno 1234" for a number the table does not know. */
    public static String errnoName(long errno) {
        return ERRNOS.getOrDefault(errno, "errno " + errno);
    }

    private interface Row {
        void add(long number, String name);
    }

    private static void load(String resource, Row row) {
        try (InputStream in = SyscallTable.class.getResourceAsStream("/dev/quiesce/syscalls/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] parts = line.split("\t");
                    row.add(Long.parseLong(parts[0]), parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

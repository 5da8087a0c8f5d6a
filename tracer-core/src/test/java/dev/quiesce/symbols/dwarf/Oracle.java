package dev.quiesce.symbols.dwarf;

import dev.quiesce.engine.TestPrograms;
import dev.quiesce.symbols.elf.ElfFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs the binutils/gdb oracles on test binaries and caches what this reader builds from them. */
final class Oracle {
    private static final Map<String, FunctionIndex> INDEXES = new ConcurrentHashMap<>();

    private Oracle() {
    }

    static Path bin(String name) {
        return TestPrograms.path(name);
    }

    static FunctionIndex index(String name) {
        return INDEXES.computeIfAbsent(name, n -> FunctionIndex.build(DebugInfo.of(ElfFile.open(bin(n)))));
    }

    /** Runs a command and returns its standard output lines (stdin optional). */
    static List<String> run(String stdin, String... command) {
        try {
            Path out = Files.createTempFile("oracle", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false)
                        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
                Process p = pb.start();
                if (stdin != null) {
                    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                p.getOutputStream().close();
                p.waitFor();
                return Files.readAllLines(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One DIE as {@code readelf --debug-dump=info} prints it. */
    record ReadelfDie(long offset, int depth, String tag, Map<String, String> attributes) {
    }

    /** Parses readelf's DIE dump: lines {@code <depth><offset>: Abbrev Number: N (DW_TAG_x)} then attributes. */
    static List<ReadelfDie> readelfDies(Path bin) {
        List<ReadelfDie> out = new ArrayList<>();
        ReadelfDie cur = null;
        for (String line : run(null, "readelf", "--debug-dump=info", "-W", bin.toString())) {
            String t = line.trim();
            if (t.endsWith(">: Abbrev Number: 0")) {
                cur = null;
            } else if (t.startsWith("<") && t.contains(">: Abbrev Number: ")) {
                int close = t.indexOf('>');
                int depth = Integer.parseInt(t.substring(1, close));
                int close2 = t.indexOf('>', close + 1);
                long offset = Long.parseLong(t.substring(close + 2, close2), 16);
                int open = t.indexOf('(');
                String tag = open < 0 ? "" : t.substring(open + 1, t.lastIndexOf(')'));
                cur = new ReadelfDie(offset, depth, tag, new java.util.LinkedHashMap<>());
                out.add(cur);
            } else if (cur != null && t.startsWith("<") && t.contains("DW_AT_")) {
                int at = t.indexOf("DW_AT_");
                int colon = t.indexOf(':', at);
                String name = t.substring(at, colon).trim();
                String value = t.substring(colon + 1).trim();
                value = value.replaceFirst("^\\([a-z_0-9]+\\) ", ""); // readelf -W names the form first
                int off = value.indexOf("offset: ");
                if (value.startsWith("(") && off >= 0 && value.indexOf("): ", off) >= 0) {
                    value = value.substring(value.indexOf("): ", off) + 3); // a string from a string section
                }
                cur.attributes().put(name, value);
            }
        }
        return out;
    }

    static long hex(String s) {
        s = s.trim();
        int space = s.indexOf(' ');
        if (space > 0) {
            s = s.substring(0, space);
        }
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }
}

package dev.quiesce.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.debugger.StackFrame;
import dev.quiesce.debugger.StackWalker;
import dev.quiesce.linux.Registers;
import dev.quiesce.linux.SigInfo;
import dev.quiesce.symbols.solib.SharedLibraries;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Post-mortem reading of core_dump's cores, a kernel core and a gcore, against gdb 13 on the same
 * files: threads, registers (general and xmm0), the signal, memory (dumped stack pages and code
 * pages the core leaves to the mapped file), and every thread's backtrace through the same
 * StackWalker a live process uses.
 */
class CoreFileTest {
    @Test
    void aKernelCoreReadsAsGdbReadsIt(@TempDir Path dir) throws Exception {
        Path core = Cores.kernelCore(dir);
        try (CoreFile c = CoreFile.open(core)) {
            matchesGdb(c, core);
            SigInfo signal = c.signal().orElseThrow();
            assertEquals(11, signal.signal(), "SIGSEGV");
            assertEquals(0x10, signal.address(), "the bad pointer");
            assertEquals("core_dump", c.command());
        }
    }

    @Test
    void aGcoreReadsAsGdbReadsIt(@TempDir Path dir) throws Exception {
        Path core = Cores.gcore(dir);
        try (CoreFile c = CoreFile.open(core)) {
            matchesGdb(c, core);
        }
    }

    private static void matchesGdb(CoreFile c, Path core) throws Exception {
        GdbCore gdb = GdbCore.read(Cores.program(), core);
        List<Integer> ours = c.threads().stream().map(CoreThread::tid).sorted().toList();
        assertEquals(gdb.threads.keySet().stream().sorted().toList(), ours, "the same threads");
        CoreTarget target = new CoreTarget(c);
        SharedLibraries libs = SharedLibraries.snapshot(c.memory(), c.auxv(), c.fileMappings(), Cores.program());
        assertTrue(libs.modules().size() >= 3, "program, ld.so, libc at least: " + libs.modules());
        StackWalker walker = new StackWalker(target, libs);
        for (CoreThread t : c.threads()) {
            GdbCore.Thread g = gdb.threads.get(t.tid());
            Registers r = t.registers();
            String where = "thread " + t.tid();
            assertTrue(g.frames().size() >= 2, where + ": gdb's backtrace was read: " + g);
            assertEquals(g.rip(), r.get(Registers.RIP), where + " rip");
            assertEquals(g.rsp(), r.get(Registers.RSP), where + " rsp");
            if (g.xmm0() != null) {
                byte[] xmm = t.fpRegisters().orElseThrow().xmm(0);
                byte[] bigEndian = new byte[16];
                for (int i = 0; i < 16; i++) {
                    bigEndian[i] = xmm[15 - i];
                }
                assertEquals(new BigInteger(g.xmm0().substring(2), 16), new BigInteger(1, bigEndian), where + " xmm0");
            }
            List<StackFrame> frames = walker.walk(r, 64);
            List<String> names = new ArrayList<>();
            for (StackFrame f : frames) {
                names.add(f.function());
            }
            String both = where + ": ours " + frames + "\ngdb " + g.frames();
            assertTrue(frames.size() >= g.frames().size(), both);
            for (int i = 0; i < g.frames().size(); i++) {
                GdbCore.Frame gf = g.frames().get(i);
                StackFrame f = frames.get(i);
                assertTrue(gf.function().equals(f.function()) || gf.function().endsWith("_" + f.function())
                        || f.function().endsWith("_" + gf.function()), "frame " + i + " " + both);
                if (gf.file() != null && f.source().isPresent()) {
                    assertEquals(Path.of(gf.file()).getFileName().toString(), f.source().get().fileName(), "frame " + i + " " + both);
                    assertEquals(gf.line(), f.source().get().line(), "frame " + i + " " + both);
                }
            }
        }
        List<String> crashed = walker.walk(c.threads().get(0).registers(), 64).stream().map(StackFrame::function).toList();
        int level2 = crashed.indexOf("level2");
        assertTrue(level2 == 0 || level2 == 1, "the first thread is the one in level2 (kernel core) or in pause from it (gcore): " + crashed);
        assertEquals(List.of("level2", "level1", "main"), crashed.subList(level2, level2 + 3));
        // Memory: a stack page (in the core) and code (left out of it: read from the program's file).
        CoreThread first = c.threads().get(0);
        long rsp = first.registers().get(Registers.RSP);
        long rip = first.registers().get(Registers.RIP);
        assertEquals(gdbBytes(core, "$rsp"), HexFormat.of().formatHex(c.memory().read(rsp, 16)), "stack bytes");
        assertEquals(gdbBytes(core, "$pc"), HexFormat.of().formatHex(c.memory().read(rip, 16)), "code bytes");
        assertThrows(RuntimeException.class, () -> c.memory().write(rsp, new byte[] {1}), "a core is read-only");
        assertEquals(0, c.memory().read(0x10, new byte[4]), "address 0x10 is not mapped");
    }

    /** gdb's x/16xb at an expression in thread 1, as hex text. */
    private static String gdbBytes(Path core, String at) throws Exception {
        Process p = new ProcessBuilder("gdb", "-nx", "-batch", "-ex", "x/16xb " + at, Cores.program().toString(), core.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        StringBuilder hex = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.startsWith("0x") && line.contains(":")) {
                for (String word : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                    hex.append(word.substring(2));
                }
            }
        }
        return hex.toString();
    }

    @Test
    void aTruncatedOrForeignFileIsRefusedSayingWhy(@TempDir Path dir) throws Exception {
        Path core = Cores.kernelCore(dir);
        byte[] all = Files.readAllBytes(core);
        Path half = dir.resolve("half");
        Files.write(half, java.util.Arrays.copyOf(all, all.length / 2));
        assertTrue(assertThrows(CoreFormatException.class, () -> CoreFile.open(half)).getMessage().contains("is truncated"));
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, java.util.Arrays.copyOf(all, 40));
        assertTrue(assertThrows(CoreFormatException.class, () -> CoreFile.open(tiny)).getMessage().contains("is truncated"));
        assertTrue(assertThrows(CoreFormatException.class, () -> CoreFile.open(Cores.program())).getMessage()
                .contains("is an ELF program or library, not a core file"));
        Path text = dir.resolve("text");
        Files.writeString(text, "not a core at all, just some words\n".repeat(4));
        assertTrue(assertThrows(CoreFormatException.class, () -> CoreFile.open(text)).getMessage().contains("not an ELF file"));
        assertTrue(assertThrows(CoreFormatException.class, () -> CoreFile.open(dir.resolve("none"))).getMessage()
                .contains("core file not found"));
    }
}

package dev.quiesce.core;

import dev.quiesce.linux.FpRegisters;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.Registers;
import dev.quiesce.linux.SigInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PT_NOTE contents of a core (kernel and gdb's gcore write the same notes): a thread per
 * NT_PRSTATUS with the FP notes after it, NT_PRPSINFO, NT_SIGINFO, NT_AUXV and NT_FILE (the
 * file-backed mappings, whose unwritten pages the core leaves out). x86-64 layouts of
 * {@code <linux/elfcore.h>}.
 */
final class CoreNotes {
    private static final int NT_PRSTATUS = 1;
    private static final int NT_FPREGSET = 2;
    private static final int NT_PRPSINFO = 3;
    private static final int NT_AUXV = 6;
    private static final int NT_X86_XSTATE = 0x202;
    private static final int NT_SIGINFO = 0x53494749;
    private static final int NT_FILE = 0x46494c45;
    /** struct elf_prstatus: pr_cursig at 12, pr_pid at 32, pr_reg (user_regs_struct) at 112. */
    private static final int PR_CURSIG = 12;
    private static final int PR_PID = 32;
    private static final int PR_REG = 112;
    /** struct elf_prpsinfo: pr_pid at 24, pr_fname[16] at 40, pr_psargs[80] at 56. */
    private static final int PS_PID = 24;
    private static final int PS_FNAME = 40;
    private static final int PS_ARGS = 56;

    final List<CoreThread> threads = new ArrayList<>();
    Optional<SigInfo> signal = Optional.empty();
    final Map<Long, Long> auxv = new LinkedHashMap<>();
    final List<ProcFs.Mapping> files = new ArrayList<>();
    int pid;
    String command = "";
    String arguments = "";

    static CoreNotes parse(ByteBuffer notes) {
        CoreNotes out = new CoreNotes();
        notes.order(ByteOrder.LITTLE_ENDIAN);
        while (notes.remaining() >= 12) {
            int nameSize = notes.getInt();
            int descSize = notes.getInt();
            int type = notes.getInt();
            if (nameSize < 0 || descSize < 0 || align(nameSize) + (long) align(descSize) > notes.remaining()) {
                throw new CoreFormatException("a note of the core runs past its end (the core is damaged or truncated)");
            }
            notes.position(notes.position() + align(nameSize));
            ByteBuffer desc = notes.slice(notes.position(), descSize).order(ByteOrder.LITTLE_ENDIAN);
            notes.position(notes.position() + align(descSize));
            out.note(type, desc);
        }
        return out;
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    private void note(int type, ByteBuffer d) {
        switch (type) {
            case NT_PRSTATUS -> prstatus(d);
            case NT_FPREGSET -> fp(d, false);
            case NT_X86_XSTATE -> fp(d, true);
            case NT_PRPSINFO -> prpsinfo(d);
            case NT_SIGINFO -> {
                if (signal.isEmpty() && d.capacity() >= 32) { // the first: the thread that dumped
                    signal = Optional.of(new SigInfo(d.getInt(0), d.getInt(8), d.getInt(16), d.getInt(20), d.getLong(16)));
                }
            }
            case NT_AUXV -> {
                for (int at = 0; at + 16 <= d.capacity(); at += 16) {
                    long key = d.getLong(at);
                    if (key == 0) {
                        break;
                    }
                    auxv.put(key, d.getLong(at + 8));
                }
            }
            case NT_FILE -> fileMappings(d);
            default -> {
                // other notes (NT_X86_SHSTK, gdb's extras) are not needed
            }
        }
    }

    private void prstatus(ByteBuffer d) {
        if (d.capacity() < PR_REG + Registers.COUNT * 8) {
            throw new CoreFormatException("an NT_PRSTATUS note is " + d.capacity() + " bytes: not an x86-64 core");
        }
        long[] words = new long[Registers.COUNT];
        for (int i = 0; i < words.length; i++) {
            words[i] = d.getLong(PR_REG + 8 * i);
        }
        threads.add(new CoreThread(d.getInt(PR_PID), d.getShort(PR_CURSIG), new Registers(words), Optional.empty()));
    }

    /** The FP notes belong to the NT_PRSTATUS before them; XSTATE (a superset) wins over FPREGSET. */
    private void fp(ByteBuffer d, boolean xstate) {
        if (threads.isEmpty() || d.capacity() < 512) {
            return;
        }
        CoreThread last = threads.get(threads.size() - 1);
        if (!xstate && last.fpRegisters().isPresent()) {
            return;
        }
        byte[] area = new byte[d.capacity()];
        d.get(0, area);
        threads.set(threads.size() - 1, new CoreThread(last.tid(), last.signal(), last.registers(), Optional.of(new FpRegisters(area))));
    }

    private void prpsinfo(ByteBuffer d) {
        if (d.capacity() < PS_ARGS + 80) {
            return;
        }
        pid = d.getInt(PS_PID);
        command = cString(d, PS_FNAME, 16);
        arguments = cString(d, PS_ARGS, 80);
    }

    /** NT_FILE: count, page size, then (start, end, file offset in pages) each, then the names, NUL-separated. */
    private void fileMappings(ByteBuffer d) {
        long count = d.getLong(0);
        long pageSize = d.getLong(8);
        if (count < 0 || count > (d.capacity() - 16) / 24) {
            throw new CoreFormatException("the core's NT_FILE note is damaged");
        }
        int names = 16 + (int) count * 24;
        for (int i = 0; i < count; i++) {
            int end = names;
            while (end < d.capacity() && d.get(end) != 0) {
                end++;
            }
            byte[] name = new byte[end - names];
            d.get(names, name);
            names = end + 1;
            int at = 16 + i * 24;
            files.add(new ProcFs.Mapping(d.getLong(at), d.getLong(at + 8), "", d.getLong(at + 16) * pageSize,
                    new String(name, StandardCharsets.UTF_8)));
        }
    }

    private static String cString(ByteBuffer d, int at, int max) {
        int n = 0;
        while (n < max && d.get(at + n) != 0) {
            n++;
        }
        byte[] b = new byte[n];
        d.get(at, b);
        return new String(b, StandardCharsets.UTF_8).strip();
    }
}

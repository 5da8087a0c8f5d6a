package dev.quiesce.linux;

import com.sun.jna.Memory;
import java.util.List;

/**
 * A snapshot of a thread's general-purpose registers: the kernel's user_regs_struct on x86-64,
 * word by word in its order (fs_base and gs_base included).
 */
public record Registers(long[] words) {
    public static final List<String> NAMES = List.of(
            "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx",
            "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base",
            "ds", "es", "fs", "gs");
    public static final int COUNT = 27;
    public static final int RIP = 16;
    public static final int EFLAGS = 18;
    public static final int RSP = 19;
    public static final int RBP = 4;
    public static final int RAX = 10;
    public static final int ORIG_RAX = 15;
    public static final int FS_BASE = 21;
    /** The trap flag in EFLAGS (single-step). */
    public static final long TRAP_FLAG = 0x100;

    public Registers {
        if (words.length != COUNT) {
            throw new IllegalArgumentException("user_regs_struct has " + COUNT + " words, not " + words.length);
        }
        words = words.clone();
    }

    /** Byte offset of register {@code index} in struct user, for PEEKUSER/POKEUSER. */
    public static long offset(int index) {
        return index * 8L;
    }

    /** One native buffer per thread (ptrace runs on the tracer thread): a page fault of a watched page reads registers every time. */
    private static final ThreadLocal<Memory> BUFFER = ThreadLocal.withInitial(() -> new Memory(COUNT * 8L));

    public static Registers read(int tid) {
        Memory buffer = BUFFER.get();
        Ptrace.getRegs(tid, buffer);
        return new Registers(buffer.getLongArray(0, COUNT));
    }

    public void write(int tid) {
        Memory buffer = BUFFER.get();
        buffer.write(0, words, 0, COUNT);
        Ptrace.setRegs(tid, buffer);
    }

    public long get(int index) {
        return words[index];
    }

    public long get(String name) {
        int index = NAMES.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no register named " + name);
        }
        return words[index];
    }

    public Registers with(int index, long value) {
        long[] copy = words.clone();
        copy[index] = value;
        return new Registers(copy);
    }

    public long rip() {
        return words[RIP];
    }

    public long rsp() {
        return words[RSP];
    }

    public long eflags() {
        return words[EFLAGS];
    }

    public long fsBase() {
        return words[FS_BASE];
    }

    @Override
    public long[] words() {
        return words.clone();
    }
}

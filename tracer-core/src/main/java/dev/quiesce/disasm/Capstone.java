package dev.quiesce.disasm;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * x86-64 disassembly with Capstone 4 (Debian's libcapstone4) through JNA, AT&T syntax as gdb
 * and objdump print it. Not a hot path: interface mapping is enough. Thread-safe (one handle
 * per call).
 */
public final class Capstone {
    private static final int CS_ARCH_X86 = 3;
    private static final int CS_MODE_64 = 1 << 3;
    private static final int CS_OPT_SYNTAX = 1;
    private static final int CS_OPT_SYNTAX_ATT = 2;
    // struct cs_insn (Capstone 4): id, address, size, bytes[16], mnemonic[32], op_str[160], detail*
    private static final int INSN_SIZE = 240;
    private static final int ADDRESS = 8;
    private static final int LENGTH = 16;
    private static final int BYTES = 18;
    private static final int MNEMONIC = 34;
    private static final int OPERANDS = 66;

    private interface Lib extends Library {
        int cs_open(int arch, int mode, LongByReference handle);

        int cs_option(long handle, int type, long value);

        long cs_disasm(long handle, byte[] code, long size, long address, long count, PointerByReference insn);

        void cs_free(Pointer insn, long count);

        int cs_close(LongByReference handle);
    }

    private static final String LIBRARY = "libcapstone.so.4";
    private static volatile Lib lib;

    private Capstone() {
    }

    /** One decoded instruction. */
    public record Instruction(long address, byte[] bytes, String mnemonic, String operands) {
        public String text() {
            return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
        }
    }

    /** Whether libcapstone.so.4 could be loaded (apt-get install libcapstone4). Loads it. */
    public static boolean available() {
        try {
            library();
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /**
     * Whether libcapstone.so.4 is there to load, by looking for the file in the library folders
     * (LD_LIBRARY_PATH, JNA's paths, which {@link dev.quiesce.linux.JnaSetup} sets to this
     * machine's): {@code initialize} asks this, and loading the library (JNA's interface proxy,
     * ~7 ms of CPU) would be on the way to the first stop (issue 19). When the file is in none of
     * those folders it may still be found through ld.so.cache: then this loads it to be sure.
     */
    public static boolean installed() {
        return lib != null || inLibraryFolders() || available();
    }

    /** Whether the library's file is in LD_LIBRARY_PATH or one of JNA's library folders. */
    static boolean inLibraryFolders() {
        return inFolders(System.getProperty("jna.library.path")) || inFolders(System.getProperty("jna.platform.library.path"))
                || inFolders(System.getenv("LD_LIBRARY_PATH"));
    }

    private static boolean inFolders(String path) {
        if (path == null) {
            return false;
        }
        for (String folder : path.split(java.io.File.pathSeparator)) {
            if (!folder.isEmpty() && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(folder, LIBRARY))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Loads the library once. Not under a lock: a low-priority thread loads it ahead (after the
     * tracer is up), and a step that needs it first must not wait behind that thread.
     */
    private static Lib library() {
        Lib l = lib;
        if (l == null) {
            l = Native.load(LIBRARY, Lib.class);
            synchronized (Capstone.class) {
                if (lib == null) {
                    lib = l;
                }
                l = lib;
            }
        }
        return l;
    }

    /** Decodes up to {@code max} instructions of {@code code}, which sits at {@code address}; stops at undecodable bytes. */
    public static List<Instruction> disassemble(byte[] code, long address, int max) {
        Lib cs = library();
        LongByReference handle = new LongByReference();
        if (cs.cs_open(CS_ARCH_X86, CS_MODE_64, handle) != 0) {
            throw new IllegalStateException("Capstone: cs_open failed");
        }
        List<Instruction> out = new ArrayList<>();
        try {
            cs.cs_option(handle.getValue(), CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
            PointerByReference insn = new PointerByReference();
            long count = cs.cs_disasm(handle.getValue(), code, code.length, address, max, insn);
            Pointer base = insn.getValue();
            for (long i = 0; i < count; i++) {
                Pointer p = base.share(i * INSN_SIZE);
                int size = p.getShort(LENGTH) & 0xffff;
                out.add(new Instruction(p.getLong(ADDRESS), p.getByteArray(BYTES, size),
                        p.getString(MNEMONIC), p.getString(OPERANDS)));
            }
            if (count > 0) {
                cs.cs_free(base, count);
            }
        } finally {
            cs.cs_close(handle);
        }
        return out;
    }
}

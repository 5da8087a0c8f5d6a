package dev.quiesce.values;

import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.dwarf.DwarfException;
import dev.quiesce.symbols.elf.ElfSymbol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The thread-local block of a module opened with dlopen (glibc's dynamic TLS), for one thread:
 * the thread's DTV pointer is in its TCB at {@code fs_base + 8} (tcbhead_t.dtv), and the block
 * is {@code dtv[l_tls_modid].pointer.val} (16-byte entries). The module's link_map is found in
 * the dynamic linker's {@code _r_debug} list by its load bias; the offset of {@code l_tls_modid}
 * in glibc's private struct link_map comes from the dynamic linker's own DWARF (libc6-dbg),
 * as nothing public describes it.
 */
final class DynamicTls {
    private static final int R_MAP = 8;
    private static final int L_ADDR = 0;
    private static final int L_NEXT = 24;
    private static final int TCB_DTV = 8;
    private static final int DTV_ENTRY = 16;
    private static final long TLS_DTV_UNALLOCATED = -1L;
    private static final int MAX_MAPS = 100_000;

    private DynamicTls() {
    }

    /** Empty when the dynamic linker or its debug information (libc6-dbg) is missing. */
    static OptionalLong blockAddress(Memory memory, List<LoadedModule> modules, long threadPointer, LoadedModule m) {
        Optional<LoadedModule> ld = modules.stream().filter(x -> x.name().startsWith("ld-linux") || x.name().startsWith("ld.so"))
                .findFirst();
        Optional<Long> modidOffset = ld.flatMap(DynamicTls::modidOffset);
        if (modidOffset.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(viaDtv(memory, ld.get(), modidOffset.get(), threadPointer, m));
    }

    private static long viaDtv(Memory memory, LoadedModule ld, long modidOffset, long threadPointer, LoadedModule m) {
        ElfSymbol rDebug = ld.elf().symbols().stream().filter(s -> s.isDefined() && s.name().equals("_r_debug")).findFirst()
                .orElseThrow(() -> new DwarfException("the dynamic linker has no _r_debug symbol"));
        long node = word(memory, ld.toRuntime(rDebug.value()) + R_MAP);
        for (int n = 0; node != 0 && n < MAX_MAPS; n++) {
            if (word(memory, node + L_ADDR) == m.bias()) {
                long modid = word(memory, node + modidOffset);
                long dtv = word(memory, threadPointer + TCB_DTV);
                long block = word(memory, dtv + DTV_ENTRY * modid);
                if (modid == 0 || block == TLS_DTV_UNALLOCATED || block == 0) {
                    throw new DwarfException(m.name() + "'s thread-local storage is not allocated in this thread yet"
                            + " (glibc allocates a dlopen'ed module's block when the thread first uses it)");
                }
                return block;
            }
            node = word(memory, node + L_NEXT);
        }
        throw new DwarfException(m.name() + " is not in the dynamic linker's list of loaded objects");
    }

    private static Optional<Long> modidOffset(LoadedModule ld) {
        ModuleSymbols symbols = ModuleSymbols.of(ld.elf());
        if (!symbols.hasDebugInfo() || symbols.functions().isEmpty()) {
            return Optional.empty();
        }
        TypeReader types = FrameContext.typeReader(symbols.functions().get().debugInfo());
        return types.typeNamed("struct link_map").or(() -> types.typeNamed("link_map")).flatMap(t -> t.strip().members().stream()
                .filter(mem -> "l_tls_modid".equals(mem.name())).map(Member::byteOffset).findFirst());
    }

    private static long word(Memory memory, long address) {
        return ByteBuffer.wrap(memory.read(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}

package dev.quiesce.symbols.elf;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The functions a module's PLT stubs jump to, by name: each stub is {@code jmp *slot(%rip)}
 * (after an {@code endbr64} in {@code .plt.sec}), and the dynamic relocation of that GOT slot
 * ({@code R_X86_64_JUMP_SLOT} in {@code .rela.plt}, {@code R_X86_64_GLOB_DAT} for
 * {@code .plt.got}) names the symbol. A call to {@code puts@plt} is a call of {@code puts}.
 */
public final class PltSlots {
    private static final int R_X86_64_GLOB_DAT = 6;
    private static final int R_X86_64_JUMP_SLOT = 7;

    private final ElfFile elf;
    /** GOT slot (link-time address) → symbol name. */
    private final Map<Long, String> slots = new HashMap<>();

    public PltSlots(ElfFile elf) {
        this.elf = elf;
        Optional<ElfSection> dynsym = elf.section(".dynsym");
        if (dynsym.isEmpty()) {
            return;
        }
        ByteBuffer symbols = elf.data(dynsym.get());
        ByteBuffer strings = elf.data(elf.sections().get(dynsym.get().link()));
        for (String name : new String[] {".rela.plt", ".rela.dyn"}) {
            elf.data(name).ifPresent(rela -> {
                for (int off = 0; off + 24 <= rela.limit(); off += 24) {
                    long slot = rela.getLong(off);
                    long info = rela.getLong(off + 8);
                    int type = (int) info;
                    int symbol = (int) (info >>> 32);
                    if ((type == R_X86_64_JUMP_SLOT || type == R_X86_64_GLOB_DAT) && symbol > 0 && symbol * 24L + 24 <= symbols.limit()) {
                        slots.put(slot, ElfFile.string(strings, symbols.getInt(symbol * 24)));
                    }
                }
            });
        }
    }

    /** Whether a link-time address is in one of the PLT sections. */
    public boolean inPlt(long address) {
        for (ElfSection s : elf.sections()) {
            if (s.name().startsWith(".plt") && address >= s.address() && address < s.address() + s.size()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The function a stub's indirect jump goes to, from the stub's {@code jmp} (its link-time
     * address and the displacement Capstone decoded from {@code *0x2fe2(%rip)}).
     */
    public Optional<String> target(long jumpAddress, int jumpLength, String operands) {
        String op = operands.trim();
        if (!op.startsWith("*") || !op.endsWith("(%rip)")) {
            return Optional.empty();
        }
        String disp = op.substring(1, op.length() - "(%rip)".length());
        try {
            boolean negative = disp.startsWith("-");
            long d = Long.parseLong(disp.replaceFirst("^-?0x", ""), 16);
            long slot = jumpAddress + jumpLength + (negative ? -d : d);
            return Optional.ofNullable(slots.get(slot));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

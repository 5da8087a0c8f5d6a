package dev.quiesce.symbols.unwind;

import dev.quiesce.symbols.elf.ElfFile;
import java.util.function.Supplier;

/**
 * A loaded ELF module: its name, run-time address range, load bias (run-time = link-time + bias)
 * and its call frame information, built on first use.
 */
public final class Module {
    private final String name;
    private final long start;
    private final long end;
    private final long bias;
    private final ElfFile elf;
    private final Supplier<ModuleCfi> cfiSource;
    private volatile ModuleCfi cfi;

    public Module(String name, long start, long end, long bias, ElfFile elf, Supplier<ModuleCfi> cfi) {
        this.name = name;
        this.start = start;
        this.end = end;
        this.bias = bias;
        this.elf = elf;
        this.cfiSource = cfi;
    }

    public String name() {
        return name;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public long bias() {
        return bias;
    }

    public ElfFile elf() {
        return elf;
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }

    public ModuleCfi cfi() {
        ModuleCfi c = cfi;
        if (c == null) {
            synchronized (this) {
                c = cfi;
                if (c == null) {
                    c = cfiSource.get();
                    cfi = c;
                }
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return name + " [0x" + Long.toHexString(start) + "-0x" + Long.toHexString(end) + ") bias 0x" + Long.toHexString(bias);
    }
}

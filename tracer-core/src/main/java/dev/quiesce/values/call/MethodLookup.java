package dev.quiesce.values.call;

import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.dwarf.DebugInfo;
import dev.quiesce.symbols.dwarf.Die;
import dev.quiesce.symbols.dwarf.Function;
import dev.quiesce.symbols.elf.ElfSymbol;
import dev.quiesce.values.FrameContext;
import dev.quiesce.values.Memory;
import dev.quiesce.values.Type;
import dev.quiesce.values.TypeReader;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A C++ member function of an object, found in its class's DWARF (and its base classes',
 * {@code this} adjusted to the base subobject): a virtual one through the object's vtable
 * (DW_AT_vtable_elem_location gives the slot; the vtable's entry is the final overrider, or a
 * thunk that adjusts {@code this}), a non-virtual one by its linkage name.
 */
final class MethodLookup {
    private static final int DW_OP_CONSTU = 0x10;
    private static final int MAX_BASES_DEPTH = 32;

    private final FrameContext frame;
    private final List<LoadedModule> modules;
    private final Memory memory;

    MethodLookup(FrameContext frame, List<LoadedModule> modules) {
        this.frame = frame;
        this.modules = modules;
        this.memory = frame.memory();
    }

    /** {@code object} is the class value itself (in memory), not a pointer. */
    Optional<CallTarget> find(Value object, String name, int argumentCount) {
        Type cls = object.type().strip();
        TypeReader types = frame.types().orElseThrow(() -> new ValueException("no debug information for this code"));
        if (!object.hasAddress()) {
            throw new ValueException("cannot call " + name + "() on a " + object.type().name() + " that is not in memory");
        }
        return find(types, cls, object.address(), name, argumentCount, 0);
    }

    /** Every overload of {@code name} in the nearest class (the object's, else a base's) that declares one. */
    List<CallTarget> all(Value object, String name) {
        Type cls = object.type().strip();
        TypeReader types = frame.types().orElseThrow(() -> new ValueException("no debug information for this code"));
        if (!object.hasAddress()) {
            throw new ValueException("cannot call " + name + "() on a " + object.type().name() + " that is not in memory");
        }
        List<CallTarget> out = new ArrayList<>();
        all(types, cls, object.address(), name, 0, out);
        return out;
    }

    private boolean all(TypeReader types, Type cls, long self, String name, int depth, List<CallTarget> out) {
        long offset = types.dieOffsetOf(cls);
        if (offset < 0 || depth > MAX_BASES_DEPTH) {
            return false;
        }
        DebugInfo info = types.debugInfo();
        Die classDie = info.die(offset);
        for (Die c : classDie.children()) {
            if (c.tag() == Signatures.TAG_SUBPROGRAM && name.equals(c.name())) {
                try {
                    out.add(target(info, types, cls, c, self, name));
                } catch (ValueException e) {
                    // an overload without code: not a candidate
                }
            }
        }
        if (!out.isEmpty()) {
            return true;
        }
        for (Die c : classDie.children()) {
            if (c.tag() == Signatures.TAG_INHERITANCE) {
                Type base = types.type(c.reference(Signatures.AT_TYPE)).strip();
                if (all(types, base, self + c.unsigned(Signatures.AT_DATA_MEMBER_LOCATION, 0), name, depth + 1, out)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Optional<CallTarget> find(TypeReader types, Type cls, long self, String name, int argumentCount, int depth) {
        long offset = types.dieOffsetOf(cls);
        if (offset < 0 || depth > MAX_BASES_DEPTH) {
            return Optional.empty();
        }
        DebugInfo info = types.debugInfo();
        Die classDie = info.die(offset);
        Die best = null;
        for (Die c : classDie.children()) {
            if (c.tag() == Signatures.TAG_SUBPROGRAM && name.equals(c.name())) {
                Signatures s = Signatures.of(info, types, c);
                if (best == null || s.parameters().size() == argumentCount) {
                    best = c;
                }
            }
        }
        if (best != null) {
            return Optional.of(target(info, types, cls, best, self, name));
        }
        for (Die c : classDie.children()) {
            if (c.tag() == Signatures.TAG_INHERITANCE) {
                Type base = types.type(c.reference(Signatures.AT_TYPE)).strip();
                long at = c.unsigned(Signatures.AT_DATA_MEMBER_LOCATION, 0);
                Optional<CallTarget> inBase = find(types, base, self + at, name, argumentCount, depth + 1);
                if (inBase.isPresent()) {
                    return inBase;
                }
            }
        }
        return Optional.empty();
    }

    private CallTarget target(DebugInfo info, TypeReader types, Type cls, Die declaration, long self, String name) {
        Signatures s = Signatures.of(info, types, declaration);
        String qualified = cls.name() + "::" + name;
        Value thisPointer = Value.ofLong(Type.pointerTo(cls), self);
        long virtuality = declaration.unsigned(Signatures.AT_VIRTUALITY, 0);
        byte[] slot = declaration.block(Signatures.AT_VTABLE_ELEM_LOCATION);
        long address;
        if (virtuality != 0 && slot != null && slot.length >= 2 && (slot[0] & 0xff) == DW_OP_CONSTU) {
            long index = uleb(slot, 1);
            long vtable = word(self);
            address = word(vtable + 8 * index);
        } else {
            address = definition(info, declaration, qualified)
                    .orElseThrow(() -> new ValueException("'" + qualified + "' has no code in the program"
                            + " (never used, or always inlined), so it cannot be called"));
        }
        return new CallTarget(qualified, address, s.returnType(), s.parameters(), s.anyArguments(), thisPointer, false);
    }

    /** The run-time address of a non-virtual member function's code: its DWARF definition, else its ELF symbol. */
    private Optional<Long> definition(DebugInfo info, Die declaration, String qualified) {
        String linkage = declaration.string(Signatures.AT_LINKAGE_NAME);
        if (linkage == null) {
            linkage = declaration.string(Signatures.AT_MIPS_LINKAGE_NAME);
        }
        for (LoadedModule m : modules) {
            ModuleSymbols symbols = ModuleSymbols.of(m.elf());
            if (symbols.functions().isPresent()) {
                for (Function f : symbols.functions().get().functionsNamed(linkage != null ? linkage : qualified)) {
                    if (!f.ranges().isEmpty()) {
                        return Optional.of(m.toRuntime(f.entryPc()));
                    }
                }
            }
            if (linkage != null) {
                for (ElfSymbol e : symbols.functionSymbols().named(linkage)) {
                    return Optional.of(m.toRuntime(e.value()));
                }
            }
        }
        return Optional.empty();
    }

    private long word(long address) {
        return ByteBuffer.wrap(memory.read(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static long uleb(byte[] b, int at) {
        long v = 0;
        int shift = 0;
        for (int i = at; i < b.length && shift < 64; i++) {
            v |= (long) (b[i] & 0x7f) << shift;
            shift += 7;
            if ((b[i] & 0x80) == 0) {
                break;
            }
        }
        return v;
    }
}

package dev.quiesce.values;

import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.dwarf.Scope;
import dev.quiesce.symbols.dwarf.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Operations on values in one frame: name lookup (locals of the innermost scope first, then the
 * unit's statics and globals, then other units'), members, elements, dereference, address-of,
 * and writing a value back.
 */
public final class Values {
    private static final List<String> REGISTERS = List.of("rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip");

    /**
     * The largest value read from the program at once (gdb has max-value-size for the same
     * reason): a declared or computed size of 2^60 bytes answers with an error, not an
     * allocation. Larger arrays are still shown element by element through a pointer.
     */
    public static final long MAX_VALUE_BYTES = 16 * 1024 * 1024;

    private final FrameContext frame;
    private final Locator locator;

    /** A type's size as a byte count that can be read, or the error gdb gives for too large a value. */
    static int readableSize(Type t) {
        long size = t.size();
        if (size > MAX_VALUE_BYTES || size < 0) {
            throw new ValueException("value requires " + (size < 0 ? "more than " + Long.MAX_VALUE : Long.toString(size))
                    + " bytes, which is more than max-value-size"); // gdb's words; ours is MAX_VALUE_BYTES
        }
        return (int) size;
    }

    public Values(FrameContext frame) {
        this.frame = frame;
        this.locator = new Locator(frame);
    }

    public FrameContext frame() {
        return frame;
    }

    TypeReader types() {
        return frame.types().orElseThrow(() -> new ValueException("no debug information for this code"));
    }

    /** A visible variable of the frame: innermost block first; empty if none by that name. */
    public Optional<Value> local(String name) {
        List<Scope> scopes = frame.scopes();
        for (int i = scopes.size() - 1; i >= 0; i--) {
            for (Variable v : scopes.get(i).variables()) {
                if (name.equals(v.name())) {
                    return Optional.of(read(v));
                }
            }
        }
        return Optional.empty();
    }

    public Value read(Variable v) {
        return locator.read(v, types().type(v.typeOffset()));
    }

    /**
     * A global or static by name, as gdb resolves it: the frame's unit's statics, this module's
     * globals, then those of every other loaded module (a program's global watched from a
     * frame in libc). Modules with their DWARF in the file come before those with a separate
     * debug file (libc's, large).
     */
    public Optional<Value> global(String name) {
        Optional<Value> own = moduleGlobal(name);
        if (own.isPresent()) {
            return own;
        }
        LoadedModule mine = frame.module().orElse(null);
        for (boolean separateDebug : new boolean[] {false, true}) {
            for (LoadedModule m : frame.modules()) {
                if (m.equals(mine)) {
                    continue;
                }
                dev.quiesce.symbols.ModuleSymbols s = dev.quiesce.symbols.ModuleSymbols.of(m.elf());
                if (!s.hasDebugInfo() || (s.debugFile() != s.elf()) != separateDebug) {
                    continue;
                }
                Optional<Value> there = new Values(frame.forModule(m)).moduleGlobal(name);
                if (there.isPresent()) {
                    return there;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Value> moduleGlobal(String name) {
        Optional<TypeReader> types = frame.types();
        if (types.isEmpty()) {
            return Optional.empty();
        }
        long unit = frame.function() == null ? -1 : frame.function().unit().offset();
        for (Globals.Global g : Globals.of(types.get().debugInfo()).named(name, unit)) {
            return Optional.of(read(g));
        }
        return Optional.empty();
    }

    public Value read(Globals.Global g) {
        Type type = types().type(g.typeOffset());
        if (g.location() != null) {
            return locator.at(g.location(), type, types().debugInfo().unitContaining(g.unitOffset()));
        }
        if (g.constValue() instanceof Long l) {
            return Value.ofLong(type, l);
        }
        return Value.optimizedOut(type);
    }

    /** {@code $rax}, {@code $pc}…: the frame's register as an unsigned long (pc/sp/fp as pointers). */
    public Optional<Value> register(String name) {
        String n = switch (name) {
            case "pc" -> "rip";
            case "sp" -> "rsp";
            case "fp" -> "rbp";
            default -> name;
        };
        int r = REGISTERS.indexOf(n);
        if (r < 0) {
            return Optional.empty();
        }
        Type type = n.equals("rip") ? Type.pointerTo(new Type(Type.Kind.FUNCTION, null, 1, false).target(Type.VOID))
                : n.equals("rsp") || n.equals("rbp") ? Type.pointerTo(Type.VOID) : Type.LONG;
        if (!frame.registers().has(r)) {
            return Optional.of(Value.optimizedOut(type));
        }
        return Optional.of(Value.inRegister(type, r, Value.ofLong(Type.LONG, frame.registers().get(r)).bytes()));
    }

    public static List<String> registerNames() {
        return REGISTERS;
    }

    public Value member(Value v, Member m) {
        if (m.isStatic()) {
            return staticMember(m);
        }
        if (v.error() != null) {
            return v.slice(m.type(), 0, 0); // the same error, as the member's type
        }
        if (v.optimizedOut()) {
            return Value.optimizedOut(m.type());
        }
        if (m.isBitField()) {
            long bits = 0;
            int bytes = (m.bitOffset() + m.bitSize() + 7) / 8;
            if (m.bitSize() > 64 - m.bitOffset() || m.bitOffset() < 0 || m.byteOffset() < 0
                    || m.byteOffset() + bytes > v.bytes().length) {
                throw new ValueException("bit field " + m.name() + " (" + m.bitSize() + " bits at bit " + m.bitOffset()
                        + " of byte " + m.byteOffset() + ") is outside its " + v.bytes().length + "-byte " + v.type().name());
            }
            for (int i = 0; i < bytes; i++) {
                bits |= (v.bytes()[(int) m.byteOffset() + i] & 0xffL) << (8 * i);
            }
            bits = (bits >>> m.bitOffset()) & (m.bitSize() == 64 ? -1L : (1L << m.bitSize()) - 1);
            if (m.bitSize() < 64 && m.type().strip().signed() && (bits & (1L << (m.bitSize() - 1))) != 0) {
                bits |= -1L << m.bitSize();
            }
            return Value.bitField(m.type(), v.hasAddress() ? v.address() + m.byteOffset() : Value.NO_ADDRESS,
                    m.bitOffset(), m.bitSize(), bits);
        }
        Type t = locator.resolveBounds(m.type());
        if (m.byteOffset() < 0 || m.byteOffset() > v.bytes().length) {
            throw new ValueException("member " + m.name() + " at offset " + m.byteOffset() + " is outside its "
                    + v.bytes().length + "-byte " + v.type().name());
        }
        long size = Math.min(t.size(), v.bytes().length - m.byteOffset());
        return v.slice(t, m.byteOffset(), Math.max(0, size));
    }

    private Value staticMember(Member m) {
        // DWARF 5 puts the definition in the class; DWARF 4 has a declaration and a definition elsewhere.
        for (Globals.Global g : Globals.of(types().debugInfo()).all()) {
            if (g.dieOffset() == m.staticDie()) {
                return read(g);
            }
        }
        var info = types().debugInfo();
        for (Globals.Global g : Globals.of(info).all()) {
            if (g.name().equals(m.name()) && g.qualifiedName().endsWith("::" + m.name())) {
                Value v = read(g);
                return v;
            }
        }
        return Value.optimizedOut(m.type());
    }

    /** Finds a member by name, through base classes and anonymous structs/unions. */
    public Optional<Value> member(Value v, String name) {
        Type t = v.type().strip();
        if (t.kind() != Type.Kind.STRUCT && t.kind() != Type.Kind.CLASS && t.kind() != Type.Kind.UNION) {
            return Optional.empty();
        }
        for (Member m : t.members()) {
            if (name.equals(m.name()) && !m.inheritance()) {
                return Optional.of(member(v, m));
            }
        }
        for (Member m : t.members()) {
            if (m.inheritance() || m.name() == null) {
                Optional<Value> inner = member(member(v, m), name);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A direct, non-bit-field member read alone through a pointer to its struct (the struct
     * itself need not be readable); empty when {@code name} is not such a member.
     */
    public Optional<Value> memberAt(Value pointer, String name) {
        Type t = pointer.type().strip().target();
        Type s = t == null ? Type.VOID : t.strip();
        for (Member m : s.members()) {
            if (name.equals(m.name()) && !m.inheritance() && !m.isStatic() && !m.isBitField()) {
                return Optional.of(readAt(m.type(), pointer.asLong() + m.byteOffset()));
            }
        }
        return Optional.empty();
    }

    /** Number of elements in the first dimension of an array value. */
    public long length(Value v) {
        Type t = v.type().strip();
        return t.bounds().isEmpty() ? 0 : Math.max(0, t.bounds().get(0).count()); // a negative count from DWARF: empty
    }

    /** The type of one element of an array's first dimension (a sub-array for multi-dimensional ones). */
    public static Type elementType(Type array) {
        Type t = array.strip();
        if (t.bounds().size() <= 1) {
            return t.target();
        }
        return new Type(Type.Kind.ARRAY, null, 0, false).target(t.target()).bounds(t.bounds().subList(1, t.bounds().size()));
    }

    public Value element(Value array, long index) {
        Type element = elementType(array.type());
        long size = element.size();
        long n = length(array);
        if (array.error() != null && array.hasAddress()) {
            return readAt(element, array.address() + index * size); // too large to read whole: one element
        }
        if (index < 0 || index >= n) {
            if (!array.hasAddress()) {
                throw new ValueException("index " + index + " is outside the array (0.." + (n - 1) + ")");
            }
            return readAt(element, array.address() + index * size);
        }
        if (array.optimizedOut()) {
            return Value.optimizedOut(element);
        }
        return array.slice(element, index * size, size);
    }

    public List<Value> elements(Value array, int max) {
        List<Value> out = new ArrayList<>();
        long n = Math.min(length(array), max);
        for (long i = 0; i < n; i++) {
            out.add(element(array, i));
        }
        return out;
    }

    public Value readAt(Type type, long address) {
        Type t = locator.resolveBounds(type);
        Type.Kind kind = t.strip().kind();
        int size;
        try {
            size = kind == Type.Kind.FUNCTION || kind == Type.Kind.VOID ? 0 : readableSize(t);
        } catch (ValueException tooLarge) {
            if (kind == Type.Kind.ARRAY) {
                return Value.unreadAt(t, address, tooLarge); // its elements still read one by one
            }
            throw tooLarge;
        }
        return Value.inMemory(t, address, frame.memory().read(address, size));
    }

    public Value dereference(Value pointer) {
        Type t = pointer.type().strip();
        if (t.kind() != Type.Kind.POINTER && t.kind() != Type.Kind.REFERENCE) {
            throw new ValueException("cannot dereference " + pointer.type().name());
        }
        if (pointer.optimizedOut()) {
            throw new ValueException("value has been optimized out");
        }
        Type target = t.target();
        if (target.strip().kind() == Type.Kind.VOID) {
            throw new ValueException("cannot dereference a void pointer");
        }
        return readAt(target, pointer.asLong());
    }

    public Value addressOf(Value v) {
        if (!v.hasAddress() || v.isBitField()) {
            throw new ValueException(v.isBitField() ? "cannot take the address of a bit field"
                    : "cannot take the address of a value that is not in memory");
        }
        return Value.ofLong(Type.pointerTo(v.type()), v.address());
    }

    /** Writes {@code value} (already converted to the target's type) into the target's place. */
    public Value assign(Value target, Value value) {
        if (target.optimizedOut()) {
            throw new ValueException("cannot assign to a value that has been optimized out");
        }
        if (target.isBitField()) {
            long address = target.address();
            if (address == Value.NO_ADDRESS) {
                throw new ValueException("cannot assign to a value that is not in memory");
            }
            int bytes = (target.bitOffset() + target.bitSize() + 7) / 8;
            byte[] old = frame.memory().read(address, bytes);
            long word = 0;
            for (int i = 0; i < bytes; i++) {
                word |= (old[i] & 0xffL) << (8 * i);
            }
            long mask = ((1L << target.bitSize()) - 1) << target.bitOffset();
            word = (word & ~mask) | ((value.asLong() << target.bitOffset()) & mask);
            for (int i = 0; i < bytes; i++) {
                old[i] = (byte) (word >>> (8 * i));
            }
            frame.memory().write(address, old);
            Member m = new Member(null, target.type(), 0, target.bitOffset(), target.bitSize(), false, -1);
            return member(Value.inMemory(Type.VOID, address, old), m);
        }
        if (!target.hasAddress()) {
            throw new ValueException(target.register() >= 0
                    ? "cannot assign to a value kept in a register (not supported yet)"
                    : "cannot assign to a value that is not in memory");
        }
        byte[] bytes = java.util.Arrays.copyOf(value.bytes(), readableSize(target.type()));
        frame.memory().write(target.address(), bytes);
        return Value.inMemory(target.type(), target.address(), bytes);
    }
}

package dev.quiesce.values;

import dev.quiesce.linux.FpRegisters;
import dev.quiesce.symbols.dwarf.DwarfException;
import dev.quiesce.symbols.dwarf.DwarfExpression;
import dev.quiesce.symbols.dwarf.ExpressionContext;
import dev.quiesce.symbols.dwarf.Unit;
import dev.quiesce.symbols.dwarf.ExpressionResult;
import dev.quiesce.symbols.dwarf.Location;
import dev.quiesce.symbols.dwarf.LocationEntry;
import dev.quiesce.symbols.dwarf.Piece;
import dev.quiesce.symbols.dwarf.ValueLocation;
import dev.quiesce.symbols.dwarf.Variable;
import dev.quiesce.symbols.unwind.RegisterSet;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a variable's value in a frame: picks its location expression (from a location list by
 * the frame's pc), runs it through {@link DwarfExpression} with the frame's registers, frame base
 * and CFA, and reads the bytes. Anything the frame cannot supply (a register the unwinder did not
 * recover, no list entry for the pc, DW_OP_entry_value) makes the value {@code <optimized out>}.
 */
public final class Locator {
    private static final int FIRST_XMM = 17; // DWARF numbers 17..32 are xmm0..xmm15

    private final FrameContext frame;

    public Locator(FrameContext frame) {
        this.frame = frame;
    }

    /** Thrown inside expression evaluation when the frame lacks something: means optimized out. */
    private static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    public Value read(Variable v, Type declared) {
        Type type = resolveBounds(declared);
        if (v.constValue() != null) {
            try {
                return constant(type, v.constValue());
            } catch (ValueException e) {
                return Value.error(type, e);
            }
        }
        byte[] expr;
        try {
            expr = expression(v.location());
        } catch (DwarfException | IndexOutOfBoundsException e) {
            // a location list that runs past its section, or of an unknown kind: say so, do not crash
            return Value.error(type, new ValueException("cannot read the location list of " + v.name() + ": "
                    + (e instanceof DwarfException ? e.getMessage() : "it runs past the end of its section")));
        }
        if (expr == null) {
            return Value.optimizedOut(type);
        }
        return at(expr, type);
    }

    /** A value from one location expression of the frame's function. */
    public Value at(byte[] expr, Type type) {
        return at(expr, type, frame.function() == null ? null : frame.function().unit());
    }

    /**
     * A value from one location expression of {@code unit} (a global's): DW_OP_addrx indexes
     * that unit's slice of .debug_addr (its DW_AT_addr_base), which clang's DWARF 5 uses for
     * every global.
     */
    public Value at(byte[] expr, Type type, Unit unit) {
        ExpressionResult r;
        try {
            r = DwarfExpression.evaluate(expr, context(unit));
        } catch (Unavailable | DwarfException e) {
            return Value.optimizedOut(type);
        }
        try {
            int size = Values.readableSize(type);
            if (!r.composite()) {
                return whole(r.location(), type, size);
            }
            return Value.of(type, pieces(r.pieces(), size));
        } catch (Unavailable e) {
            return Value.optimizedOut(type);
        } catch (ValueException e) {
            // unreadable memory, or too large: shown as gdb shows it, <error: ...>
            return Value.error(type, e);
        }
    }

    private Value whole(ValueLocation l, Type type, int size) {
        if (l instanceof ValueLocation.Memory m) {
            return Value.inMemory(type, m.address(), read(m.address(), size));
        }
        if (l instanceof ValueLocation.Register reg) {
            return Value.inRegister(type, reg.dwarfNumber(), fit(registerBytes(reg.dwarfNumber()), size));
        }
        if (l instanceof ValueLocation.Value v) {
            return Value.of(type, fit(longBytes(v.value()), size));
        }
        if (l instanceof ValueLocation.Implicit i) {
            return Value.of(type, fit(i.bytes(), size));
        }
        return Value.optimizedOut(type);
    }

    private byte[] pieces(List<Piece> pieces, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Piece p : pieces) {
            if (p.sizeBits() % 8 != 0 || p.offsetBits() % 8 != 0) {
                throw new Unavailable("bit pieces");
            }
            if (p.sizeBits() / 8 > size - out.size() + 8L || p.offsetBits() < 0 || p.offsetBits() / 8 > Integer.MAX_VALUE) {
                throw new Unavailable("a piece larger than the value"); // corrupt DWARF: never allocate for it
            }
            int n = (int) (p.sizeBits() / 8);
            byte[] part;
            ValueLocation l = p.location();
            if (l instanceof ValueLocation.Memory m) {
                part = read(m.address() + p.offsetBits() / 8, n);
            } else if (l instanceof ValueLocation.Register reg) {
                part = slice(registerBytes(reg.dwarfNumber()), (int) (p.offsetBits() / 8), n);
            } else if (l instanceof ValueLocation.Value v) {
                part = slice(longBytes(v.value()), (int) (p.offsetBits() / 8), n);
            } else if (l instanceof ValueLocation.Implicit i) {
                part = slice(i.bytes(), (int) (p.offsetBits() / 8), n);
            } else {
                throw new Unavailable("a piece is optimized out");
            }
            out.writeBytes(part);
        }
        return fit(out.toByteArray(), size);
    }

    private byte[] read(long address, int size) {
        return frame.memory().read(address, size);
    }

    private byte[] registerBytes(int dwarf) {
        if (dwarf >= FIRST_XMM && dwarf < FIRST_XMM + 16) {
            FpRegisters fp = frame.fpRegisters();
            if (fp == null) {
                throw new Unavailable("xmm registers are known in frame 0 only");
            }
            return fp.xmm(dwarf - FIRST_XMM);
        }
        RegisterSet regs = frame.registers();
        if (dwarf > 16 || !regs.has(dwarf)) {
            throw new Unavailable("register " + dwarf + " is not known in this frame");
        }
        return longBytes(regs.get(dwarf));
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static byte[] slice(byte[] b, int from, int n) {
        byte[] out = new byte[n];
        if (from >= 0 && from < b.length) {
            System.arraycopy(b, from, out, 0, Math.min(n, b.length - from));
        }
        return out;
    }

    private static byte[] fit(byte[] b, int size) {
        return slice(b, 0, Math.max(size, 0));
    }

    private static Value constant(Type type, Object c) {
        if (c instanceof byte[] b) {
            return Value.of(type, fit(b, Values.readableSize(type)));
        }
        if (c instanceof Long l) {
            return Value.of(type, fit(longBytes(l), Math.max(1, Values.readableSize(type))));
        }
        if (c instanceof String s) {
            return Value.of(type, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return Value.optimizedOut(type);
    }

    /** The expression that applies at the frame's pc, or null (no location: optimized out). */
    private byte[] expression(Location loc) {
        if (loc == null) {
            return null;
        }
        if (loc.isExpression()) {
            return loc.expression();
        }
        if (loc.isList() && frame.hasFrame()) {
            long pc = frame.lookupPc();
            byte[] fallback = null;
            for (LocationEntry e : loc.entries()) {
                if (e.contains(pc)) {
                    return e.expression();
                }
                if (e.isDefault()) {
                    fallback = e.expression();
                }
            }
            return fallback;
        }
        return null;
    }

    /** A VLA's type with its dimensions computed in this frame (unknown ones become 0). */
    public Type resolveBounds(Type t) {
        Type s = t.strip();
        if (s.kind() != Type.Kind.ARRAY || s.bounds().stream().allMatch(Type.Bound::constant)) {
            return t;
        }
        List<Type.Bound> out = new ArrayList<>();
        for (Type.Bound b : s.bounds()) {
            out.add(b.constant() ? b : Type.Bound.of(Math.max(0, dynamicCount(b))));
        }
        return new Type(Type.Kind.ARRAY, null, 0, false).target(s.target()).bounds(out);
    }

    private long dynamicCount(Type.Bound b) {
        try {
            long v;
            if (b.expression() != null) {
                v = DwarfExpression.evaluate(b.expression(), context()).value();
            } else {
                Variable var = frame.scopeVariable(b.variableDie()).orElse(null);
                if (var == null) {
                    return 0;
                }
                Value value = read(var, Type.LONG);
                if (value.optimizedOut()) {
                    return 0;
                }
                v = value.asLong();
            }
            return v + b.count(); // count holds +1 for an upper bound
        } catch (Unavailable | DwarfException | ValueException e) {
            return 0;
        }
    }

    private ExpressionContext context() {
        return context(frame.function() == null ? null : frame.function().unit());
    }

    private ExpressionContext context(Unit unit) {
        return new ExpressionContext() {
            private boolean inFrameBase; // a frame base that uses DW_OP_fbreg would recurse without end

            @Override
            public long register(int dwarfNumber) {
                RegisterSet regs = frame.registers();
                if (dwarfNumber > 16 || !regs.has(dwarfNumber)) {
                    throw new Unavailable("register " + dwarfNumber + " is not known in this frame");
                }
                return regs.get(dwarfNumber);
            }

            @Override
            public long readMemory(long address, int size) {
                byte[] b = read(address, size);
                long v = 0;
                for (int i = 0; i < b.length && i < 8; i++) {
                    v |= (b[i] & 0xffL) << (8 * i);
                }
                return v;
            }

            @Override
            public long frameBase() {
                if (frame.function() == null || frame.function().frameBase() == null) {
                    throw new Unavailable("no frame base");
                }
                if (inFrameBase) {
                    throw new Unavailable("DW_AT_frame_base uses DW_OP_fbreg itself");
                }
                ExpressionResult r;
                inFrameBase = true;
                try {
                    r = DwarfExpression.evaluate(frame.function().frameBase(), this);
                } finally {
                    inFrameBase = false;
                }
                ValueLocation l = r.location();
                if (l instanceof ValueLocation.Register reg) {
                    return register(reg.dwarfNumber()); // DW_OP_bregN-less frame bases: DW_OP_reg6 = rbp
                }
                return r.value();
            }

            @Override
            public long callFrameCfa() {
                if (!frame.hasFrame()) {
                    throw new Unavailable("no frame");
                }
                return frame.frame().cfa();
            }

            @Override
            public long addressIndex(long index) {
                if (unit == null) {
                    throw new Unavailable("DW_OP_addrx outside a unit");
                }
                return unit.indexedAddress(index);
            }

            @Override
            public long tlsAddress(long offset) {
                return frame.threadLocalAddress(offset);
            }

            @Override
            public long relocate(long linkTimeAddress) {
                return linkTimeAddress + frame.bias();
            }
        };
    }
}

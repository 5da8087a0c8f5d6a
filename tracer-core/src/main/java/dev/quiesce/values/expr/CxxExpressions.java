package dev.quiesce.values.expr;

import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.dwarf.Demangler;
import dev.quiesce.symbols.elf.ElfSymbol;
import dev.quiesce.values.Member;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.Values;
import java.util.Optional;

/** gdb's artificial arrays ({@code *p@N}) and C++'s dynamic_cast, apart from the C evaluator. */
final class CxxExpressions {
    private final Values values;

    CxxExpressions(Values values) {
        this.values = values;
    }

    /** {@code x@n}: n objects of x's type starting at x's address (gdb: "Only values in memory can be extended with '@'"). */
    Value artificialArray(Value first, Value count, int pos) {
        if (!first.hasAddress()) {
            throw new ExpressionException("only values in memory can be extended with '@', at " + pos);
        }
        if (!count.type().isInteger() || count.asLong() <= 0) {
            throw new ExpressionException("the count after '@' must be a positive integer, at " + pos);
        }
        return values.readAt(Type.arrayOf(first.type(), count.asLong()), first.address());
    }

    /**
     * {@code dynamic_cast<T *>(p)} by the object's dynamic type: the vptr (the object's first
     * word) points into a vtable symbol {@code _ZTV<type>}; the vtable's offset-to-top (the
     * word 16 bytes before the address point, Itanium C++ ABI 2.5.2) leads to the whole object,
     * and T must be that type or one of its bases. A failed cast is a null pointer.
     */
    Value dynamicCast(Type target, Value pointer, int pos) {
        Type t = target.strip();
        if (t.kind() != Type.Kind.POINTER || pointer.type().strip().kind() != Type.Kind.POINTER) {
            throw new ExpressionException("dynamic_cast here needs a pointer type and a pointer, at " + pos);
        }
        long p = pointer.asLong();
        if (p == 0) {
            return Value.ofLong(target, 0);
        }
        long vptr = word(p);
        String dynamicName = vtableType(vptr).orElseThrow(() ->
                new ExpressionException("the object at 0x" + Long.toHexString(p) + " has no vtable we know, at " + pos));
        long whole = p + word(vptr - 16);
        String wanted = t.target().strip().name();
        if (dynamicName.equals(wanted)) {
            return Value.ofLong(target, whole);
        }
        Optional<Type> dynamic = values.frame().types().flatMap(tr -> tr.typeNamed(dynamicName));
        long offset = dynamic.map(d -> baseOffset(d.strip(), wanted, 0)).orElse(-1L);
        return Value.ofLong(target, offset < 0 ? 0 : whole + offset);
    }

    private long word(long address) {
        return values.readAt(Type.ULONG, address).asLong();
    }

    /** The offset of base class {@code name} inside {@code t}, searched depth first; -1 if none. */
    private static long baseOffset(Type t, String name, int depth) {
        if (depth > 64) {
            return -1;
        }
        for (Member m : t.members()) {
            if (m.inheritance()) {
                if (m.type().strip().name().equals(name)) {
                    return m.byteOffset();
                }
                long inner = baseOffset(m.type().strip(), name, depth + 1);
                if (inner >= 0) {
                    return m.byteOffset() + inner;
                }
            }
        }
        return -1;
    }

    /** "ns::Square" for a vptr into {@code _ZTVN2ns6SquareE} ("vtable for ns::Square"), in whichever module holds it. */
    private Optional<String> vtableType(long vptr) {
        for (LoadedModule m : modulesToSearch()) {
            if (!m.contains(vptr)) {
                continue;
            }
            long linkTime = m.toLinkTime(vptr);
            for (ElfSymbol s : m.elf().symbols()) {
                if (s.name().startsWith("_ZTV") && s.contains(linkTime)) {
                    String d = Demangler.demangle(s.name());
                    return d != null && d.startsWith("vtable for ") ? Optional.of(d.substring("vtable for ".length())) : Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private java.util.List<LoadedModule> modulesToSearch() {
        java.util.List<LoadedModule> out = new java.util.ArrayList<>();
        values.frame().module().ifPresent(out::add);
        out.addAll(values.frame().modules());
        return out;
    }
}

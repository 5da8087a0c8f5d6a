package dev.quiesce.symbols.dwarf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The DWARF expression stack machine (DWARF 5 §2.5) and location descriptions (§2.6): runs one
 * expression against an {@link ExpressionContext} and returns a location, or the pieces of a
 * composite one. Addresses are 8 bytes (x86-64). Untyped ("generic type") arithmetic only: the
 * typed operators of §2.5.1.6 are refused with a clear message.
 */
public final class DwarfExpression {
    private static final int ADDRESS_SIZE = 8;
    /**
     * Operations run by one evaluation: DW_OP_skip/DW_OP_bra can jump backwards, so corrupt
     * DWARF can loop; real location expressions run a few dozen.
     */
    private static final int MAX_STEPS = 100_000;
    /** Entries on the stack: compilers need a handful; DW_OP_dup in a loop must not grow it to the step limit. */
    static final int MAX_STACK = 1024;

    private final ByteBuffer code;
    private final ExpressionContext context;

    private DwarfExpression(ByteBuffer code, ExpressionContext context) {
        this.code = code;
        this.context = context;
    }

    public static ExpressionResult evaluate(byte[] code, ExpressionContext context, long... initialStack) {
        return evaluate(ByteBuffer.wrap(code), context, initialStack);
    }

    /**
     * Runs {@code code} with {@code initialStack} pushed first (bottom to top); CFI expressions
     * start with the CFA pushed (DWARF 5 §6.4.2).
     */
    public static ExpressionResult evaluate(ByteBuffer code, ExpressionContext context, long... initialStack) {
        return new DwarfExpression(code, context).run(initialStack);
    }

    /** The kind of location the operators since the last piece describe (§2.6.1.1). */
    private enum Kind { MEMORY, REGISTER, VALUE, IMPLICIT }

    private final LongStack stack = new LongStack();
    private final List<Piece> pieces = new ArrayList<>();
    private Kind kind = Kind.MEMORY;
    private int register;
    private byte[] implicit;
    private boolean described; // some operator since the last piece

    private ExpressionResult run(long[] initialStack) {
        for (long v : initialStack) {
            stack.push(v);
        }
        DwarfCursor c = new DwarfCursor(code);
        int steps = 0;
        while (!c.atEnd()) {
            if (++steps > MAX_STEPS) {
                throw new DwarfException("DWARF expression runs more than " + MAX_STEPS + " steps (a loop?)");
            }
            int at = c.position();
            int op = c.u8();
            try {
                step(op, c);
            } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
                throw new DwarfException("DWARF expression truncated in opcode 0x" + Integer.toHexString(op) + " at " + at);
            }
        }
        if (pieces.isEmpty()) {
            return new ExpressionResult(List.of(new Piece(currentLocation(), Piece.WHOLE, 0)));
        }
        if (described) {
            throw new DwarfException("DWARF expression ends with a location that no DW_OP_piece completes");
        }
        return new ExpressionResult(pieces);
    }

    private void step(int op, DwarfCursor c) {
        if (op >= DwOp.LIT0 && op <= DwOp.LIT31) {
            push(op - DwOp.LIT0);
            return;
        }
        if (op >= DwOp.REG0 && op <= DwOp.REG31) {
            setRegister(op - DwOp.REG0);
            return;
        }
        if (op >= DwOp.BREG0 && op <= DwOp.BREG31) {
            push(context.register(op - DwOp.BREG0) + c.sleb());
            return;
        }
        switch (op) {
            case DwOp.ADDR -> push(context.relocate(c.u64()));
            case DwOp.ADDRX, DwOp.GNU_ADDR_INDEX -> push(context.relocate(context.addressIndex(c.uleb())));
            case DwOp.CONSTX, DwOp.GNU_CONST_INDEX -> push(context.addressIndex(c.uleb()));
            case DwOp.CONST1U -> push(c.u8());
            case DwOp.CONST1S -> push(c.s8());
            case DwOp.CONST2U -> push(c.u16());
            case DwOp.CONST2S -> push(c.s16());
            case DwOp.CONST4U -> push(c.u32());
            case DwOp.CONST4S -> push(c.s32());
            case DwOp.CONST8U, DwOp.CONST8S -> push(c.u64());
            case DwOp.CONSTU -> push(c.uleb());
            case DwOp.CONSTS -> push(c.sleb());
            case DwOp.DUP -> push(stack.peek(0));
            case DwOp.DROP -> stack.pop();
            case DwOp.OVER -> push(stack.peek(1));
            case DwOp.PICK -> push(stack.peek(c.u8()));
            case DwOp.SWAP -> {
                long a = stack.pop();
                long b = stack.pop();
                push(a);
                push(b);
            }
            case DwOp.ROT -> { // top three: (c b a) -> (a c b), DWARF 5 §2.5.1.3
                long a = stack.pop();
                long b = stack.pop();
                long d = stack.pop();
                push(a);
                push(d);
                push(b);
            }
            case DwOp.DEREF -> push(context.readMemory(stack.pop(), ADDRESS_SIZE));
            case DwOp.DEREF_SIZE -> {
                int size = c.u8();
                if (size < 1 || size > ADDRESS_SIZE) {
                    throw new DwarfException("DW_OP_deref_size of " + size + " bytes");
                }
                push(context.readMemory(stack.pop(), size));
            }
            case DwOp.XDEREF, DwOp.XDEREF_SIZE, DwOp.XDEREF_TYPE ->
                    throw new DwarfException("DW_OP_xderef: address spaces are not supported");
            case DwOp.ABS -> push(Math.abs(stack.pop()));
            case DwOp.NEG -> push(-stack.pop());
            case DwOp.NOT -> push(~stack.pop());
            case DwOp.AND -> binary(op);
            case DwOp.DIV, DwOp.MINUS, DwOp.MOD, DwOp.MUL, DwOp.OR, DwOp.PLUS, DwOp.SHL, DwOp.SHR, DwOp.SHRA,
                    DwOp.XOR, DwOp.EQ, DwOp.GE, DwOp.GT, DwOp.LE, DwOp.LT, DwOp.NE -> binary(op);
            case DwOp.PLUS_UCONST -> push(stack.pop() + c.uleb());
            case DwOp.SKIP -> jump(c, c.s16());
            case DwOp.BRA -> {
                int offset = c.s16();
                if (stack.pop() != 0) {
                    jump(c, offset);
                }
            }
            case DwOp.REGX -> setRegister(checkedRegister(c.uleb()));
            case DwOp.BREGX -> {
                int reg = checkedRegister(c.uleb());
                push(context.register(reg) + c.sleb());
            }
            case DwOp.FBREG -> push(context.frameBase() + c.sleb());
            case DwOp.CALL_FRAME_CFA -> push(context.callFrameCfa());
            case DwOp.PUSH_OBJECT_ADDRESS -> push(context.objectAddress());
            case DwOp.FORM_TLS_ADDRESS, DwOp.GNU_PUSH_TLS_ADDRESS -> push(context.tlsAddress(stack.pop()));
            case DwOp.STACK_VALUE -> {
                kind = Kind.VALUE;
                described = true;
            }
            case DwOp.IMPLICIT_VALUE -> {
                implicit = c.bytes((int) c.uleb());
                kind = Kind.IMPLICIT;
                described = true;
            }
            case DwOp.PIECE -> piece(c.uleb() * 8, 0);
            case DwOp.BIT_PIECE -> {
                long size = c.uleb();
                piece(size, c.uleb());
            }
            case DwOp.ENTRY_VALUE, DwOp.GNU_ENTRY_VALUE -> push(context.entryValue(c.bytes((int) c.uleb())));
            case DwOp.GNU_PARAMETER_REF -> {
                c.u32();
                throw new DwarfException("DW_OP_GNU_parameter_ref: the caller's parameter value is not known");
            }
            case DwOp.NOP -> { }
            case DwOp.GNU_UNINIT -> { }
            case DwOp.CALL2, DwOp.CALL4, DwOp.CALL_REF ->
                    throw new DwarfException("DW_OP_call* (DIE-relative sub-expressions) is not supported");
            case DwOp.IMPLICIT_POINTER, DwOp.GNU_IMPLICIT_POINTER ->
                    throw new DwarfException("DW_OP_implicit_pointer is not supported");
            case DwOp.CONST_TYPE, DwOp.REGVAL_TYPE, DwOp.DEREF_TYPE, DwOp.CONVERT, DwOp.REINTERPRET ->
                    throw new DwarfException("typed DWARF operator 0x" + Integer.toHexString(op) + " is not supported");
            default -> throw new DwarfException("unknown DWARF expression opcode 0x" + Integer.toHexString(op)
                    + " at " + (c.position() - 1));
        }
    }

    private void binary(int op) {
        long b = stack.pop(); // the top
        long a = stack.pop(); // the one below
        push(switch (op) {
            case DwOp.AND -> a & b;
            case DwOp.OR -> a | b;
            case DwOp.XOR -> a ^ b;
            case DwOp.PLUS -> a + b;
            case DwOp.MINUS -> a - b;
            case DwOp.MUL -> a * b;
            case DwOp.DIV -> {
                if (b == 0) {
                    throw new DwarfException("DW_OP_div by zero");
                }
                yield a / b; // signed (DWARF 5 §2.5.1.4)
            }
            case DwOp.MOD -> {
                if (b == 0) {
                    throw new DwarfException("DW_OP_mod by zero");
                }
                yield Long.remainderUnsigned(a, b);
            }
            case DwOp.SHL -> b >= 64 ? 0 : a << b;
            case DwOp.SHR -> b >= 64 ? 0 : a >>> b;
            case DwOp.SHRA -> a >> Math.min(b & 0xffffffffL, 63);
            // Comparisons of the generic type are signed (§2.5.1.5).
            case DwOp.EQ -> a == b ? 1 : 0;
            case DwOp.NE -> a != b ? 1 : 0;
            case DwOp.GE -> a >= b ? 1 : 0;
            case DwOp.GT -> a > b ? 1 : 0;
            case DwOp.LE -> a <= b ? 1 : 0;
            case DwOp.LT -> a < b ? 1 : 0;
            default -> throw new IllegalStateException();
        });
    }

    private void jump(DwarfCursor c, int offset) {
        long target = (long) c.position() + offset;
        if (target < 0 || target > c.limit()) {
            throw new DwarfException("DWARF expression branches to " + target + ", outside its " + c.limit() + " bytes");
        }
        c.seek(target);
    }

    private static int checkedRegister(long reg) {
        if (reg < 0 || reg > 0xffff) {
            throw new DwarfException("register number " + reg + " out of range");
        }
        return (int) reg;
    }

    private void push(long v) {
        stack.push(v);
        described = true;
    }

    private void setRegister(int reg) {
        kind = Kind.REGISTER;
        register = reg;
        described = true;
    }

    private ValueLocation currentLocation() {
        switch (kind) {
            case REGISTER:
                return new ValueLocation.Register(register);
            case IMPLICIT:
                return new ValueLocation.Implicit(implicit);
            case VALUE:
                return new ValueLocation.Value(stack.pop());
            default:
                if (stack.isEmpty()) {
                    return new ValueLocation.OptimizedOut();
                }
                return new ValueLocation.Memory(stack.pop());
        }
    }

    private void piece(long sizeBits, long offsetBits) {
        ValueLocation l = described ? currentLocation() : new ValueLocation.OptimizedOut();
        pieces.add(new Piece(l, sizeBits, offsetBits));
        kind = Kind.MEMORY;
        described = false;
        implicit = null;
    }

    /** A growable stack of 64-bit values with DWARF's underflow reported as a DwarfException. */
    private static final class LongStack {
        private long[] values = new long[16];
        private int size;

        void push(long v) {
            if (size == MAX_STACK) {
                throw new DwarfException("DWARF expression stack grows past " + MAX_STACK + " entries");
            }
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long pop() {
            if (size == 0) {
                throw new DwarfException("DWARF expression stack underflow");
            }
            return values[--size];
        }

        long peek(int depth) {
            if (depth >= size) {
                throw new DwarfException("DWARF expression stack has " + size + " entries; cannot reach entry " + depth);
            }
            return values[size - 1 - depth];
        }

        boolean isEmpty() {
            return size == 0;
        }
    }
}

package dev.quiesce.values.call;

import dev.quiesce.linux.FpRegisters;
import dev.quiesce.linux.Registers;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The registers and stack of one call under the System V x86-64 ABI, built from the thread's
 * saved registers: arguments in rdi, rsi, rdx, rcx, r8, r9 and xmm0-7 by class, the rest (and
 * MEMORY-class values) on the stack in order, a hidden result pointer in rdi for a MEMORY-class
 * result, rax = the number of vector registers used (what a varargs callee reads). The stack
 * starts below the caller's 128-byte red zone and is 16-byte aligned at the call, with the
 * return address pushed below that: rsp % 16 == 8 at the callee's first instruction. A C++
 * class that is not trivial for calls goes by invisible reference both ways (Itanium C++ ABI).
 */
final class SysVFrame {
    /** psABI 3.2.2: the 128 bytes below rsp belong to the interrupted function (leaf data lives there). */
    static final int RED_ZONE = 128;
    private static final int[] INTEGER_REGISTERS = {14, 13, 12, 11, 9, 8}; // rdi rsi rdx rcx r8 r9 in user_regs_struct
    private static final int RAX = Registers.RAX;
    private static final int RDX = 12;
    private static final int SSE_REGISTERS = 8;

    /** A block of the program's memory to write before the call. */
    record Write(long address, byte[] bytes) {
    }

    /** Where the result will be: its type, classes, and the hidden buffer for a MEMORY-class one (else -1). */
    record Result(Type type, ArgumentClass[] classes, long buffer) {
    }

    final Registers registers;
    final FpRegisters fp;
    final List<Write> writes;
    final Result result;

    private SysVFrame(Registers registers, FpRegisters fp, List<Write> writes, Result result) {
        this.registers = registers;
        this.fp = fp;
        this.writes = writes;
        this.result = result;
    }

    static SysVFrame build(Registers saved, FpRegisters savedFp, long function, long returnAddress,
                           Type returnType, List<Value> arguments) {
        List<Write> writes = new ArrayList<>();
        long sp = saved.rsp() - RED_ZONE;
        List<Value> args = new ArrayList<>();
        for (Value a : arguments) {
            if (a.type().strip().kind() == Type.Kind.ARRAY) {
                // An array that is not in the program (a string literal): copied onto the stack, passed by address.
                sp = (sp - a.bytes().length) & ~15L;
                writes.add(new Write(sp, a.bytes()));
                a = Value.ofLong(Type.pointerTo(a.type().strip().target()), sp);
            } else if (a.type().strip().byReference()) {
                // Itanium C++ ABI: a class not trivial for calls is passed as the address of a
                // temporary. Ours is a bitwise copy on the stack (gdb runs the copy constructor):
                // the callee reads the same members; nobody runs its destructor.
                sp = (sp - a.bytes().length) & ~15L;
                writes.add(new Write(sp, a.bytes()));
                a = Value.ofLong(Type.pointerTo(a.type()), sp);
            }
            args.add(a);
        }
        Type ret = returnType.strip();
        ArgumentClass[] retClasses = ret.kind() == Type.Kind.VOID ? new ArgumentClass[0] : ArgumentClass.of(ret);
        long buffer = -1;
        long[] words = saved.words();
        int nextInteger = 0;
        int nextSse = 0;
        FpRegisters fp = savedFp;
        if (retClasses.length == 1 && retClasses[0] == ArgumentClass.MEMORY) {
            sp = (sp - ret.size()) & ~15L;
            buffer = sp;
            words[INTEGER_REGISTERS[nextInteger++]] = buffer;
        }
        ByteArrayOutputStream stack = new ByteArrayOutputStream();
        for (Value a : args) {
            ArgumentClass[] classes = ArgumentClass.of(a.type());
            byte[] bytes = widened(a);
            int integers = (int) Arrays.stream(classes).filter(c -> c == ArgumentClass.INTEGER).count();
            int sses = (int) Arrays.stream(classes).filter(c -> c == ArgumentClass.SSE).count();
            boolean memory = classes[0] == ArgumentClass.MEMORY;
            if (memory || nextInteger + integers > INTEGER_REGISTERS.length || nextSse + sses > SSE_REGISTERS) {
                stack.writeBytes(bytes); // already a multiple of 8: each stack argument takes whole eightbytes
                continue;
            }
            for (int k = 0; k < classes.length; k++) {
                byte[] eight = Arrays.copyOfRange(bytes, 8 * k, 8 * k + 8);
                if (classes[k] == ArgumentClass.INTEGER) {
                    words[INTEGER_REGISTERS[nextInteger++]] = ByteBuffer.wrap(eight).order(ByteOrder.LITTLE_ENDIAN).getLong();
                } else {
                    fp = fp.withXmm(nextSse++, Arrays.copyOf(eight, 16));
                }
            }
        }
        byte[] onStack = stack.toByteArray();
        sp = (sp - onStack.length) & ~15L; // 16-byte aligned where the stack arguments start (psABI 3.2.2)
        if (onStack.length > 0) {
            writes.add(new Write(sp, onStack));
        }
        sp -= 8;
        writes.add(new Write(sp, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(returnAddress).array()));
        words[Registers.RSP] = sp;
        words[Registers.RIP] = function;
        words[RAX] = nextSse; // al: the number of vector registers a varargs callee must save
        return new SysVFrame(new Registers(words), fp, writes, new Result(returnType, retClasses, buffer));
    }

    /** A value's bytes in whole eightbytes; signed integers sign-extended (callers extend, as gcc and clang expect). */
    private static byte[] widened(Value a) {
        Type t = a.type().strip();
        if (a.optimizedOut()) {
            throw new ValueException("an argument has been optimized out");
        }
        byte[] bytes = a.bytes();
        int size = (int) Math.max(8, (bytes.length + 7) / 8 * 8);
        if ((t.isInteger() || t.kind() == Type.Kind.POINTER) && bytes.length <= 8) {
            long v = a.asLong();
            return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
        }
        return Arrays.copyOf(bytes, size);
    }

    /**
     * The result's bytes from the registers at the return: INTEGER eightbytes from rax then
     * rdx, SSE ones from xmm0 then xmm1, in the order the classes come; null for MEMORY
     * (read from the buffer) and void.
     */
    static byte[] resultBytes(Result result, Registers at, FpRegisters fp) {
        ArgumentClass[] classes = result.classes();
        if (classes.length == 0 || classes[0] == ArgumentClass.MEMORY) {
            return null;
        }
        long[] integers = {at.get(RAX), at.get(RDX)};
        int nextInteger = 0;
        int nextSse = 0;
        ByteBuffer out = ByteBuffer.allocate(8 * classes.length).order(ByteOrder.LITTLE_ENDIAN);
        for (ArgumentClass c : classes) {
            if (c == ArgumentClass.INTEGER) {
                out.putLong(integers[nextInteger++]);
            } else {
                out.put(fp.xmm(nextSse++), 0, 8);
            }
        }
        return Arrays.copyOf(out.array(), (int) result.type().size());
    }
}

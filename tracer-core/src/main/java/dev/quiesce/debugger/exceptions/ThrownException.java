package dev.quiesce.debugger.exceptions;

import dev.quiesce.linux.Registers;
import dev.quiesce.symbols.dwarf.Demangler;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the Itanium C++ ABI's runtime functions are handed, read at their first instruction (the
 * arguments still in their registers): {@code __cxa_throw(void *object, std::type_info *type,
 * void (*destructor)(void *))}, and {@code __cxa_begin_catch(_Unwind_Exception *header)}, whose
 * {@code __cxa_exception} holds the type. libstdc++ and libc++abi lay that header out alike on
 * x86-64: {@code exceptionType} sits {@link #TYPE_BEFORE_UNWIND_HEADER} bytes before the
 * {@code _Unwind_Exception}, and the thrown object follows the 32-byte unwind header.
 *
 * @param typeName the type's demangled name ({@code std::runtime_error}), empty if unreadable
 *                 or the exception is not a C++ one (a forced unwind, another language's)
 * @param object   the thrown object's address, or 0 when unknown
 */
public record ThrownException(Optional<String> typeName, long object) {
    /** Reads the target's memory; throws for an unreadable address. */
    public interface Memory {
        long readLong(long address);

        byte[] read(long address, int length);
    }

    static final int TYPE_BEFORE_UNWIND_HEADER = 80;
    static final int UNWIND_HEADER_SIZE = 32;
    private static final int MAX_NAME = 4096;

    /** {@code exception_class} of a primary and a dependent (std::rethrow_exception) exception. */
    private static final long GNU_PRIMARY = 0x474e5543432b2b00L; // "GNUCC++\0"
    private static final long GNU_DEPENDENT = 0x474e5543432b2b01L;
    private static final long CLANG_PRIMARY = 0x434c4e47432b2b00L; // "CLNGC++\0"
    private static final long CLANG_DEPENDENT = 0x434c4e47432b2b01L;

    private static final ThrownException UNKNOWN = new ThrownException(Optional.empty(), 0);

    /** At the entry of {@code __cxa_throw}: the object in rdi, its type_info in rsi. */
    public static ThrownException atThrow(Registers regs, Memory memory) {
        return new ThrownException(typeName(regs.get("rsi"), memory), regs.get("rdi"));
    }

    /** At the entry of {@code __cxa_begin_catch}: rdi points at the exception's unwind header. */
    public static ThrownException atCatch(Registers regs, Memory memory) {
        long header = regs.get("rdi");
        try {
            long exceptionClass = memory.readLong(header);
            if (exceptionClass == GNU_PRIMARY || exceptionClass == CLANG_PRIMARY || exceptionClass == CLANG_DEPENDENT) {
                // libc++abi's dependent exception copies exceptionType to the same place
                long type = memory.readLong(header - TYPE_BEFORE_UNWIND_HEADER);
                long object = exceptionClass == CLANG_DEPENDENT ? 0 : header + UNWIND_HEADER_SIZE;
                return new ThrownException(typeName(type, memory), object);
            }
            if (exceptionClass == GNU_DEPENDENT) {
                // libstdc++ keeps the primary's object there instead; its header ends right before it
                long object = memory.readLong(header - TYPE_BEFORE_UNWIND_HEADER);
                long type = memory.readLong(object - UNWIND_HEADER_SIZE - TYPE_BEFORE_UNWIND_HEADER);
                return new ThrownException(typeName(type, memory), object);
            }
            return UNKNOWN; // a foreign exception: no C++ type
        } catch (RuntimeException unreadable) {
            return UNKNOWN;
        }
    }

    /** A {@code std::type_info}'s name: its second word points at the mangled name. */
    static Optional<String> typeName(long typeInfo, Memory memory) {
        try {
            long namePointer = memory.readLong(typeInfo + 8);
            byte[] bytes = memory.read(namePointer, MAX_NAME);
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            String mangled = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            String name = Demangler.demangleType(mangled);
            return Optional.ofNullable(name != null ? name : mangled.isEmpty() ? null : mangled);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** "std::runtime_error", or what to say when the type is not known. */
    public String describeType() {
        return typeName.orElse("an exception of unknown type");
    }
}

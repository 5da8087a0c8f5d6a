package dev.quiesce.debugger.exceptions;

import dev.quiesce.linux.Registers;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The message of a Rust panic, read at the entry of std's {@code rust_panic(payload: &mut dyn
 * PanicPayload)} (the function CodeLLDB's rust_panic filter breaks on): the payload's data
 * pointer in rdi, its vtable in rsi, whose second word is the payload's size. std has no type
 * information for these (its debug information is line tables only), so the two payloads are
 * told apart by size and checked before anything is shown:
 * <ul>
 * <li>16 bytes: {@code StaticStrPayload(&'static str)}, pointer and length ({@code panic!("boom")});
 * <li>32 bytes: {@code FormatStringPayload { string: Option<String>, inner: &Arguments }}: by the
 * time rust_panic runs, the panic hook has formatted the message into {@code string} (seen with
 * rustc 1.95: capacity, pointer, length, then the Arguments pointer; the other order is tried too).
 * </ul>
 * Anything else (a custom hook that never formatted it, {@code panic_any} with another type, a
 * layout we do not know) gives no message; the stop then names only where it happened.
 */
public final class RustPanic {
    private static final int MAX_MESSAGE = 4096;

    private RustPanic() {
    }

    public static Optional<String> message(Registers regs, ThrownException.Memory memory) {
        try {
            long data = regs.get("rdi");
            long vtable = regs.get("rsi");
            long size = memory.readLong(vtable + 8);
            if (size == 16) {
                return text(memory, memory.readLong(data), memory.readLong(data + 8));
            }
            if (size == 32) {
                for (long at : new long[] {data, data + 8}) { // Option<String> first (seen), else after the &Arguments
                    long cap = memory.readLong(at);
                    long ptr = memory.readLong(at + 8);
                    long len = memory.readLong(at + 16);
                    if (Long.compareUnsigned(len, cap) <= 0) {
                        Optional<String> s = text(memory, ptr, len);
                        if (s.isPresent()) {
                            return s;
                        }
                    }
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // unreadable memory: no message, the location still says where
        }
    }

    /** {@code len} bytes at {@code ptr} if they are UTF-8 text of a plausible length. */
    private static Optional<String> text(ThrownException.Memory memory, long ptr, long len) {
        if (ptr == 0 || len < 0 || len > MAX_MESSAGE) {
            return Optional.empty();
        }
        if (len == 0) {
            return Optional.of("");
        }
        byte[] b = memory.read(ptr, (int) len);
        try {
            CharBuffer c = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return Optional.of(c.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}

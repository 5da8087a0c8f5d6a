package dev.quiesce.dap;

import java.io.Writer;
import java.util.Arrays;

/**
 * A Writer that encodes what it is given as UTF-8 into a growing byte array, after {@code start}
 * bytes left free (for a header). Not synchronized: one message's writer at a time. Encodes as
 * {@code String.getBytes(UTF_8)} does, an unpaired surrogate included ({@code ?}); a pair split
 * across two writes is joined.
 */
final class Utf8Buffer extends Writer {
    private final int start;
    private byte[] bytes;
    private int size;
    private char[] chars = new char[1024];
    private char pendingHigh; // a high surrogate whose low half has not come yet; 0 if none

    Utf8Buffer(int start) {
        this.start = start;
        this.bytes = new byte[Math.max(start + 1024, 4096)];
        this.size = start;
    }

    void reset() {
        size = start;
        pendingHigh = 0;
    }

    /** The bytes so far: valid from 0 ({@code start} free) to {@link #size}. */
    byte[] bytes() {
        return bytes;
    }

    int size() {
        return size;
    }

    /** A high surrogate left at the end has no pair: written as '?'. */
    void flushPending() {
        if (pendingHigh != 0) {
            pendingHigh = 0;
            room(1);
            bytes[size++] = '?';
        }
    }

    @Override
    public void write(int c) {
        room(4);
        char ch = (char) c;
        if (ch < 0x80 && pendingHigh == 0) {
            bytes[size++] = (byte) ch;
        } else {
            encode(ch);
        }
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
        room(len * 3 + 4);
        byte[] b = bytes;
        int n = size;
        int end = off + len;
        int i = off;
        if (pendingHigh == 0) {
            for (; i < end; i++) {
                char c = cbuf[i];
                if (c >= 0x80) {
                    break;
                }
                b[n++] = (byte) c;
            }
        }
        size = n;
        for (; i < end; i++) {
            encode(cbuf[i]);
        }
    }

    @Override
    public void write(String s, int off, int len) {
        if (len > chars.length) {
            chars = new char[Math.max(len, chars.length * 2)];
        }
        s.getChars(off, off + len, chars, 0);
        write(chars, 0, len);
    }

    @Override
    public void write(String s) {
        write(s, 0, s.length());
    }

    @Override
    public Writer append(CharSequence csq) {
        String s = String.valueOf(csq);
        write(s, 0, s.length());
        return this;
    }

    @Override
    public Writer append(CharSequence csq, int from, int to) {
        String s = String.valueOf(csq);
        write(s, from, to - from);
        return this;
    }

    @Override
    public void flush() {
        // in memory until the caller writes it out
    }

    @Override
    public void close() {
        // nothing held
    }

    /**
     * The buffer a message is being serialized into on this thread ({@link WireWriter},
     * {@link JsonWarmup}), for adapters that write a large part of it as bytes ({@link VariableJson}).
     */
    static final ThreadLocal<Utf8Buffer> SERIALIZING = new ThreadLocal<>();

    /** ASCII text that needs no escaping (our own JSON field names and punctuation). */
    void ascii(String s) {
        int n = s.length();
        room(n);
        s.getBytes(0, n, bytes, size); // the low byte of each char: exact for ASCII
        size += n;
    }

    void decimal(int n) {
        ascii(Integer.toString(n));
    }

    /**
     * {@code s} as a JSON string, encoded as Gson's JsonWriter writes it through this buffer:
     * quote, backslash and control characters escaped (tab, backspace, newline, return and form
     * feed by letter, the others as a six-character u escape), U+2028 and U+2029 as u escapes,
     * and with {@code htmlSafe} the characters {@code < > & = '} too; an unpaired surrogate as {@code ?}.
     */
    void jsonString(String s, boolean htmlSafe) {
        int n = s.length();
        room(n * 6 + 2);
        byte[] b = bytes;
        int k = size;
        b[k++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\'
                    && !(htmlSafe && (c == '<' || c == '>' || c == '&' || c == '=' || c == '\''))) {
                if (pendingHigh != 0) { // a high surrogate before an ASCII char has no pair
                    pendingHigh = 0;
                    b[k++] = '?';
                }
                b[k++] = (byte) c;
                continue;
            }
            if (c >= 0x80 && c != '\u2028' && c != '\u2029') {
                size = k;
                encode(c); // room for its 4 bytes: reserved above (6 a char)
                b = bytes;
                k = size;
                continue;
            }
            if (pendingHigh != 0) { // a high surrogate before an escaped char has no pair
                pendingHigh = 0;
                b[k++] = '?';
            }
            char short_ = switch (c) {
                case '"' -> '"';
                case '\\' -> '\\';
                case '\t' -> 't';
                case '\b' -> 'b';
                case '\n' -> 'n';
                case '\r' -> 'r';
                case '\f' -> 'f';
                default -> 0;
            };
            b[k++] = '\\';
            if (short_ != 0) {
                b[k++] = (byte) short_;
            } else {
                b[k++] = 'u';
                b[k++] = HEX[c >> 12 & 15];
                b[k++] = HEX[c >> 8 & 15];
                b[k++] = HEX[c >> 4 & 15];
                b[k++] = HEX[c & 15];
            }
        }
        if (pendingHigh != 0) {
            pendingHigh = 0;
            b[k++] = '?';
        }
        b[k++] = '"';
        size = k;
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** One char, room for 4 bytes already made. */
    private void encode(char c) {
        byte[] b = bytes;
        if (pendingHigh != 0) {
            char high = pendingHigh;
            pendingHigh = 0;
            if (Character.isLowSurrogate(c)) {
                int cp = Character.toCodePoint(high, c);
                b[size++] = (byte) (0xF0 | cp >> 18);
                b[size++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[size++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[size++] = (byte) (0x80 | cp & 0x3F);
                return;
            }
            b[size++] = '?';
            room(4);
            b = bytes;
        }
        if (c < 0x80) {
            b[size++] = (byte) c;
        } else if (c < 0x800) {
            b[size++] = (byte) (0xC0 | c >> 6);
            b[size++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isHighSurrogate(c)) {
            pendingHigh = c;
        } else if (Character.isLowSurrogate(c)) {
            b[size++] = '?';
        } else {
            b[size++] = (byte) (0xE0 | c >> 12);
            b[size++] = (byte) (0x80 | c >> 6 & 0x3F);
            b[size++] = (byte) (0x80 | c & 0x3F);
        }
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}

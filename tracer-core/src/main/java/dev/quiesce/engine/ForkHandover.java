package dev.quiesce.engine;

/**
 * A followed fork child handed from one tracer to another (another adapter process): detached
 * by the first, spinning on a {@code jmp .} written at {@code pc} over {@code original}; the
 * second seizes it and writes {@code original} back (see {@link HeldForks#handOver}).
 */
public record ForkHandover(int pid, long pc, byte[] original) {
    /** As text for the handover's wire: "pid pc hex-bytes". */
    public String encode() {
        StringBuilder hex = new StringBuilder();
        for (byte b : original) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return pid + " " + Long.toUnsignedString(pc, 16) + " " + hex;
    }

    public static ForkHandover decode(String text) {
        String[] parts = text.strip().split(" ");
        if (parts.length != 3 || parts[2].length() % 2 != 0) {
            throw new IllegalArgumentException("not a fork handover: " + text);
        }
        byte[] bytes = new byte[parts[2].length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[2].substring(2 * i, 2 * i + 2), 16);
        }
        return new ForkHandover(Integer.parseInt(parts[0]), Long.parseUnsignedLong(parts[1], 16), bytes);
    }
}

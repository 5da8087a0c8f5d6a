package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.LibC;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Forwards one of the debuggee's output pipes to a listener as the bytes arrive (not at exit).
 * UTF-8 is decoded incrementally, so a character split across two reads is not mangled.
 * {@link #finished()} completes at end of file: every writer has closed the pipe.
 */
final class OutputPump implements Runnable {
    private final int fd;
    private final OutputListener.Stream stream;
    private final OutputListener listener;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);

    OutputPump(int fd, OutputListener.Stream stream, OutputListener listener) {
        this.fd = fd;
        this.stream = stream;
        this.listener = listener;
    }

    static OutputPump start(int fd, OutputListener.Stream stream, OutputListener listener, String owner) {
        OutputPump pump = new OutputPump(fd, stream, listener);
        Thread thread = new Thread(pump, "quiesce-" + stream.name().toLowerCase() + "-" + owner);
        thread.setDaemon(true);
        thread.start();
        return pump;
    }

    CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public void run() {
        byte[] chunk = new byte[16384];
        ByteBuffer pending = ByteBuffer.allocate(chunk.length + 8);
        CharBuffer chars = CharBuffer.allocate(chunk.length + 8);
        try {
            while (true) {
                long n;
                try {
                    n = LibC.read(fd, chunk, chunk.length);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == Errno.EINTR) {
                        continue;
                    }
                    break;
                }
                if (n <= 0) {
                    break;
                }
                pending.put(chunk, 0, (int) n).flip();
                decoder.decode(pending, chars, false);
                pending.compact();
                deliver(chars);
            }
            pending.flip();
            decoder.decode(pending, chars, true);
            decoder.flush(chars);
            deliver(chars);
        } catch (RuntimeException e) {
            // A listener failure must not leave the pipe unread: the debuggee would block on write.
            drainQuietly(chunk);
        } finally {
            LibC.close(fd);
            finished.complete(null);
        }
    }

    private void deliver(CharBuffer chars) {
        chars.flip();
        if (chars.hasRemaining()) {
            listener.output(stream, chars.toString());
        }
        chars.clear();
    }

    private void drainQuietly(byte[] chunk) {
        try {
            while (LibC.read(fd, chunk, chunk.length) > 0) {
                // discard
            }
        } catch (LastErrorException ignored) {
            // the pipe is gone
        }
    }
}

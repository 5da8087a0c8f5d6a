package dev.quiesce.dap;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a source file a frame names is on this machine. libc6-dbg's line tables name files
 * such as {@code ./io/../sysdeps/unix/sysv/linux/fstatat64.c} that nobody has: a frame pointing
 * there would make the editor open a "source not found" tab, so such frames show disassembly.
 * Any thread; answers are cached (stacks come back to the same files), bounded in number.
 */
final class SourceFiles {
    /** Remembered answers; past this the cache starts over (a program has fewer files than this). */
    private static final int MAX_REMEMBERED = 50_000;

    private final Map<String, Boolean> exists = new ConcurrentHashMap<>();

    boolean exists(String path) {
        Boolean known = exists.get(path);
        if (known != null) {
            return known;
        }
        if (exists.size() > MAX_REMEMBERED) {
            exists.clear();
        }
        boolean found;
        try {
            Path p = Path.of(path);
            // A relative path names a file relative to a build directory we do not know.
            found = p.isAbsolute() && Files.isRegularFile(p);
        } catch (InvalidPathException e) {
            found = false;
        }
        exists.put(path, found);
        return found;
    }
}

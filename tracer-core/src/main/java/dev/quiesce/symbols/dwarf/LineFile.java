package dev.quiesce.symbols.dwarf;

/**
 * One entry of a line program's file table. {@code path} is the full path (compilation
 * directory, include directory and name joined); {@code name} is the entry as written.
 * Timestamp, size and MD5 are 0/0/null when the producer left them out.
 */
public record LineFile(String name, int directoryIndex, String path, long timestamp, long size, byte[] md5) {

    /** The last component of the path, as objdump and most UIs show it. */
    public String baseName() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}

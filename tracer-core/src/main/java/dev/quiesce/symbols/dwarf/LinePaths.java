package dev.quiesce.symbols.dwarf;

/** Joining of the directory and file names found in line program headers. */
final class LinePaths {
    private LinePaths() {
    }

    static boolean isAbsolute(String path) {
        return path.startsWith("/");
    }

    /** {@code dir/name}, or {@code name} alone when it is absolute or there is no directory. */
    static String join(String dir, String name) {
        if (isAbsolute(name) || dir == null || dir.isEmpty()) {
            return stripDotSlash(name);
        }
        String rest = stripDotSlash(name);
        if (dir.endsWith("/")) {
            return dir + rest;
        }
        return dir + "/" + rest;
    }

    private static String stripDotSlash(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n;
    }
}

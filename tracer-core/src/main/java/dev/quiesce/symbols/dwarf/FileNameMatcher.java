package dev.quiesce.symbols.dwarf;

/**
 * Whether a file a user typed ("sym_main.c", "src/sym_main.c", an absolute path) names a file
 * of the debug information, the way gdb matches "file.c:12": the query must be a suffix of the
 * full path that starts at a path component boundary.
 */
public final class FileNameMatcher {
    private FileNameMatcher() {
    }

    public static boolean matches(String fullPath, String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        String q = query.startsWith("./") ? query.substring(2) : query;
        if (fullPath.equals(q)) {
            return true;
        }
        if (!fullPath.endsWith(q) || LinePaths.isAbsolute(q)) {
            return false;
        }
        // "main.c" must not match ".../sym_main.c": the character before the suffix is a '/'
        return fullPath.charAt(fullPath.length() - q.length() - 1) == '/';
    }
}

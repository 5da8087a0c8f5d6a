package dev.quiesce.symbols;

/** A place in a source file: full path as the debug info gives it, 1-based line, column (0: unknown). */
public record SourcePosition(String path, int line, int column) {
    public String fileName() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    @Override
    public String toString() {
        return path + ":" + line + (column > 0 ? ":" + column : "");
    }
}

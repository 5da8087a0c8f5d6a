package dev.quiesce.symbols.dwarf;

/** One decoded attribute of a DIE; see {@link FormReader} for the Java type of {@code value}. */
public record Attribute(int name, int form, Object value) {
}

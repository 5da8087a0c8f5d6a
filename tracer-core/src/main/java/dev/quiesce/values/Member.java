package dev.quiesce.values;

/**
 * A data member of a struct/class/union, or a base class ({@code inheritance}). Bit fields have
 * {@code bitSize > 0} and {@code bitOffset} counted from the member's byte offset, least
 * significant bit first (x86-64 is little-endian). C++ static members have {@code staticDie}:
 * the DIE that gives their address (the definition if there is one).
 */
public record Member(String name, Type type, long byteOffset, int bitOffset, int bitSize, boolean inheritance,
                     long staticDie) {
    public boolean isStatic() {
        return staticDie >= 0;
    }

    public boolean isBitField() {
        return bitSize > 0;
    }
}

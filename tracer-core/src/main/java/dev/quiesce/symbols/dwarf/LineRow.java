package dev.quiesce.symbols.dwarf;

/**
 * One row of a line table (DWARF 5 section 6.2.2). {@code file} is the DWARF file register
 * value; {@link LineTable#file(int)} gives its entry. An end-sequence row marks the first
 * address after a sequence and describes no instruction.
 */
public record LineRow(long address, int file, int line, int column, boolean isStmt, boolean basicBlock,
                      boolean endSequence, boolean prologueEnd, boolean epilogueBegin, int discriminator) {
}

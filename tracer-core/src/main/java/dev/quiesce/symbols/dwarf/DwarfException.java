package dev.quiesce.symbols.dwarf;

/** Debug information this reader cannot make sense of; the message says where and what. */
public class DwarfException extends RuntimeException {
    public DwarfException(String message) {
        super(message);
    }
}

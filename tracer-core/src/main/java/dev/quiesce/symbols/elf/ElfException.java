package dev.quiesce.symbols.elf;

/** A file that is not an ELF64 x86-64 object this reader understands; the message says why. */
public class ElfException extends RuntimeException {
    public ElfException(String message) {
        super(message);
    }

    public ElfException(String message, Throwable cause) {
        super(message, cause);
    }
}

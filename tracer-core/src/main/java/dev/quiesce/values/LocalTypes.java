package dev.quiesce.values;

import dev.quiesce.debugger.StackFrame;
import dev.quiesce.symbols.dwarf.Scope;
import dev.quiesce.symbols.dwarf.Variable;
import dev.quiesce.values.stl.StlFormatters;
import java.util.List;
import java.util.Optional;

/**
 * Reads, from the debug information alone, what a frame's scopes and Locals will read first:
 * the frame's function and visible scopes ({@link FrameContext}'s cache) and the types of their
 * variables (the module's {@link TypeReader}, which keeps every type DIE it has read; a
 * std::map's type is a closure of a few hundred DIEs). For speculative work at a stop (issue 14):
 * no memory, no registers, nothing about the stop itself is read or kept.
 */
public final class LocalTypes {
    /** Variables whose types are read at most, innermost block first. */
    public static final int MAX_VARIABLES = 64;

    /** Fails any read: this work touches the debug information only. */
    private static final Memory NO_MEMORY = new Memory() {
        @Override
        public byte[] read(long address, int length) {
            throw new ValueException("reading the types of locals reads no memory");
        }

        @Override
        public void write(long address, byte[] data) {
            throw new ValueException("reading the types of locals writes no memory");
        }
    };

    private LocalTypes() {}

    /** How many variables' types were read, and how many of those the library formatters show. */
    public record Read(int variables, int libraryTypes) {}

    /** The frame's visible variables' types (and whether the formatters know each), read into the module's caches. */
    public static Read read(StackFrame top) {
        FrameContext fc = FrameContext.of(NO_MEMORY, top, null);
        Optional<TypeReader> types = fc.types();
        if (types.isEmpty()) {
            return new Read(0, 0);
        }
        int n = 0;
        int library = 0;
        List<Scope> scopes = fc.scopes();
        for (int i = scopes.size() - 1; i >= 0 && n < MAX_VARIABLES; i--) {
            for (Variable v : scopes.get(i).variables()) {
                if (n >= MAX_VARIABLES) {
                    break;
                }
                n++;
                if (StlFormatters.knows(types.get().type(v.typeOffset()))) {
                    library++;
                }
            }
        }
        return new Read(n, library);
    }
}

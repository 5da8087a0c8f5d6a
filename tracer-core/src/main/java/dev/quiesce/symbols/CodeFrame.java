package dev.quiesce.symbols;

import java.util.Optional;

/**
 * What one pc means at source level, for one level of inlining: the function (a real one or an
 * inlined copy) and the source position. A pc inside inlined code gives several: the innermost
 * inlined function at the pc's line, then each caller at the line of the inlined call.
 */
public record CodeFrame(String function, Optional<SourcePosition> source, boolean inlined) {
}

package dev.quiesce.symbols.unwind;

import java.nio.ByteBuffer;

/**
 * A Common Information Entry (DWARF 5 §6.4.1, plus the .eh_frame augmentations of the LSB):
 * alignment factors, the return-address column, the initial instructions and, from the
 * augmentation string, the FDE pointer encoding (R), LSDA encoding (L), personality (P) and
 * whether its frames are signal frames (S).
 */
public record Cie(long offset, int version, String augmentation, long codeAlignment, long dataAlignment,
                  int returnAddressRegister, int fdeEncoding, int lsdaEncoding, long personality,
                  boolean signalFrame, boolean hasAugmentationData, int addressSize, ByteBuffer instructions) {

    public ByteBuffer instructions() {
        return instructions.duplicate().order(instructions.order());
    }
}

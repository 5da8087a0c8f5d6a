package dev.quiesce.symbols.dwarf;

/**
 * What a DWARF expression may ask of its surroundings (DWARF 5 §2.5). Every method has a default
 * that refuses with a {@link DwarfException}, so a caller implements only what it can answer.
 */
public interface ExpressionContext {

    /** The value of a register, by its DWARF number (x86-64 psABI table 3.36). */
    default long register(int dwarfNumber) {
        throw new DwarfException("register " + dwarfNumber + " is not available here");
    }

    /** {@code size} (1..8) bytes of target memory at {@code address}, zero-extended. */
    default long readMemory(long address, int size) {
        throw new DwarfException("memory is not available here (read of 0x" + Long.toHexString(address) + ")");
    }

    /** The frame base of the current function (DW_AT_frame_base), for DW_OP_fbreg. */
    default long frameBase() {
        throw new DwarfException("DW_OP_fbreg needs a frame base");
    }

    /** The canonical frame address of the current frame, for DW_OP_call_frame_cfa. */
    default long callFrameCfa() {
        throw new DwarfException("DW_OP_call_frame_cfa needs the frame's CFA");
    }

    /** The object address, for DW_OP_push_object_address. */
    default long objectAddress() {
        throw new DwarfException("DW_OP_push_object_address needs an object");
    }

    /** Entry {@code index} of .debug_addr (relative to the unit's DW_AT_addr_base), for addrx/constx. */
    default long addressIndex(long index) {
        throw new DwarfException("DW_OP_addrx/constx needs .debug_addr (index " + index + ")");
    }

    /** A value relocated by the load bias, for DW_OP_addr; the default returns it unchanged. */
    default long relocate(long linkTimeAddress) {
        return linkTimeAddress;
    }

    /**
     * The value the sub-expression {@code block} had on entry to the current function
     * (DW_OP_entry_value); usually only recoverable from call-site information, so it may fail.
     */
    default long entryValue(byte[] block) {
        throw new DwarfException("DW_OP_entry_value: the value at function entry is not known");
    }

    /** The thread-local address of {@code offset} in the module's TLS block (DW_OP_form_tls_address). */
    default long tlsAddress(long offset) {
        throw new DwarfException("DW_OP_form_tls_address: thread-local storage is not available here");
    }
}

package dev.quiesce.core;

import dev.quiesce.linux.FpRegisters;
import dev.quiesce.linux.Registers;
import java.util.Optional;

/**
 * One thread as the core recorded it: its NT_PRSTATUS (tid, the signal it was handling,
 * general registers) and the NT_FPREGSET / NT_X86_XSTATE notes that follow it.
 */
public record CoreThread(int tid, int signal, Registers registers, Optional<FpRegisters> fpRegisters) {
}

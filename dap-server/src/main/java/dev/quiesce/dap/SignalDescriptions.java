package dev.quiesce.dap;

import dev.quiesce.linux.SiCodes;
import dev.quiesce.linux.SigInfo;
import dev.quiesce.linux.Signal;

/** How signals are described to people, as gdb does: "Signal SIGSEGV (Segmentation fault)". */
final class SignalDescriptions {
    private SignalDescriptions() {
    }

    static String title(int signal) {
        String description = Signal.of(signal).map(Signal::description).orElse(
                signal >= Signal.RT_MIN ? "Real-time event " + signal : "Unknown signal"); // as gdb says
        return "Signal " + Signal.nameOf(signal) + " (" + description + ")";
    }

    /** What siginfo says: the si_code by name, the fault address, or who sent it. */
    static String details(SigInfo info) {
        String code = SiCodes.name(info.signal(), info.code());
        if (SiCodes.hasAddress(info.signal(), info.code())) {
            return code + " at address 0x" + Long.toHexString(info.address());
        }
        if (SiCodes.hasSender(info.code())) {
            return code + " from pid " + info.senderPid() + " (uid " + info.senderUid() + ")";
        }
        return code;
    }
}

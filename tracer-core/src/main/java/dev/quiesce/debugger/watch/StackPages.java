package dev.quiesce.debugger.watch;

import dev.quiesce.engine.ThreadInfo;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.linux.ProcFs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether a range lies on a thread's stack, where page protection must not be used: every push
 * and call would fault, and the kernel could not write a signal frame there (the program would
 * die of SIGSEGV). A stack is the main thread's [stack] mapping or the mapping that holds a
 * stopped thread's stack pointer (threads running now are not asked: their stacks are only
 * known by that).
 */
final class StackPages {
    private StackPages() {
    }

    static boolean onStack(TracedProcess process, long address, int length) {
        List<ProcFs.Mapping> maps = ProcFs.maps(process.pid());
        List<Long> sps = new ArrayList<>();
        try {
            for (ThreadInfo t : process.threads().get(10, TimeUnit.SECONDS)) {
                if (t.stopped()) {
                    sps.add(process.registers(t.tid()).get(10, TimeUnit.SECONDS).rsp());
                }
            }
        } catch (Exception e) {
            // a thread went away meanwhile: what we have is enough to decide
        }
        for (ProcFs.Mapping m : maps) {
            boolean overlaps = Long.compareUnsigned(address, m.end()) < 0 && Long.compareUnsigned(m.start(), address + length) < 0;
            if (!overlaps) {
                continue;
            }
            if (m.path().equals("[stack]")) {
                return true;
            }
            for (long sp : sps) {
                if (Long.compareUnsigned(sp, m.start()) >= 0 && Long.compareUnsigned(sp, m.end()) < 0) {
                    return true;
                }
            }
        }
        return false;
    }
}

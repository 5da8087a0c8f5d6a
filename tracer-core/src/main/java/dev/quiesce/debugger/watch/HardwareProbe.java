package dev.quiesce.debugger.watch;

import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.HardwareWatch;
import dev.quiesce.engine.LaunchSpec;
import dev.quiesce.engine.ProcessListener;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Whether the debug registers fire on this machine (ARCHITECTURE.md fact 8: one VM of this
 * kind accepted them and never fired), found once per JVM by a tiny child: /bin/true held at
 * its first instruction with a write watchpoint on the stack word its loader's first call
 * pushes; that write must come back as a watchpoint hit. No hit (or no probe possible):
 * software watchpoints. {@code -Dquiesce.watch.hardware=false} skips the probe.
 */
final class HardwareProbe {
    private static final Logger LOG = Logger.getLogger(HardwareProbe.class.getName());
    private static volatile Boolean fires;

    private HardwareProbe() {
    }

    static boolean fires() {
        if ("false".equals(System.getProperty("quiesce.watch.hardware"))) {
            return false;
        }
        Boolean f = fires;
        if (f == null) {
            synchronized (HardwareProbe.class) {
                if (fires == null) {
                    fires = probe();
                    LOG.info("hardware watchpoints " + (fires ? "fire" : "do not fire") + " here");
                }
                f = fires;
            }
        }
        return f;
    }

    private static boolean probe() {
        CompletableFuture<Boolean> hit = new CompletableFuture<>();
        TracedProcess[] process = new TracedProcess[1];
        ProcessListener listener = new ProcessListener() {
            @Override
            public void processExited(TracedProcess p, dev.quiesce.engine.ExitStatus status) {
                hit.complete(false);
            }
        };
        try {
            // Held at exec, at the dynamic loader's first instruction: its _start's first call
            // (x86-64 RTLD_START: mov %rsp,%rdi; call _dl_start) pushes onto the word below rsp.
            Path program = Path.of("/bin/true");
            LaunchSpec spec = new LaunchSpec(program, List.of(), program.getParent(), Map.of(), true, StopMode.ALL_STOP);
            process[0] = Tracer.shared().launch(spec, listener, (stream, text) -> { }).get(10, TimeUnit.SECONDS);
            EngineHandle handle = process[0].attach(event -> {
                if (event instanceof ThreadEvent.WatchpointHit) {
                    hit.complete(true);
                }
                return ResumeAction.RESUME;
            }, EnumSet.of(EventType.WATCHPOINT), 0).get(10, TimeUnit.SECONDS);
            long sp = handle.registers(process[0].pid()).get(10, TimeUnit.SECONDS).rsp();
            process[0].setHardwareWatchpoints(List.of(new HardwareWatch((sp - 8) & ~7L, 8, false))).get(10, TimeUnit.SECONDS);
            process[0].start();
            return hit.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("cannot probe the debug registers (" + e + "): software watchpoints");
            return false;
        } finally {
            if (process[0] != null) {
                process[0].kill();
            }
        }
    }
}

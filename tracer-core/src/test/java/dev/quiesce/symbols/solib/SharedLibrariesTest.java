package dev.quiesce.symbols.solib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.engine.Debuggee;
import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.ExitStatus;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.TestPrograms;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.elf.ElfSymbol;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedLibrariesTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void reportsLibrariesAsTheyLoadAndUnloadAndHoldsTheThreadForListeners() throws Exception {
        String plugin = TestPrograms.path("libplugin.so").toString();
        Debuggee d = Debuggee.launch("dlopen_main", StopMode.NON_STOP, plugin);
        List<String> log = new ArrayList<>();
        CompletableFuture<Long> hit = new CompletableFuture<>();
        EngineHandle bp = d.attach(event -> {
            if (event instanceof ThreadEvent.BreakpointHit h) {
                hit.complete(h.address());
            }
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT));
        long[] planted = {0};
        SharedLibraries libs = SharedLibraries.track(d.process, (added, removed, now) -> {
            synchronized (log) {
                for (LoadedModule m : added) {
                    log.add("+" + m.name());
                    if (m.path().equals(plugin)) {
                        // The loading thread is held: a breakpoint planted now is in place before plugin code runs.
                        long address = m.toRuntime(symbol(m, "plugin_work").value());
                        planted[0] = address;
                        bp.insertBreakpoint(address).join();
                    }
                }
                for (LoadedModule m : removed) {
                    log.add("-" + m.name());
                }
            }
        }, executor).get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        List<LoadedModule> initial = libs.modules();
        assertEquals(LoadedModule.Kind.PROGRAM, initial.get(0).kind());
        assertTrue(initial.stream().anyMatch(m -> m.kind() == LoadedModule.Kind.DYNAMIC_LINKER), initial.toString());
        d.start();
        long at = hit.get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        assertEquals(planted[0], at, () -> Long.toHexString(at) + " " + log + " " + libs.modules());
        ExitStatus status = d.awaitExit();
        assertEquals(0, status.code());
        synchronized (log) {
            assertTrue(log.contains("+libc.so.6"), log.toString());
            int loaded = log.indexOf("+libplugin.so");
            int unloaded = log.indexOf("-libplugin.so");
            assertTrue(loaded >= 0 && unloaded > loaded, log.toString());
        }
    }

    private static ElfSymbol symbol(LoadedModule m, String name) {
        return m.elf().symbols().stream().filter(s -> s.name().equals(name) && s.isDefined()).findFirst().orElseThrow();
    }
}

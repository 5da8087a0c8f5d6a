package dev.quiesce.debugger;

import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.StopReason;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.engine.ThreadStop;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.solib.SharedLibraries;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * stopOnEntry as PRODUCT.md says it: the program runs to {@code main} (after its prologue) when
 * it has debug information, else to its ELF entry point, and the stop there is reported with
 * reason entry. A one-shot engine breakpoint: it goes when it has been hit.
 */
public final class EntryStop {
    private EntryStop() {
    }

    /** Plants the entry breakpoint and starts the program (held at exec until now). */
    public static CompletableFuture<Void> start(TracedProcess process, SharedLibraries libraries) {
        LoadedModule program = libraries.modules().get(0);
        ModuleSymbols symbols = ModuleSymbols.of(program.elf());
        List<Long> main = symbols.hasDebugInfo() ? symbols.functionEntries("main") : List.of();
        long target = program.toRuntime(main.isEmpty() ? program.elf().entry() : main.get(0));
        String where = main.isEmpty() ? "Stopped at the program's entry point" : "Stopped at main";
        EngineHandle[] self = new EngineHandle[1];
        return process.attach(event -> {
            if (event instanceof ThreadEvent.BreakpointHit hit && hit.address() == target && self[0] != null) {
                process.stopForClient(new ThreadStop(hit.tid(), StopReason.ENTRY, false, Optional.empty(), Optional.of(where)));
                self[0].detach(); // after the client's hold: the thread stays stopped
            }
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT), 0).thenCompose(handle -> {
            self[0] = handle;
            return handle.insertBreakpoint(target);
        }).thenCompose(x -> process.start());
    }
}

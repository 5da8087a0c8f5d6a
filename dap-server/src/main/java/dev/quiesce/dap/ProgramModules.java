package dev.quiesce.dap;

import dev.quiesce.engine.TracedProcess;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.solib.SharedLibraries;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.lsp4j.debug.Module;
import org.eclipse.lsp4j.debug.ModuleEventArguments;
import org.eclipse.lsp4j.debug.ModuleEventArgumentsReason;
import org.eclipse.lsp4j.debug.ModulesArguments;
import org.eclipse.lsp4j.debug.ModulesResponse;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/**
 * The program's modules for one session: tracks them with {@link SharedLibraries}, sends a
 * {@code module} event (new/removed) for each change and answers the {@code modules} request.
 * Module work (opening ELF files) runs on its own thread, not the event thread.
 */
final class ProgramModules {
    private final IDebugProtocolClient client;
    private final Executor events;
    private final ExecutorService loader;
    /** Reads new modules' symbols ahead, off the loader (which holds the program while it runs). */
    private final ExecutorService prefetcher;
    private volatile SharedLibraries libraries;
    private volatile dev.quiesce.debugger.StackWalker walker;
    private volatile dev.quiesce.debugger.Stepping stepping;
    /** The modules mapped now, as the last change reported them. */
    private volatile List<LoadedModule> current = List.of();
    private final java.util.function.Consumer<List<LoadedModule>> onModules;
    /** How a module's prefetch tells its progress (progress events, when the client takes them). */
    private volatile java.util.function.Function<LoadedModule, dev.quiesce.symbols.PrefetchProgress> progress =
            m -> dev.quiesce.symbols.PrefetchProgress.NONE;

    /** Which source paths (as the debug information names them) the client can open. */
    private volatile java.util.function.Predicate<String> sourceAvailable = p -> false;

    void sourceAvailable(java.util.function.Predicate<String> available) {
        this.sourceAvailable = available;
    }

    void symbolProgress(java.util.function.Function<LoadedModule, dev.quiesce.symbols.PrefetchProgress> progress) {
        this.progress = progress;
    }

    ProgramModules(IDebugProtocolClient client, Executor events, String name,
                   java.util.function.Consumer<List<LoadedModule>> onModules) {
        this.onModules = onModules;
        this.client = client;
        this.events = events;
        this.loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "quiesce-modules-" + name);
            t.setDaemon(true);
            return t;
        });
        this.prefetcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "quiesce-symbols-" + name);
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
    }

    /** Starts tracking a newly launched (held at exec) or attached process. */
    CompletableFuture<SharedLibraries> track(TracedProcess process) {
        SharedLibraries old = libraries;
        if (old != null) {
            old.close();
        }
        current = List.of();
        return SharedLibraries.track(process, this::changed, loader).thenApply(libs -> {
            libraries = libs;
            walker = new dev.quiesce.debugger.StackWalker(process, libs);
            stepping = new dev.quiesce.debugger.Stepping(process, libs, walker);
            stepping.sourceAvailable(sourceAvailable);
            return libs;
        });
    }

    /** A core file's modules, fixed: announced once, as a live program's first modules are. */
    void useCore(dev.quiesce.engine.ProgramState core, SharedLibraries libs) {
        libraries = libs;
        walker = new dev.quiesce.debugger.StackWalker(core, libs);
        changed(libs.modules(), List.of(), libs.modules());
    }

    SharedLibraries libraries() {
        return libraries;
    }

    /** Step plans of the current process's threads; null until its modules are known. */
    dev.quiesce.debugger.Stepping stepping() {
        return stepping;
    }

    /** The modules mapped now. */
    List<LoadedModule> current() {
        return current;
    }

    /** Backtraces of the current process's threads; null until its modules are known. */
    dev.quiesce.debugger.StackWalker walker() {
        return walker;
    }

    void close() {
        SharedLibraries libs = libraries;
        if (libs != null) {
            libs.close();
        }
        loader.shutdown();
        prefetcher.shutdownNow();
    }

    private void changed(List<LoadedModule> added, List<LoadedModule> removed, List<LoadedModule> now) {
        current = now;
        onModules.accept(now); // the loading thread is still held: breakpoints go in before its code runs
        List<ModuleEventArguments> out = new ArrayList<>();
        for (LoadedModule m : removed) {
            out.add(event(m, ModuleEventArgumentsReason.REMOVED));
        }
        for (LoadedModule m : added) {
            out.add(event(m, ModuleEventArgumentsReason.NEW));
            dev.quiesce.trace.StartupTrace.mark("module " + m.name());
            prefetcher.execute(() -> {
                ModuleSymbols.of(m.elf()).prefetch(progress.apply(m));
                dev.quiesce.trace.StartupTrace.mark("prefetched " + m.name());
            });
        }
        events.execute(() -> out.forEach(client::module));
    }

    private static ModuleEventArguments event(LoadedModule m, ModuleEventArgumentsReason reason) {
        ModuleEventArguments e = new ModuleEventArguments();
        e.setReason(reason);
        e.setModule(describe(m));
        return e;
    }

    static Module describe(LoadedModule m) {
        Module d = new Module();
        d.setId(StackTraces.moduleId(m));
        d.setName(m.name());
        d.setPath(m.path());
        d.setAddressRange(MemoryRequests.hex(m.start()) + "-" + MemoryRequests.hex(m.end()));
        d.setSymbolStatus(symbolStatus(m));
        d.setIsUserCode(m.kind() == LoadedModule.Kind.PROGRAM);
        d.setIsOptimized(false);
        return d;
    }

    private static String symbolStatus(LoadedModule m) {
        if (m.elf().section(".debug_info").isPresent()) {
            return "Symbols loaded";
        }
        if (m.elf().separateDebugFile().isPresent()) {
            return "Symbols loaded (separate debug file)";
        }
        return m.elf().section(".symtab").isPresent() ? "Symbol table only (no debug information)"
                : "Exported symbols only (stripped)";
    }

    ModulesResponse page(ModulesArguments args) {
        SharedLibraries libs = libraries;
        List<Module> modules = new ArrayList<>();
        if (libs != null) {
            for (LoadedModule m : libs.modules()) {
                modules.add(describe(m));
            }
        }
        int start = args == null || args.getStartModule() == null ? 0 : Math.max(0, args.getStartModule());
        int count = args == null || args.getModuleCount() == null || args.getModuleCount() <= 0
                ? modules.size() : args.getModuleCount();
        List<Module> page = modules.subList(Math.min(start, modules.size()), Math.min(modules.size(), start + count));
        ModulesResponse response = new ModulesResponse();
        response.setModules(page.toArray(new Module[0]));
        response.setTotalModules(modules.size());
        return response;
    }
}

package dev.quiesce.dap;

import dev.quiesce.disasm.Capstone;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.debug.LoadedSourceEventArguments;
import org.eclipse.lsp4j.debug.LoadedSourceEventArgumentsReason;
import org.eclipse.lsp4j.debug.LoadedSourcesResponse;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceArguments;
import org.eclipse.lsp4j.debug.SourcePresentationHint;
import org.eclipse.lsp4j.debug.SourceResponse;
import org.eclipse.lsp4j.debug.StackTraceResponse;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/**
 * Sources for one session: {@code loadedSources} (every file the loaded modules' line tables
 * name), {@code loadedSource} events as modules with their own DWARF come and go, and the {@code source} request,
 * both for a path (the file's text) and for the {@code sourceReference}s we hand out: frames
 * without a source file get a disassembly listing of their function, with the frame's line on
 * the instruction at its pc.
 */
final class SourceRequests {
    private static final Logger LOG = Logger.getLogger(SourceRequests.class.getName());
    /** Longest function listed whole; a longer one is listed from the pc on. */
    private static final int MAX_LISTED_BYTES = 16 * 1024;
    private static final int WINDOW_BYTES = 512;
    private static final int MAX_LISTINGS = 2_000;

    private final IDebugProtocolClient client;
    private final Executor events;
    private final ExecutorService worker;
    private final SourceMap sourceMap;

    /** Per module (by id), the source files it brought, for loadedSource events. */
    private final Map<String, Set<String>> announced = new HashMap<>();

    /** A disassembly listing handed out as a sourceReference. */
    record Listing(int reference, String name, String text, Map<Long, Integer> lineOfAddress) {
        /** The 1-based line of the instruction that holds the address, or 0. */
        int lineOf(long address) {
            Integer exact = lineOfAddress.get(address);
            if (exact != null) {
                return exact;
            }
            long best = -1;
            for (long a : lineOfAddress.keySet()) {
                if (a <= address && a > best) {
                    best = a;
                }
            }
            return best < 0 ? 0 : lineOfAddress.get(best);
        }
    }

    private record ListingKey(int pid, long start, long end) {
    }

    private final AtomicInteger nextReference = new AtomicInteger(1);
    private final Map<Integer, Listing> byReference = new ConcurrentHashMap<>();
    private final Map<ListingKey, CompletableFuture<Listing>> byRange = new ConcurrentHashMap<>();

    SourceRequests(IDebugProtocolClient client, Executor events, String name, SourceMap sourceMap) {
        this.sourceMap = sourceMap;
        this.client = client;
        this.events = events;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "quiesce-sources-" + name);
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
    }

    void close() {
        worker.shutdownNow();
    }

    // ---- loadedSources and loadedSource events

    /** Every source file of the modules mapped now, each once. */
    CompletableFuture<LoadedSourcesResponse> loadedSources(List<LoadedModule> modules) {
        return CompletableFuture.supplyAsync(() -> {
            Set<String> paths = new LinkedHashSet<>();
            for (LoadedModule m : modules) {
                paths.addAll(sourceFiles(m));
            }
            List<Source> out = new ArrayList<>();
            for (String p : paths) {
                out.add(StackTraces.source(sourceMap.toLocal(p)));
            }
            LoadedSourcesResponse response = new LoadedSourcesResponse();
            response.setSources(out.toArray(new Source[0]));
            return response;
        }, worker);
    }

    private static Set<String> sourceFiles(LoadedModule m) {
        try {
            return ModuleSymbols.of(m.elf()).sourceFiles();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no source files for " + m.path(), e);
            return Set.of();
        }
    }

    /**
     * The modules mapped now (after each change): {@code loadedSource} events, reason new for
     * files a new module brings, removed for files no module still has. Off the caller's thread.
     */
    void modulesChanged(List<LoadedModule> now) {
        try {
            worker.execute(() -> announce(now));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the session is closing
        }
    }

    private void announce(List<LoadedModule> now) {
        Map<String, LoadedModule> current = new LinkedHashMap<>();
        for (LoadedModule m : now) {
            current.put(StackTraces.moduleId(m), m);
        }
        Set<String> before = allAnnounced();
        announced.keySet().retainAll(current.keySet());
        for (Map.Entry<String, LoadedModule> e : current.entrySet()) {
            if (!announced.containsKey(e.getKey())) {
                // Events for the program and libraries built with their own DWARF; system
                // libraries with separate debug files (libc6-dbg: thousands of files) are listed
                // by the loadedSources request only, not pushed at the client.
                ModuleSymbols symbols = ModuleSymbols.of(e.getValue().elf());
                announced.put(e.getKey(), symbols.debugFile() == symbols.elf() ? sourceFiles(e.getValue()) : Set.of());
            }
        }
        Set<String> after = allAnnounced();
        List<LoadedSourceEventArguments> out = new ArrayList<>();
        for (String p : after) {
            if (!before.contains(p)) {
                out.add(event(p, LoadedSourceEventArgumentsReason.NEW));
            }
        }
        for (String p : before) {
            if (!after.contains(p)) {
                out.add(event(p, LoadedSourceEventArgumentsReason.REMOVED));
            }
        }
        if (!out.isEmpty()) {
            events.execute(() -> out.forEach(client::loadedSource));
        }
    }

    private Set<String> allAnnounced() {
        Set<String> all = new HashSet<>();
        announced.values().forEach(all::addAll);
        return all;
    }

    private LoadedSourceEventArguments event(String path, LoadedSourceEventArgumentsReason reason) {
        LoadedSourceEventArguments e = new LoadedSourceEventArguments();
        e.setReason(reason);
        e.setSource(StackTraces.source(sourceMap.toLocal(path)));
        return e;
    }

    // ---- the source request

    CompletableFuture<SourceResponse> source(SourceArguments args) {
        if (args == null) {
            return RequestErrors.failed("source needs arguments: {\"source\": {\"path\": ...}} or {\"sourceReference\": N}");
        }
        Source source = args.getSource();
        int reference = source != null && source.getSourceReference() != null && source.getSourceReference() > 0
                ? source.getSourceReference() : args.getSourceReference();
        if (reference > 0) {
            Listing listing = byReference.get(reference);
            if (listing == null) {
                return RequestErrors.failed("unknown sourceReference " + reference
                        + ": this session never handed it out (get it again from a stack trace)");
            }
            SourceResponse response = new SourceResponse();
            response.setContent(listing.text());
            response.setMimeType("text/x-asm");
            return CompletableFuture.completedFuture(response);
        }
        if (source == null || source.getPath() == null || source.getPath().isBlank()) {
            return RequestErrors.failed("source needs a source with a path, or a sourceReference greater than 0");
        }
        String path = sourceMap.toLocal(source.getPath()); // a build path the client kept from elsewhere reads the local file
        return CompletableFuture.supplyAsync(() -> read(path), worker);
    }

    private static SourceResponse read(String path) {
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw RequestErrors.error(Files.exists(file) ? "not a file: " + path : "source file not found: " + path);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw RequestErrors.error("cannot read " + path + ": " + e.getMessage());
        }
        SourceResponse response = new SourceResponse();
        response.setContent(decode(bytes));
        if (path.endsWith(".c") || path.endsWith(".h")) {
            response.setMimeType("text/x-c");
        } else if (path.matches(".*\\.(cc|cpp|cxx|hpp|hh|hxx)$")) {
            response.setMimeType("text/x-c++");
        }
        return response;
    }

    /** UTF-8 when the file is, else Latin-1 (every byte a character: nothing is lost). */
    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    // ---- disassembly for frames without a source file

    /**
     * Gives each frame without a source file (except signal trampolines, shown as labels) a
     * source whose content is the disassembly of its function, and the line of its pc there.
     * A frame whose memory cannot be read keeps no source.
     */
    CompletableFuture<StackTraceResponse> withDisassembly(dev.quiesce.engine.ProgramState p, StackTraceResponse response, List<LoadedModule> modules) {
        if (!Capstone.available()) {
            return CompletableFuture.completedFuture(response);
        }
        CodeLocations locations = new CodeLocations(modules);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (org.eclipse.lsp4j.debug.StackFrame f : response.getStackFrames()) {
            if (f.getSource() != null || f.getInstructionPointerReference() == null
                    || f.getPresentationHint() == org.eclipse.lsp4j.debug.StackFramePresentationHint.LABEL) {
                continue;
            }
            long pc = MemoryRequests.address(f.getInstructionPointerReference(), null);
            pending.add(listing(p, pc, locations).handle((listing, failure) -> {
                if (listing != null && listing.lineOf(pc) > 0) {
                    Source s = new Source();
                    s.setName(listing.name());
                    s.setSourceReference(listing.reference());
                    s.setPresentationHint(SourcePresentationHint.DEEMPHASIZE);
                    s.setOrigin("disassembly");
                    f.setSource(s);
                    f.setLine(listing.lineOf(pc));
                    f.setColumn(1);
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> response);
    }

    private CompletableFuture<Listing> listing(dev.quiesce.engine.ProgramState p, long pc, CodeLocations locations) {
        Optional<CodeLocations.Symbol> symbol = locations.symbolAt(pc);
        long start;
        long end;
        if (symbol.isPresent() && symbol.get().end() > symbol.get().start()
                && symbol.get().end() - symbol.get().start() <= MAX_LISTED_BYTES) {
            start = symbol.get().start();
            end = symbol.get().end();
        } else {
            start = pc;
            end = pc + WINDOW_BYTES;
        }
        if (byRange.size() > MAX_LISTINGS) {
            byRange.clear(); // references already handed out stay valid in byReference
        }
        String module = locations.moduleAt(pc).map(LoadedModule::name).orElse("unknown module");
        String title = symbol.map(CodeLocations.Symbol::name).orElse(MemoryRequests.hex(pc));
        return byRange.computeIfAbsent(new ListingKey(p.pid(), start, end), key -> p.readMemory(start, (int) (end - start))
                .thenApplyAsync(bytes -> build(bytes, start, module, title, locations), worker));
    }

    private Listing build(byte[] bytes, long start, String module, String title, CodeLocations locations) {
        if (bytes.length == 0) {
            throw RequestErrors.error("cannot read the code at " + MemoryRequests.hex(start));
        }
        StringBuilder text = new StringBuilder();
        text.append("; ").append(title).append(" in ").append(module).append(" (no source: disassembly)\n");
        Map<Long, Integer> lines = new HashMap<>();
        int line = 1;
        for (Capstone.Instruction insn : Capstone.disassemble(bytes, start, 0)) {
            line++;
            lines.put(insn.address(), line);
            text.append(String.format("%#018x", insn.address()));
            locations.symbolAt(insn.address()).ifPresent(sym -> text.append(" <").append(sym.at(insn.address())).append('>'));
            text.append(":  ").append(insn.text()).append('\n');
        }
        int reference = nextReference.getAndIncrement();
        Listing listing = new Listing(reference, title + " (disassembly)", text.toString(), lines);
        byReference.put(reference, listing);
        return listing;
    }
}

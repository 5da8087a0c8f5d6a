package dev.quiesce.dap;

import dev.quiesce.symbols.PrefetchProgress;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.lsp4j.debug.ProgressEndEventArguments;
import org.eclipse.lsp4j.debug.ProgressStartEventArguments;
import org.eclipse.lsp4j.debug.ProgressUpdateEventArguments;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/**
 * progressStart / progressUpdate / progressEnd events while a large module's symbols are read
 * ahead (to a client that said {@code supportsProgressReporting}; others get {@link
 * PrefetchProgress#NONE}). One progress per module; the events go out on the session's event
 * thread, in order.
 */
final class SymbolProgress implements PrefetchProgress {
    private static final AtomicInteger IDS = new AtomicInteger(1);

    private final IDebugProtocolClient client;
    private final Executor events;
    private final String module;
    private final String id = "quiesce-symbols-" + IDS.getAndIncrement();
    private int lastPercent = -1;

    SymbolProgress(IDebugProtocolClient client, Executor events, String module) {
        this.client = client;
        this.events = events;
        this.module = module;
    }

    @Override
    public void started(long totalBytes, int units) {
        ProgressStartEventArguments e = new ProgressStartEventArguments();
        e.setProgressId(id);
        e.setTitle("Loading symbols");
        e.setMessage(module + " (" + units + (units == 1 ? " unit, " : " units, ") + (totalBytes + 512 * 1024) / (1024 * 1024) + " MiB of DWARF)");
        e.setCancellable(false);
        e.setPercentage(0.0);
        lastPercent = 0;
        events.execute(() -> client.progressStart(e));
    }

    @Override
    public void advanced(long doneBytes, long totalBytes, String unit) {
        int percent = (int) Math.min(100, doneBytes * 100 / Math.max(1, totalBytes));
        if (percent == lastPercent) {
            return; // thousands of small units: one update per percent
        }
        lastPercent = percent;
        ProgressUpdateEventArguments e = new ProgressUpdateEventArguments();
        e.setProgressId(id);
        e.setMessage(module + ": " + (unit == null ? "" : baseName(unit)));
        e.setPercentage((double) percent);
        events.execute(() -> client.progressUpdate(e));
    }

    @Override
    public void finished(int units) {
        ProgressEndEventArguments e = new ProgressEndEventArguments();
        e.setProgressId(id);
        e.setMessage(module + ": " + units + (units == 1 ? " unit read" : " units read"));
        events.execute(() -> client.progressEnd(e));
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}

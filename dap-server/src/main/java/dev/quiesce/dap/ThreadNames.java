package dev.quiesce.dap;

import dev.quiesce.engine.ThreadInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.lsp4j.debug.Thread;
import org.eclipse.lsp4j.debug.ThreadsResponse;

/**
 * The threads as the client lists them: the main thread first, then the others in the order
 * they started, each named {@code name [tid]} so that threads with one name ("demo", "demo", as
 * every thread of a program that never names them) can be told apart.
 */
final class ThreadNames {
    private ThreadNames() {
    }

    static String display(ThreadInfo info) {
        return info.name() + " [" + info.tid() + "]";
    }

    static ThreadsResponse response(int pid, List<ThreadInfo> infos) {
        List<ThreadInfo> ordered = new ArrayList<>(infos);
        // Stable: the engine lists threads in the order it saw them start.
        ordered.sort(Comparator.comparingInt(t -> t.tid() == pid ? 0 : 1));
        Thread[] threads = new Thread[ordered.size()];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread();
            threads[i].setId(ordered.get(i).tid());
            threads[i].setName(display(ordered.get(i)));
        }
        ThreadsResponse response = new ThreadsResponse();
        response.setThreads(threads);
        return response;
    }
}

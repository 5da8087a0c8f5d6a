package dev.quiesce.dap;

import org.eclipse.lsp4j.debug.Capabilities;

/**
 * One family of DAP requests (java-debug's request handlers, lldb-dap's {@code Handler/} files):
 * it registers each command it answers with the {@link Dispatcher}, with the preconditions the
 * dispatcher checks before calling it, and declares the capabilities those commands give.
 * {@code initialize} answers with the capabilities of the handlers registered, so a capability
 * is advertised because its handler is there. See ARCHITECTURE.md, "Adding a request".
 */
interface RequestHandler {
    /** Registers this family's commands. */
    void register(Dispatcher dispatcher);

    /** Sets the capability flags this family's commands give (none by default). */
    default void capabilities(Capabilities capabilities) {
    }
}

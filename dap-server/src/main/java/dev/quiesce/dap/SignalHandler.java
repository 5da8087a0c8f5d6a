package dev.quiesce.dap;

import dev.quiesce.engine.SignalPolicy;
import dev.quiesce.engine.ThreadStop;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.linux.SigInfo;
import dev.quiesce.linux.Signal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.ExceptionBreakMode;
import org.eclipse.lsp4j.debug.ExceptionDetails;
import org.eclipse.lsp4j.debug.ExceptionInfoArguments;
import org.eclipse.lsp4j.debug.ExceptionInfoResponse;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsResponse;

/**
 * Signals and syscalls as DAP exceptions: the "signal" and "syscall" exception filters,
 * exceptionInfo for a thread stopped at a signal, and the custom signalPolicy (PRODUCT.md).
 */
final class SignalHandler implements RequestHandler {
    private final Session session;

    SignalHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        d.on("setExceptionBreakpoints", SetExceptionBreakpointsArguments.class, this::setExceptionBreakpoints)
                .needs(Precondition.arguments("setExceptionBreakpoints needs arguments: {\"filters\": [...]}"));
        d.on("signalPolicy", SignalPolicyArguments.class, this::signalPolicy)
                .needs(Precondition.argument(a -> a.getSignal() != null,
                        "signalPolicy needs \"signal\" (e.g. \"SIGUSR1\") and any of stop, print, pass"));
        d.on("exceptionInfo", ExceptionInfoArguments.class, this::exceptionInfo)
                .needs((s, args) -> s.process != null || s.core != null ? null : Session.noProgram("get exception info"),
                        Precondition.arguments(Session.noProgram("get exception info")));
    }

    @Override
    public void capabilities(Capabilities c) {
        c.setSupportsExceptionInfoRequest(true);
        c.setSupportsExceptionFilterOptions(true);
        // signal, syscall, cpp_throw, cpp_catch, rust_panic
        c.setExceptionBreakpointFilters(ExceptionFilters.offered());
    }

    private CompletableFuture<?> setExceptionBreakpoints(SetExceptionBreakpointsArguments args) {
        synchronized (session) {
            ExceptionFilters filters;
            try {
                filters = ExceptionFilters.parse(args);
                session.signalSettings.setFilter(filters.signal(), filters.signalCondition());
            } catch (IllegalArgumentException e) {
                return session.respond(Session.failure(e.getMessage()));
            }
            session.filterCatchpoints = filters.syscalls();
            session.breakpointRequests.cxxExceptions().setFilter(filters.cxx());
            TracedProcess p = session.process;
            if (p != null) {
                session.signalSettings.applyTo(p.signalPolicy());
                p.catchSyscalls(session.catchpoints());
            }
            return session.respondWith(new SetExceptionBreakpointsResponse());
        }
    }

    /** Custom request (PRODUCT.md): change one signal's policy at run time. */
    private CompletableFuture<?> signalPolicy(SignalPolicyArguments args) {
        int signal;
        try {
            signal = SignalSettings.signal(args.getSignal());
        } catch (IllegalArgumentException e) {
            return session.respond(Session.failure(e.getMessage()));
        }
        Map<String, Object> change = new java.util.HashMap<>();
        if (args.getStop() != null) {
            change.put("stop", args.getStop());
        }
        if (args.getPrint() != null) {
            change.put("print", args.getPrint());
        }
        if (args.getPass() != null) {
            change.put("pass", args.getPass());
        }
        synchronized (session) {
            session.signalSettings.parseArgument(Map.of(Signal.nameOf(signal), change));
            TracedProcess p = session.process;
            if (p != null) {
                session.signalSettings.applyTo(p.signalPolicy());
            }
            SignalPolicy.Handling now = p != null ? p.signalPolicy().of(signal) : null;
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("signal", Signal.nameOf(signal));
            if (now != null) {
                body.put("stop", now.stop());
                body.put("print", now.print());
                body.put("pass", now.pass());
            }
            return session.respondWith(body);
        }
    }

    private CompletableFuture<?> exceptionInfo(ExceptionInfoArguments args) {
        CoreSession core = session.core;
        if (core != null) {
            return session.respond(CompletableFuture.supplyAsync(() -> core.exceptionInfo(args.getThreadId())));
        }
        TracedProcess p = session.process;
        int tid = args.getThreadId();
        ThreadStop last = session.processEvents.lastStop(tid);
        if (last != null && RustPanicInfo.isPanic(last)) {
            return session.respond(p.isStopped(tid).thenCompose(stopped -> {
                if (!stopped) {
                    throw RequestErrors.error("thread " + tid + " is running");
                }
                return session.modules.walker().backtrace(tid, 64).thenApply(frames -> RustPanicInfo.response(last, frames));
            }));
        }
        return session.respond(p.isStopped(tid).thenApply(stopped -> {
            ThreadStop stop = session.processEvents.lastStop(tid);
            if (!stopped) {
                throw RequestErrors.error("thread " + tid + " is running");
            }
            if (stop != null && CxxExceptionInfo.isCxx(stop)) {
                return CxxExceptionInfo.response(stop, session.breakpointRequests.cxxExceptions().lastStop(tid));
            }
            if (stop == null || stop.signal().isEmpty()) {
                throw RequestErrors.error("thread " + tid + " did not stop for a signal");
            }
            SigInfo info = stop.signal().get();
            ExceptionInfoResponse response = new ExceptionInfoResponse();
            response.setExceptionId(Signal.nameOf(info.signal()));
            response.setDescription(SignalDescriptions.title(info.signal()) + ": " + SignalDescriptions.details(info));
            response.setBreakMode(ExceptionBreakMode.ALWAYS);
            ExceptionDetails details = new ExceptionDetails();
            details.setMessage(SignalDescriptions.details(info));
            details.setTypeName("signal");
            details.setFullTypeName(Signal.nameOf(info.signal()));
            response.setDetails(details);
            return response;
        }));
    }
}

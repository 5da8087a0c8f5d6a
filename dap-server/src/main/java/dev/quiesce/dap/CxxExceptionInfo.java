package dev.quiesce.dap;

import dev.quiesce.debugger.exceptions.ThrownException;
import dev.quiesce.engine.StopReason;
import dev.quiesce.engine.ThreadStop;
import java.util.Optional;
import org.eclipse.lsp4j.debug.ExceptionBreakMode;
import org.eclipse.lsp4j.debug.ExceptionDetails;
import org.eclipse.lsp4j.debug.ExceptionInfoResponse;

/** How a C++ exception stop (cpp_throw, cpp_catch) reads in the stopped event and in exceptionInfo. */
final class CxxExceptionInfo {
    private CxxExceptionInfo() {
    }

    static boolean isCxx(ThreadStop stop) {
        return stop.reason() == StopReason.CXX_THROW || stop.reason() == StopReason.CXX_CATCH;
    }

    /** "C++ exception thrown: std::runtime_error" (the stopped event's description). */
    static String description(ThreadStop stop) {
        return "C++ exception " + (stop.reason() == StopReason.CXX_THROW ? "thrown" : "caught") + ": "
                + stop.detail().orElse("an exception of unknown type");
    }

    static ExceptionInfoResponse response(ThreadStop stop, Optional<ThrownException> thrown) {
        String type = stop.detail().orElse("unknown C++ exception");
        ExceptionInfoResponse r = new ExceptionInfoResponse();
        r.setExceptionId(type);
        r.setDescription(description(stop));
        r.setBreakMode(ExceptionBreakMode.ALWAYS);
        ExceptionDetails details = new ExceptionDetails();
        long object = thrown.map(ThrownException::object).orElse(0L);
        details.setMessage((stop.reason() == StopReason.CXX_THROW ? "being thrown" : "entering its catch handler")
                + (object != 0 ? "; the exception object is at 0x" + Long.toHexString(object) : ""));
        details.setTypeName(type);
        details.setFullTypeName(type);
        r.setDetails(details);
        return r;
    }
}

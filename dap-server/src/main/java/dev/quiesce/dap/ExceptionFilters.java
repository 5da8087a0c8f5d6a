package dev.quiesce.dap;

import dev.quiesce.debugger.exceptions.ExceptionBreakpoints;
import dev.quiesce.debugger.exceptions.TypeNameList;
import java.util.Set;
import org.eclipse.lsp4j.debug.ExceptionBreakpointsFilter;
import org.eclipse.lsp4j.debug.ExceptionFilterOptions;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;

/**
 * A setExceptionBreakpoints request read: which of the filters (PRODUCT.md: signal, syscall,
 * cpp_throw, cpp_catch, rust_panic) are on and with what condition. A filter named in {@code filters} has no
 * condition; one in {@code filterOptions} has its own.
 */
record ExceptionFilters(boolean signal, String signalCondition, Set<Long> syscalls, ExceptionBreakpoints.Filter cxx) {
    private static final String KNOWN = "signal, syscall, cpp_throw, cpp_catch, rust_panic";

    static ExceptionFilters parse(SetExceptionBreakpointsArguments args) {
        boolean signal = false;
        String signalCondition = null;
        Set<Long> syscalls = Set.of();
        TypeNameList onThrow = null;
        TypeNameList onCatch = null;
        boolean onPanic = false;
        for (String filter : args.getFilters() == null ? new String[0] : args.getFilters()) {
            switch (filter == null ? "" : filter) {
                case "signal" -> signal = true;
                case "syscall" -> { } // stops only at the syscalls a condition names
                case "cpp_throw" -> onThrow = TypeNameList.ANY;
                case "cpp_catch" -> onCatch = TypeNameList.ANY;
                case "rust_panic" -> onPanic = true;
                default -> throw unknown(filter);
            }
        }
        for (ExceptionFilterOptions option : args.getFilterOptions() == null ? new ExceptionFilterOptions[0] : args.getFilterOptions()) {
            String id = option == null ? null : option.getFilterId();
            switch (id == null ? "" : id) {
                case "signal" -> {
                    signal = true;
                    signalCondition = option.getCondition();
                }
                case "syscall" -> syscalls = SyscallNames.parse(option.getCondition(), "syscall filter condition");
                case "cpp_throw" -> onThrow = TypeNameList.parse(option.getCondition());
                case "cpp_catch" -> onCatch = TypeNameList.parse(option.getCondition());
                case "rust_panic" -> onPanic = true; // no condition: every panic stops
                default -> throw unknown(id);
            }
        }
        return new ExceptionFilters(signal, signalCondition, syscalls, new ExceptionBreakpoints.Filter(onThrow, onCatch, onPanic));
    }

    private static IllegalArgumentException unknown(String filter) {
        return new IllegalArgumentException("unknown exception filter \"" + filter + "\"; Quiesce has: " + KNOWN);
    }

    /** The filters as the initialize response offers them (the Breakpoints view's checkboxes). */
    static ExceptionBreakpointsFilter[] offered() {
        return new ExceptionBreakpointsFilter[] {
            filter("signal", "Signals", "Stop when a signal reaches the program (per the signals policy, or only the signals named in the condition)",
                    true, "signal names that stop, e.g. SIGSEGV SIGUSR1; empty: the signals policy decides"),
            filter("syscall", "Syscalls", "Stop at the entry of the syscalls named in the condition",
                    false, "syscall names, e.g. openat write"),
            filter("cpp_throw", "C++: on throw", "Stop when a C++ exception is thrown (in __cxa_throw, the thrower one frame up)",
                    false, "exception type names that stop, e.g. std::runtime_error; empty: every type"),
            filter("cpp_catch", "C++: on catch", "Stop when a C++ exception enters a catch handler (in __cxa_begin_catch)",
                    false, "exception type names that stop, e.g. std::out_of_range; empty: every type"),
            // CodeLLDB's id and label; on by default as there
            filter("rust_panic", "Rust: on panic", "Stop when a Rust program panics (in std's rust_panic, after the panic message is printed)",
                    true, null),
        };
    }

    private static ExceptionBreakpointsFilter filter(String id, String label, String description, boolean on, String condition) {
        ExceptionBreakpointsFilter f = new ExceptionBreakpointsFilter();
        f.setFilter(id);
        f.setLabel(label);
        f.setDescription(description);
        f.setDefault_(on);
        f.setSupportsCondition(condition != null);
        f.setConditionDescription(condition);
        return f;
    }
}

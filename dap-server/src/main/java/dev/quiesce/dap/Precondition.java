package dev.quiesce.dap;

import java.util.function.Predicate;

/**
 * What must hold before a request's handler runs; checked by the {@link Dispatcher} in the
 * order declared, the first refusal answers the request ({@code success: false}, its message).
 */
@FunctionalInterface
interface Precondition<A> {
    /** Why the request cannot run now, or null if it can. */
    String refusal(Session session, A arguments);

    /** The client sent {@code initialize} first. */
    static <A> Precondition<A> initialized(String command) {
        return (session, args) -> session.initialized() ? null : "send 'initialize' before '" + command + "'";
    }

    /** A program is being debugged (launched or attached, not ended). */
    static <A> Precondition<A> program(String verb) {
        return (session, args) -> session.debugging() ? null : session.notRunning(verb);
    }

    /** The program's state can be read: a program being debugged, or a core file. */
    static <A> Precondition<A> readable(String verb) {
        return (session, args) -> session.readable() != null ? null : session.notRunning(verb);
    }

    /** A program was launched or attached (it may have ended since: the request says what then). */
    static <A> Precondition<A> hadProgram(String verb) {
        return (session, args) -> session.process != null ? null : session.notRunning(verb);
    }

    /** The request has arguments. */
    static <A> Precondition<A> arguments(String message) {
        return (session, args) -> args != null ? null : message;
    }

    /** An argument check: {@code message} unless {@code ok} holds for the (non-null) arguments. */
    static <A> Precondition<A> argument(Predicate<A> ok, String message) {
        return (session, args) -> args != null && ok.test(args) ? null : message;
    }
}

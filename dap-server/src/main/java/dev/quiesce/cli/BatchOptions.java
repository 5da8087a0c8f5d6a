package dev.quiesce.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arguments of {@code quiesce run}: {@code PROGRAM [ARGS...]} with {@code --break FILE:LINE},
 * {@code --break FUNCTION} and {@code --print EXPR} anywhere (each may repeat). After {@code --}
 * everything is the program's, so a program can still get an argument named "--break".
 */
record BatchOptions(String program, List<String> programArgs, List<LineBreak> lineBreaks,
                    List<String> functionBreaks, List<String> prints) {

    static final String USAGE = "usage: quiesce run PROGRAM [ARGS...] [--break FILE:LINE | --break FUNCTION]... [--print EXPR]... [-- ARGS...]";

    /** A breakpoint at a line of a file, as typed ("sym_main.c", "src/a.c", an absolute path). */
    record LineBreak(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /** A command line the user must fix; the message says how. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private static final Pattern FILE_LINE = Pattern.compile("(.+):(\\d+)");

    static BatchOptions parse(List<String> args) throws UsageException {
        String program = null;
        List<String> programArgs = new ArrayList<>();
        List<LineBreak> lines = new ArrayList<>();
        List<String> functions = new ArrayList<>();
        List<String> prints = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                for (String rest : args.subList(i + 1, args.size())) {
                    if (program == null) {
                        program = rest;
                    } else {
                        programArgs.add(rest);
                    }
                }
                break;
            } else if (a.equals("--break") || a.startsWith("--break=")) {
                String value = a.startsWith("--break=") ? a.substring("--break=".length()) : next(args, ++i);
                breakpoint(value, lines, functions);
            } else if (a.equals("--print") || a.startsWith("--print=")) {
                String value = a.startsWith("--print=") ? a.substring("--print=".length()) : next(args, ++i);
                if (value == null || value.isBlank()) {
                    throw new UsageException("--print needs an expression, e.g. --print 'n * 2'");
                }
                prints.add(value);
            } else if (program == null && a.startsWith("-")) {
                throw new UsageException("unknown option " + a + " (before the program; options are --break and --print)");
            } else if (program == null) {
                program = a;
            } else {
                programArgs.add(a);
            }
        }
        if (program == null || program.isBlank()) {
            throw new UsageException("run needs a PROGRAM to debug");
        }
        return new BatchOptions(program, List.copyOf(programArgs), List.copyOf(lines), List.copyOf(functions), List.copyOf(prints));
    }

    /** The value after an option, or null when the option is last or another option follows. */
    private static String next(List<String> args, int i) {
        if (i >= args.size() || args.get(i).equals("--") || args.get(i).startsWith("--break") || args.get(i).startsWith("--print")) {
            return null;
        }
        return args.get(i);
    }

    private static void breakpoint(String value, List<LineBreak> lines, List<String> functions) throws UsageException {
        String hint = "--break needs FILE:LINE or a function name, e.g. --break main.c:12 or --break main";
        if (value == null || value.isBlank()) {
            throw new UsageException(hint);
        }
        Matcher m = FILE_LINE.matcher(value);
        if (m.matches()) {
            int line;
            try {
                line = Integer.parseInt(m.group(2));
            } catch (NumberFormatException e) {
                throw new UsageException(hint + " (line " + m.group(2) + " is too large)");
            }
            if (line <= 0) {
                throw new UsageException(hint + " (lines start at 1, not " + m.group(2) + ")");
            }
            lines.add(new LineBreak(m.group(1), line));
        } else if (value.endsWith(":") || value.matches(".*\\.(c|cc|cpp|cxx|h|hpp|s|S):.*")) {
            throw new UsageException(hint + " (\"" + value + "\" has no line number)");
        } else {
            functions.add(value);
        }
    }
}

package dev.quiesce.bench;

import java.nio.file.Path;
import java.util.List;

/** A program of the startup table and the one line breakpoint its session sets. */
record StartupProgram(String name, Path binary, Path source, int line, List<String> args) {}

package dev.quiesce.engine;

/**
 * A snapshot of one thread as the client sees it.
 *
 * @param tid     kernel thread id (the DAP thread id)
 * @param name    its name from /proc/PID/task/TID/comm
 * @param stopped whether the client has been told it stopped (and has not resumed it)
 */
public record ThreadInfo(int tid, String name, boolean stopped) {
}

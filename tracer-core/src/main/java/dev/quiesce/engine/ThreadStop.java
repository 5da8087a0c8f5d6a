package dev.quiesce.engine;

/**
 * A stop reported to the client.
 *
 * @param tid               the thread that stopped
 * @param reason            why
 * @param allThreadsStopped true when the whole process was quiesced (all-stop mode)
 */
public record ThreadStop(int tid, StopReason reason, boolean allThreadsStopped) {
}

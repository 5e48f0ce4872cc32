package io.riffle.broker;

/**
 * The runner consumer of a pipeline's input stream, as the autoscaler sees it.
 *
 * @param pending    events not yet delivered to any runner
 * @param ackPending events delivered and not yet acked
 * @param lastSeq    the input stream's last sequence (delivered plus pending)
 */
public record InputState(long pending, long ackPending, long lastSeq) {
}

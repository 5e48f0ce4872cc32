package io.riffle.broker;

/**
 * Counts read from JetStream for one pipeline.
 *
 * @param inputStored     events in the input stream (processed or not, until they age out)
 * @param backlog         events not yet delivered to a runner
 * @param inFlight        events delivered to runners and not yet acked
 * @param outputWaiting   results not yet consumed
 * @param failedWaiting   dead letters not yet consumed
 * @param inputTotal      events ever accepted (the input stream's last sequence)
 * @param outputTotal     results ever stored
 * @param failedTotal     dead letters ever stored
 */
public record PipelineStreamStats(long inputStored, long backlog, long inFlight, long outputWaiting,
                                  long failedWaiting, long inputTotal, long outputTotal, long failedTotal) {
}

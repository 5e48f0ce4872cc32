package io.riffle.client;

/**
 * What a pipeline is doing now: function build state, stream counts and the workers running it.
 *
 * @param error     the build log when the latest version failed to build, else null
 * @param lastError  the last worker failure, or null
 * @param connectors {@code {source: {kind, state, delivered, rejected, last_error, ...}, sink: {...}}} of the
 *                   configured connectors (docs/connectors.md); empty or null when there are none
 */
public record PipelineStatus(String id, String state, int activeVersion, int latestVersion, String functionStatus,
                             String error, long inputStored, long backlog, long inFlight, long outputWaiting,
                             long failedWaiting, int replicas, int workerRestarts, String lastError,
                             com.fasterxml.jackson.databind.JsonNode connectors) {
}

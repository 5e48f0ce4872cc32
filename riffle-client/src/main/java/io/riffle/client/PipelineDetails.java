package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One pipeline in full (GlassFlow's {@code GetDetailedSpacePipeline} plus Riffle's settings and function state).
 *
 * @param sourceConnector null = the built-in REST source (publish through the API)
 * @param sinkConnector   null = the built-in REST sink (consume through the API)
 * @param environments    the environment of the latest function version
 */
public record PipelineDetails(String id, String name, String spaceId, String spaceName, String state,
                              Instant createdAt, Instant updatedAt, JsonNode metadata, JsonNode sourceConnector,
                              JsonNode sinkConnector, List<EnvVar> environments, PipelineSettings settings,
                              Function function) {
    public PipelineDetails {
        environments = environments == null ? List.of() : List.copyOf(environments);
    }

    /** Which function version runs and which is the newest (they differ while a new one builds or after a rollback). */
    public record Function(int activeVersion, String activeStatus, int latestVersion, String latestStatus) {
    }
}

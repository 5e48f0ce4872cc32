package io.riffle.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A pipeline's configuration: where it lives, whether it runs, its connectors and which function version it runs.
 *
 * @param metadata        free-form JSON object set by the user (never null; an empty object when unset)
 * @param sourceConnector connector JSON ({@code {kind, config}} or {@code {kind, configuration}}), or null for the
 *                        built-in REST source
 * @param sinkConnector   connector JSON, or null for the built-in REST sink
 * @param activeVersion   the function version the pipeline runs
 */
public record Pipeline(String id, String spaceId, String name, PipelineState state, JsonNode metadata,
                       JsonNode sourceConnector, JsonNode sinkConnector, PipelineSettings settings,
                       int activeVersion, Instant createdAt, Instant updatedAt) {
    public Pipeline {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spaceId, "spaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public Pipeline withState(PipelineState value) {
        return new Pipeline(id, spaceId, name, value, metadata, sourceConnector, sinkConnector, settings,
            activeVersion, createdAt, updatedAt);
    }
}

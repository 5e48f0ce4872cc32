package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Pipelines#create} sends (GlassFlow's {@code CreatePipeline} plus Riffle's {@code settings}).
 *
 * @param requirementsTxt  pip requirements, or null for none
 * @param environments     may be empty
 * @param settings         null or {@link PipelineSettings#NONE} for the server's defaults
 * @param metadata         free-form JSON object, or null
 * @param state            {@code running} (null = running) or {@code paused}
 * @param sourceConnector  {@code {kind, config}} of a managed source, or null for the REST source (publish)
 * @param sinkConnector    {@code {kind, config}} of a managed sink, or null for the REST sink (consume)
 */
public record NewPipeline(String name, String spaceId, String transformationFunction, String requirementsTxt,
                          List<EnvVar> environments, PipelineSettings settings, JsonNode metadata, String state,
                          JsonNode sourceConnector, JsonNode sinkConnector) {
    public NewPipeline {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spaceId, "spaceId");
        Objects.requireNonNull(transformationFunction, "transformationFunction");
        environments = environments == null ? List.of() : List.copyOf(environments);
    }

    /** A pipeline with the REST source and sink. */
    public NewPipeline(String name, String spaceId, String transformationFunction, String requirementsTxt,
                       List<EnvVar> environments, PipelineSettings settings, JsonNode metadata, String state) {
        this(name, spaceId, transformationFunction, requirementsTxt, environments, settings, metadata, state, null,
            null);
    }

    /** The same pipeline with these connectors (null: the REST source or sink). */
    public NewPipeline withConnectors(JsonNode source, JsonNode sink) {
        return new NewPipeline(name, spaceId, transformationFunction, requirementsTxt, environments, settings,
            metadata, state, source, sink);
    }

    /** A running pipeline with no requirements, environment or settings. */
    public static NewPipeline of(String name, String spaceId, String transformationFunction) {
        return new NewPipeline(name, spaceId, transformationFunction, null, List.of(), null, null, null);
    }
}

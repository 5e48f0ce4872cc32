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
 */
public record NewPipeline(String name, String spaceId, String transformationFunction, String requirementsTxt,
                          List<EnvVar> environments, PipelineSettings settings, JsonNode metadata, String state) {
    public NewPipeline {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spaceId, "spaceId");
        Objects.requireNonNull(transformationFunction, "transformationFunction");
        environments = environments == null ? List.of() : List.copyOf(environments);
    }

    /** A running pipeline with no requirements, environment or settings. */
    public static NewPipeline of(String name, String spaceId, String transformationFunction) {
        return new NewPipeline(name, spaceId, transformationFunction, null, List.of(), null, null, null);
    }
}

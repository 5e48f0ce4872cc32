package io.riffle.cli;

import io.riffle.client.EnvVar;
import io.riffle.client.PipelineSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated {@code pipeline.yaml}: what the pipeline should be, with files already read.
 *
 * @param file           the YAML file as the user named it (for messages)
 * @param pipelineId     null until the first apply writes it back
 * @param spaceId        null when only {@code space_name} is given
 * @param requirements   null when the file has none
 * @param settings       only the settings the file names ({@link PipelineSettings#NONE} when none)
 * @param pipelineIdLine line of {@code pipeline_id} (for messages), or 0
 * @param source         {@code {kind, config}} of a managed source connector, or null for the REST source
 * @param sink           {@code {kind, config}} of a managed sink connector, or null for the REST sink
 */
record PipelineSpec(Path file, String name, String pipelineId, String spaceId, String spaceName,
                    String transformation, String requirements, List<EnvVar> env, PipelineSettings settings,
                    int pipelineIdLine, com.fasterxml.jackson.databind.JsonNode source,
                    com.fasterxml.jackson.databind.JsonNode sink) {
    PipelineSpec {
        env = List.copyOf(env);
    }

    /** A spec with the built-in REST source and sink. */
    PipelineSpec(Path file, String name, String pipelineId, String spaceId, String spaceName, String transformation,
                 String requirements, List<EnvVar> env, PipelineSettings settings, int pipelineIdLine) {
        this(file, name, pipelineId, spaceId, spaceName, transformation, requirements, env, settings, pipelineIdLine,
            null, null);
    }
}

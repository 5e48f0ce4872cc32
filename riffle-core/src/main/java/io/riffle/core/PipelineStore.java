package io.riffle.core;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Pipelines and their function versions. Implementations are thread-safe. */
public interface PipelineStore {
    /** Stores a new pipeline with its first function version and first access token, all or nothing. */
    void create(Pipeline pipeline, FunctionVersion firstVersion, PipelineToken firstToken);

    Optional<Pipeline> find(String pipelineId);

    /** Pipelines of the given spaces, oldest first. */
    List<Pipeline> list(Collection<String> spaceIds);

    /** Every pipeline, for the engine. */
    List<Pipeline> listAll();

    /**
     * Replaces the mutable fields (name, state, metadata, connectors, settings, active version) and bumps
     * {@code updatedAt}.
     *
     * @return the stored pipeline
     * @throws NotFoundException when it does not exist
     */
    Pipeline update(Pipeline pipeline);

    /** Deletes the pipeline with its versions and tokens. Deleting a missing pipeline is a no-op. */
    void delete(String pipelineId);

    /**
     * Adds the next numbered version (status BUILDING, or READY when {@code ready}) without activating it.
     *
     * @throws NotFoundException when the pipeline does not exist
     */
    FunctionVersion addVersion(String pipelineId, String source, String requirementsTxt, List<EnvVar> environments,
                               BuildStatus status);

    Optional<FunctionVersion> findVersion(String pipelineId, int version);

    /** All versions of a pipeline, newest first. */
    List<FunctionVersion> versions(String pipelineId);

    /** Records the outcome of a version's build. */
    void updateBuild(String pipelineId, int version, BuildStatus status, String buildLog);
}

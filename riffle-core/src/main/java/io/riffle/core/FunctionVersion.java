package io.riffle.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One immutable, numbered version of a pipeline's function: handler source, requirements and environment.
 * Only its build status and build log change after creation.
 *
 * @param requirementsTxt text of requirements.txt; empty when the function needs no packages
 * @param buildLog        pip output and the handler import check; the Python error when {@code status} is FAILED
 */
public record FunctionVersion(String pipelineId, int version, String source, String requirementsTxt,
                              List<EnvVar> environments, BuildStatus status, String buildLog, Instant createdAt) {
    public FunctionVersion {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(source, "source");
        requirementsTxt = requirementsTxt == null ? "" : requirementsTxt;
        environments = List.copyOf(environments == null ? List.of() : environments);
        Objects.requireNonNull(status, "status");
        buildLog = buildLog == null ? "" : buildLog;
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public FunctionVersion withBuild(BuildStatus newStatus, String newLog) {
        return new FunctionVersion(pipelineId, version, source, requirementsTxt, environments, newStatus, newLog,
            createdAt);
    }
}

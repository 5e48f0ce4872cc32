package io.riffle.deploy;

import io.riffle.client.PipelineDetails;

/**
 * What the Kubernetes manifests of one pipeline depend on: its identity and its scaling settings.
 *
 * @param memoryLimitMb memory limit of one Python worker process (0 = none)
 * @param partitions    with ordering by key, the pipeline's partition count; 0 when it is not ordered
 */
public record PipelineDescription(String id, String name, String state, int minReplicas, int maxReplicas,
                                  int lagPerReplica, long cooldownMs, long idleTimeoutMs, int memoryLimitMb,
                                  int partitions) {
    public PipelineDescription {
        if (id == null || !id.matches("[A-Za-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("pipeline id '" + id + "' cannot name Kubernetes objects");
        }
        if (minReplicas < 0 || maxReplicas < 1 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("pipeline " + id + ": replicas must satisfy 0 <= min <= max, max >= 1; "
                + "got min " + minReplicas + ", max " + maxReplicas);
        }
        if (lagPerReplica < 1) {
            throw new IllegalArgumentException("pipeline " + id + ": lag_per_replica must be at least 1");
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("pipeline " + id + ": partitions must not be negative");
        }
    }

    /** An unordered pipeline. */
    public PipelineDescription(String id, String name, String state, int minReplicas, int maxReplicas,
                               int lagPerReplica, long cooldownMs, long idleTimeoutMs, int memoryLimitMb) {
        this(id, name, state, minReplicas, maxReplicas, lagPerReplica, cooldownMs, idleTimeoutMs, memoryLimitMb, 0);
    }

    /** Most pods worth running: with ordering by key, one per partition at most (the engine's own cap too). */
    int podCap() {
        return partitions > 0 ? Math.min(maxReplicas, partitions) : maxReplicas;
    }

    /** The description of a pipeline as the API answers it (the server fills every setting). */
    public static PipelineDescription of(PipelineDetails d) {
        var s = d.settings();
        if (s == null || s.minReplicas() == null || s.maxReplicas() == null || s.lagPerReplica() == null
            || s.cooldownMs() == null || s.idleTimeoutMs() == null) {
            throw new IllegalArgumentException("pipeline " + d.id() + ": the server sent no scaling settings");
        }
        return new PipelineDescription(d.id(), d.name(), d.state(), s.minReplicas(), s.maxReplicas(),
            s.lagPerReplica(), s.cooldownMs(), s.idleTimeoutMs(), s.memoryLimitMb() == null ? 0 : s.memoryLimitMb(),
            "key".equals(s.ordering()) && s.partitions() != null ? s.partitions() : 0);
    }

    boolean paused() {
        return "paused".equals(state);
    }
}

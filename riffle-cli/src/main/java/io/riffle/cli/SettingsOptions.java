package io.riffle.cli;

import io.riffle.client.PipelineSettings;
import picocli.CommandLine.Option;

/** The {@code settings} of a pipeline as options of {@code pipeline create} and {@code pipeline update}. */
final class SettingsOptions {
    @Option(names = "--replicas", paramLabel = "N", description = "Fixed number of workers (min = max = N).")
    Integer replicas;

    @Option(names = "--min-replicas", paramLabel = "N", description = "Workers kept when idle (0 = scale to zero).")
    Integer minReplicas;

    @Option(names = "--max-replicas", paramLabel = "N", description = "Most workers the autoscaler starts (1..64).")
    Integer maxReplicas;

    @Option(names = "--lag-per-replica", paramLabel = "N", description = "Backlog one worker carries.")
    Integer lagPerReplica;

    @Option(names = "--cooldown-ms", paramLabel = "MS", description = "Low backlog this long before scaling down.")
    Long cooldownMs;

    @Option(names = "--idle-timeout-ms", paramLabel = "MS", description = "No events this long: the last worker stops.")
    Long idleTimeoutMs;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Longest one event may take.")
    Long timeoutMs;

    @Option(names = "--max-retries", paramLabel = "N", description = "Retries after a crash or timeout.")
    Integer maxRetries;

    @Option(names = "--batch-size", paramLabel = "N", description = "Events sent to a worker at once.")
    Integer batchSize;

    @Option(names = "--memory-limit-mb", paramLabel = "MB", description = "Memory limit of a worker (0 = none).")
    Integer memoryLimitMb;

    @Option(names = "--async-concurrency", paramLabel = "N", description = "Events an async handler runs at once.")
    Integer asyncConcurrency;

    @Option(names = "--ordering", paramLabel = "none|key",
        description = "key: events with the same --ordering-key are processed in publish order.")
    String ordering;

    @Option(names = "--ordering-key", paramLabel = "POINTER", description = "JSON pointer to the key, e.g. /user_id.")
    String orderingKey;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of an ordered pipeline (1..256).")
    Integer partitions;

    /** The settings given ({@link PipelineSettings#NONE} when none); the server checks the ranges. */
    PipelineSettings settings() {
        if (ordering != null && !ordering.equals("none") && !ordering.equals("key")) {
            throw new CliException("--ordering must be none or key; got " + ordering);
        }
        return new PipelineSettings(replicas, minReplicas, maxReplicas, lagPerReplica, cooldownMs, idleTimeoutMs,
            timeoutMs, maxRetries, batchSize, memoryLimitMb, asyncConcurrency, ordering, orderingKey, partitions);
    }
}

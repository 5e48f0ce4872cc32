package io.riffle.core;

import java.time.Duration;

/**
 * How a pipeline's function is run. Immutable; validated on construction.
 *
 * @param replicas       worker processes that run the function while the pipeline runs (1..64)
 * @param eventTimeout   longest one event may take in the handler before the worker is killed and restarted
 * @param maxRetries     redeliveries after a worker crash or timeout before the event is dead-lettered
 * @param batchSize      events fetched from the input stream and sent to the worker in one frame
 * @param memoryLimitMb  address-space limit of a worker process in MiB (0 = none)
 */
public record PipelineSettings(int replicas, Duration eventTimeout, int maxRetries, int batchSize, int memoryLimitMb) {
    public static final int DEFAULT_REPLICAS = 1;
    public static final Duration DEFAULT_EVENT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int DEFAULT_MEMORY_LIMIT_MB = 1024;
    public static final PipelineSettings DEFAULTS = new PipelineSettings(DEFAULT_REPLICAS, DEFAULT_EVENT_TIMEOUT,
        DEFAULT_MAX_RETRIES, DEFAULT_BATCH_SIZE, DEFAULT_MEMORY_LIMIT_MB);

    public PipelineSettings {
        require(replicas >= 0 && replicas <= 64, "replicas must be between 0 and 64; got " + replicas);
        require(eventTimeout != null && !eventTimeout.isNegative() && !eventTimeout.isZero()
            && eventTimeout.compareTo(Duration.ofHours(1)) <= 0,
            "timeout must be between 1 ms and 1 h; got " + eventTimeout);
        require(maxRetries >= 0 && maxRetries <= 100, "max_retries must be between 0 and 100; got " + maxRetries);
        require(batchSize >= 1 && batchSize <= 10_000, "batch_size must be between 1 and 10000; got " + batchSize);
        require(memoryLimitMb == 0 || (memoryLimitMb >= 64 && memoryLimitMb <= 65_536),
            "memory_limit_mb must be 0 (none) or between 64 and 65536; got " + memoryLimitMb);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidInputException(message);
        }
    }

    public PipelineSettings withReplicas(int value) {
        return new PipelineSettings(value, eventTimeout, maxRetries, batchSize, memoryLimitMb);
    }
}

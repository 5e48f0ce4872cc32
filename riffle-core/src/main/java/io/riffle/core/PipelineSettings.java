package io.riffle.core;

import java.time.Duration;

/**
 * How a pipeline's function is run and scaled. Immutable; validated on construction.
 *
 * @param minReplicas   runners kept while the pipeline runs, even when idle (0 = scale to zero)
 * @param maxReplicas   most runners the autoscaler starts (1..64)
 * @param lagPerReplica backlog (events waiting plus in flight) one runner is expected to carry, as KEDA's
 *                      {@code lagThreshold}
 * @param cooldown      how long the backlog must stay low before runners are removed
 * @param idleTimeout   how long without any event before the last runner stops (when {@code minReplicas} is 0)
 * @param eventTimeout  longest one event may take in the handler before the worker is killed and restarted
 * @param maxRetries    redeliveries after a worker crash or timeout before the event is dead-lettered
 * @param batchSize     events fetched from the input stream and sent to the worker in one frame
 * @param memoryLimitMb address-space limit of a worker process in MiB (0 = none)
 * @param asyncConcurrency events of one batch an {@code async def} handler runs at once (1..10000)
 * @param ordering      {@link Ordering#KEY}: events with the same key are processed in publish order
 * @param orderingKey   JSON pointer to the key in each event (such as {@code /user_id}); null unless ordering is key
 * @param partitions    with ordering by key, how many partitions the keys are hashed into (1..256): at most this
 *                      many events of one pipeline are in flight at once
 */
public record PipelineSettings(int minReplicas, int maxReplicas, int lagPerReplica, Duration cooldown,
                               Duration idleTimeout, Duration eventTimeout, int maxRetries, int batchSize,
                               int memoryLimitMb, int asyncConcurrency, Ordering ordering, String orderingKey,
                               int partitions) {
    public static final int DEFAULT_MIN_REPLICAS = 0;
    public static final int DEFAULT_MAX_REPLICAS = 4;
    public static final int DEFAULT_LAG_PER_REPLICA = 500;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_EVENT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int DEFAULT_MEMORY_LIMIT_MB = 1024;
    public static final int DEFAULT_ASYNC_CONCURRENCY = 64;
    public static final int DEFAULT_PARTITIONS = 16;
    public static final int MAX_PARTITIONS = 256;
    public static final PipelineSettings DEFAULTS = new PipelineSettings(DEFAULT_MIN_REPLICAS, DEFAULT_MAX_REPLICAS,
        DEFAULT_LAG_PER_REPLICA, DEFAULT_COOLDOWN, DEFAULT_IDLE_TIMEOUT, DEFAULT_EVENT_TIMEOUT, DEFAULT_MAX_RETRIES,
        DEFAULT_BATCH_SIZE, DEFAULT_MEMORY_LIMIT_MB, DEFAULT_ASYNC_CONCURRENCY, Ordering.NONE, null,
        DEFAULT_PARTITIONS);

    public PipelineSettings {
        require(minReplicas >= 0 && minReplicas <= 64, "min_replicas must be between 0 and 64; got " + minReplicas);
        require(maxReplicas >= 1 && maxReplicas <= 64, "max_replicas must be between 1 and 64; got " + maxReplicas);
        require(minReplicas <= maxReplicas, "min_replicas (" + minReplicas + ") must not exceed max_replicas ("
            + maxReplicas + ")");
        require(lagPerReplica >= 1 && lagPerReplica <= 10_000_000, "lag_per_replica must be between 1 and "
            + "10000000; got " + lagPerReplica);
        require(positive(cooldown, Duration.ofHours(24)), "cooldown_ms must be between 1 ms and 24 h; got "
            + cooldown);
        require(positive(idleTimeout, Duration.ofDays(7)), "idle_timeout_ms must be between 1 ms and 7 days; got "
            + idleTimeout);
        require(positive(eventTimeout, Duration.ofHours(1)), "timeout_ms must be between 1 ms and 1 h; got "
            + eventTimeout);
        require(maxRetries >= 0 && maxRetries <= 100, "max_retries must be between 0 and 100; got " + maxRetries);
        require(batchSize >= 1 && batchSize <= 10_000, "batch_size must be between 1 and 10000; got " + batchSize);
        require(memoryLimitMb == 0 || (memoryLimitMb >= 64 && memoryLimitMb <= 65_536),
            "memory_limit_mb must be 0 (none) or between 64 and 65536; got " + memoryLimitMb);
        require(asyncConcurrency >= 1 && asyncConcurrency <= 10_000,
            "async_concurrency must be between 1 and 10000; got " + asyncConcurrency);
        require(ordering != null, "settings.ordering must be \"none\" or \"key\"");
        require(partitions >= 1 && partitions <= MAX_PARTITIONS, "partitions must be between 1 and " + MAX_PARTITIONS
            + "; got " + partitions);
        if (ordering == Ordering.KEY) {
            require(orderingKey != null, "ordering_key is required with ordering \"key\": a JSON pointer into the "
                + "event, such as \"/user_id\"");
            JsonPointers.require(orderingKey);
        } else {
            require(orderingKey == null, "ordering_key \"" + orderingKey + "\" needs ordering \"key\"");
        }
    }

    /** Settings without ordering by key. */
    public PipelineSettings(int minReplicas, int maxReplicas, int lagPerReplica, Duration cooldown,
                            Duration idleTimeout, Duration eventTimeout, int maxRetries, int batchSize,
                            int memoryLimitMb, int asyncConcurrency) {
        this(minReplicas, maxReplicas, lagPerReplica, cooldown, idleTimeout, eventTimeout, maxRetries, batchSize,
            memoryLimitMb, asyncConcurrency, Ordering.NONE, null, DEFAULT_PARTITIONS);
    }

    /** Settings with the default async concurrency. */
    public PipelineSettings(int minReplicas, int maxReplicas, int lagPerReplica, Duration cooldown,
                            Duration idleTimeout, Duration eventTimeout, int maxRetries, int batchSize,
                            int memoryLimitMb) {
        this(minReplicas, maxReplicas, lagPerReplica, cooldown, idleTimeout, eventTimeout, maxRetries, batchSize,
            memoryLimitMb, DEFAULT_ASYNC_CONCURRENCY);
    }

    /** A fixed number of runners ({@code replicas} = min = max), without scaling. */
    public PipelineSettings(int replicas, Duration eventTimeout, int maxRetries, int batchSize, int memoryLimitMb) {
        this(replicas, Math.max(1, replicas), DEFAULT_LAG_PER_REPLICA, DEFAULT_COOLDOWN, DEFAULT_IDLE_TIMEOUT,
            eventTimeout, maxRetries, batchSize, memoryLimitMb);
    }

    private static boolean positive(Duration d, Duration max) {
        return d != null && !d.isNegative() && !d.isZero() && d.compareTo(max) <= 0;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidInputException(message);
        }
    }

    /** True when the autoscaler has nothing to decide. */
    public boolean fixed() {
        return minReplicas == maxReplicas;
    }

    public PipelineSettings withReplicas(int min, int max) {
        return new PipelineSettings(min, max, lagPerReplica, cooldown, idleTimeout, eventTimeout, maxRetries,
            batchSize, memoryLimitMb, asyncConcurrency, ordering, orderingKey, partitions);
    }

    /** These settings with events ordered by the value at {@code key} (a JSON pointer), over {@code count} partitions. */
    public PipelineSettings orderedBy(String key, int count) {
        return new PipelineSettings(minReplicas, maxReplicas, lagPerReplica, cooldown, idleTimeout, eventTimeout,
            maxRetries, batchSize, memoryLimitMb, asyncConcurrency, Ordering.KEY, key, count);
    }

    /** True when events with the same key are processed in publish order. */
    public boolean orderedByKey() {
        return ordering == Ordering.KEY;
    }

    /**
     * True when {@code other} lays the input out differently (ordering, key or partition count): events published
     * under one layout must be processed before the other takes over.
     */
    public boolean routingDiffers(PipelineSettings other) {
        return ordering != other.ordering || !java.util.Objects.equals(orderingKey, other.orderingKey)
            || (orderedByKey() && partitions != other.partitions);
    }
}

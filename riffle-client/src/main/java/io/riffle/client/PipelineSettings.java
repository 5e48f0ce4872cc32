package io.riffle.client;

/**
 * Riffle's run and scaling settings of a pipeline. In a request a null field means "leave as it is" (or the server
 * default on create); in an answer the server sets every field except {@code replicas} (and {@code orderingKey}
 * when the pipeline is not ordered).
 *
 * @param replicas         shortcut for a fixed number of workers: min = max = replicas (request only)
 * @param minReplicas      workers kept while the pipeline runs, even idle (0 = scale to zero)
 * @param maxReplicas      most workers the autoscaler starts
 * @param lagPerReplica    backlog one worker is expected to carry before another is started
 * @param cooldownMs       how long the backlog must stay low before workers are removed
 * @param idleTimeoutMs    how long without events before the last worker stops (when min is 0)
 * @param timeoutMs        longest time one event may take
 * @param maxRetries       attempts before an event goes to the dead letters
 * @param batchSize        events handed to a worker at once
 * @param memoryLimitMb    memory limit of one worker process (0 = none)
 * @param asyncConcurrency events of one batch an {@code async def} handler runs at once
 * @param ordering         {@code none} or {@code key} (events with the same key processed in publish order)
 * @param orderingKey      JSON pointer to the key in each event, such as {@code /user_id} (with ordering key)
 * @param partitions       how many partitions keys are hashed into (with ordering key)
 */
public record PipelineSettings(Integer replicas, Integer minReplicas, Integer maxReplicas, Integer lagPerReplica,
                               Long cooldownMs, Long idleTimeoutMs, Long timeoutMs, Integer maxRetries,
                               Integer batchSize, Integer memoryLimitMb, Integer asyncConcurrency, String ordering,
                               String orderingKey, Integer partitions) {
    /** No field set: the server's defaults. */
    public static final PipelineSettings NONE = new PipelineSettings(null, null, null, null, null, null, null, null,
        null, null);

    /** Settings without the async concurrency and ordering fields. */
    public PipelineSettings(Integer replicas, Integer minReplicas, Integer maxReplicas, Integer lagPerReplica,
                            Long cooldownMs, Long idleTimeoutMs, Long timeoutMs, Integer maxRetries,
                            Integer batchSize, Integer memoryLimitMb) {
        this(replicas, minReplicas, maxReplicas, lagPerReplica, cooldownMs, idleTimeoutMs, timeoutMs, maxRetries,
            batchSize, memoryLimitMb, null, null, null, null);
    }

    /** True when no field is set. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** A fixed number of workers. */
    public static PipelineSettings fixedReplicas(int n) {
        return new PipelineSettings(n, null, null, null, null, null, null, null, null, null);
    }

    /** These settings with events ordered by the value at {@code pointer} over {@code count} partitions. */
    public PipelineSettings orderedBy(String pointer, Integer count) {
        return new PipelineSettings(replicas, minReplicas, maxReplicas, lagPerReplica, cooldownMs, idleTimeoutMs,
            timeoutMs, maxRetries, batchSize, memoryLimitMb, asyncConcurrency, "key", pointer, count);
    }
}

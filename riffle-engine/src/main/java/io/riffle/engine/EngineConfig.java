package io.riffle.engine;

import io.riffle.core.InvalidInputException;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of one engine process.
 *
 * @param reconcileInterval how often the engine re-reads the pipelines it should run (announcements also wake it)
 * @param fetchWait         how long a runner waits for events before checking whether it should stop
 * @param retryBackoff      first delay before a crashed or timed-out event is redelivered; doubles per attempt
 * @param scaleInterval     how often the autoscaler looks at every pipeline's backlog
 * @param pipelines         the only pipelines this engine runs ({@code RIFFLE_WORKER_PIPELINES}); empty: all
 * @param fixedRunners      runners per pipeline whatever the backlog ({@code RIFFLE_WORKER_RUNNERS}), for pods that
 *                          something else (KEDA) scales; 0: the engine autoscales and takes its share
 */
public record EngineConfig(Duration reconcileInterval, Duration fetchWait, Duration retryBackoff,
                           Duration scaleInterval, Set<String> pipelines, int fixedRunners) {
    public static final int MAX_FIXED_RUNNERS = 64;
    public static final EngineConfig DEFAULTS = new EngineConfig(Duration.ofSeconds(5), Duration.ofMillis(500),
        Duration.ofMillis(250), Duration.ofSeconds(1));

    /** Defaults for the scale interval. */
    public EngineConfig(Duration reconcileInterval, Duration fetchWait, Duration retryBackoff) {
        this(reconcileInterval, fetchWait, retryBackoff, Duration.ofSeconds(1));
    }

    /** Every pipeline, autoscaled. */
    public EngineConfig(Duration reconcileInterval, Duration fetchWait, Duration retryBackoff,
                        Duration scaleInterval) {
        this(reconcileInterval, fetchWait, retryBackoff, scaleInterval, Set.of(), 0);
    }

    public EngineConfig {
        if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new InvalidInputException("reconcile interval must be positive; got " + reconcileInterval);
        }
        pipelines = Set.copyOf(pipelines);
        if (fixedRunners < 0 || fixedRunners > MAX_FIXED_RUNNERS) {
            throw new InvalidInputException("RIFFLE_WORKER_RUNNERS must be between 0 and " + MAX_FIXED_RUNNERS
                + "; got " + fixedRunners);
        }
    }

    /** This engine runs only these pipelines (empty: all). */
    public EngineConfig withPipelines(Set<String> value) {
        return new EngineConfig(reconcileInterval, fetchWait, retryBackoff, scaleInterval, value, fixedRunners);
    }

    /** This engine runs {@code value} runners of each of its pipelines, without autoscaling (0: autoscale). */
    public EngineConfig withFixedRunners(int value) {
        return new EngineConfig(reconcileInterval, fetchWait, retryBackoff, scaleInterval, pipelines, value);
    }

    /** True when this engine runs the pipeline. */
    public boolean accepts(String pipelineId) {
        return pipelines.isEmpty() || pipelines.contains(pipelineId);
    }
}

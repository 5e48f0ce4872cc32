package io.riffle.engine;

import io.riffle.core.InvalidInputException;
import java.time.Duration;

/**
 * Settings of one engine process.
 *
 * @param reconcileInterval how often the engine re-reads the pipelines it should run (announcements also wake it)
 * @param fetchWait         how long a runner waits for events before checking whether it should stop
 * @param retryBackoff      first delay before a crashed or timed-out event is redelivered; doubles per attempt
 * @param scaleInterval     how often the autoscaler looks at every pipeline's backlog
 */
public record EngineConfig(Duration reconcileInterval, Duration fetchWait, Duration retryBackoff,
                           Duration scaleInterval) {
    public static final EngineConfig DEFAULTS = new EngineConfig(Duration.ofSeconds(5), Duration.ofMillis(500),
        Duration.ofMillis(250), Duration.ofSeconds(1));

    /** Defaults for the scale interval. */
    public EngineConfig(Duration reconcileInterval, Duration fetchWait, Duration retryBackoff) {
        this(reconcileInterval, fetchWait, retryBackoff, Duration.ofSeconds(1));
    }

    public EngineConfig {
        if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new InvalidInputException("reconcile interval must be positive; got " + reconcileInterval);
        }
    }
}

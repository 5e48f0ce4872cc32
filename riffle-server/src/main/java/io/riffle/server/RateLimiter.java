package io.riffle.server;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (a data-plane token): {@code perSecond} tokens a second, at most {@code burst} saved up.
 * Time comes from the injected {@link Clock}, so tests advance it instead of sleeping. Thread-safe.
 */
final class RateLimiter {
    private static final int MAX_KEYS = 100_000;
    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code perSecond} 0 turns limiting off. */
    RateLimiter(double perSecond, double burst, Clock clock) {
        if (perSecond < 0 || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("rate must be >= 0 and burst >= 1; got " + perSecond + ", " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    boolean enabled() {
        return perSecond > 0;
    }

    /**
     * Takes {@code n} tokens for {@code key}.
     *
     * @return 0 when they were taken, else the whole seconds to wait before that many tokens are there (nothing is
     *     taken then)
     */
    long tryAcquire(String key, int n) {
        if (!enabled()) {
            return 0;
        }
        if (buckets.size() >= MAX_KEYS) {
            buckets.clear();
        }
        var bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, clock.millis()));
        return bucket.take(Math.min(n, burst), clock.millis());
    }

    private final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized long take(double n, long now) {
            if (now > at) {
                tokens = Math.min(burst, tokens + (now - at) * perSecond / 1000.0);
                at = now;
            }
            if (tokens >= n) {
                tokens -= n;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((n - tokens) / perSecond));
        }
    }
}

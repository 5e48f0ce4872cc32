package io.riffle.engine;

import java.time.Duration;

/** Delays between attempts: {@code first}, doubling up to {@code max}; reset after a success. Not thread-safe. */
final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);
    private final Duration first;
    private final Duration max;
    private Duration next;

    Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The delay before the next attempt; each call doubles the following one. */
    Duration next() {
        var d = next;
        var doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return d;
    }

    void reset() {
        next = first;
    }
}

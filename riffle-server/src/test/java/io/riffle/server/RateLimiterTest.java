package io.riffle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void burstIsServedThenCallsWaitForTheRefill() {
        var limiter = new RateLimiter(10, 20, clock);
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.tryAcquire("t", 1)).as("call %s", i).isZero();
        }
        assertThat(limiter.tryAcquire("t", 1)).isEqualTo(1);

        clock.advance(Duration.ofMillis(100));
        assertThat(limiter.tryAcquire("t", 1)).isZero();
        assertThat(limiter.tryAcquire("t", 1)).isEqualTo(1);
    }

    @Test
    void tokensAreLimitedIndependently() {
        var limiter = new RateLimiter(1, 1, clock);
        assertThat(limiter.tryAcquire("a", 1)).isZero();
        assertThat(limiter.tryAcquire("a", 1)).isEqualTo(1);
        assertThat(limiter.tryAcquire("b", 1)).isZero();
    }

    @Test
    void retryAfterSaysHowLongTheRefillTakes() {
        var limiter = new RateLimiter(0.5, 1, clock);
        assertThat(limiter.tryAcquire("t", 1)).isZero();
        assertThat(limiter.tryAcquire("t", 1)).isEqualTo(2);
        clock.advance(Duration.ofSeconds(2));
        assertThat(limiter.tryAcquire("t", 1)).isZero();
    }

    @Test
    void savedTokensNeverExceedTheBurst() {
        var limiter = new RateLimiter(100, 5, clock);
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("t", 1)).isZero();
        }
        assertThat(limiter.tryAcquire("t", 1)).isPositive();
    }

    @Test
    void zeroTurnsLimitingOff() {
        var limiter = new RateLimiter(0, 1, clock);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.tryAcquire("t", 1)).isZero();
        }
        assertThat(limiter.enabled()).isFalse();
    }
}

package io.riffle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.UnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TtlCacheTest {
    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void answersFromTheCacheUntilTheEntryExpires() {
        var clock = new ManualClock();
        var loads = new AtomicInteger();
        var cache = new TtlCache<String, String>(Duration.ofSeconds(5), clock, k -> {
            loads.incrementAndGet();
            return Optional.of(k.toUpperCase());
        });
        assertThat(cache.get("a")).contains("A");
        clock.advance(Duration.ofSeconds(4));
        assertThat(cache.get("a")).contains("A");
        assertThat(loads).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(cache.get("a")).contains("A");
        assertThat(loads).hasValue(2);
    }

    @Test
    void servesAnExpiredEntryWhileTheStoreIsDown() {
        var clock = new ManualClock();
        var down = new AtomicReference<Boolean>(false);
        var cache = new TtlCache<String, String>(Duration.ofSeconds(5), clock, k -> {
            if (down.get()) {
                throw new UnavailableException("database unavailable");
            }
            return Optional.of("pipeline-1");
        });
        assertThat(cache.get("token")).contains("pipeline-1");
        down.set(true);
        clock.advance(Duration.ofMinutes(10));
        assertThat(cache.get("token")).contains("pipeline-1");
        assertThatThrownBy(() -> cache.get("never-seen")).isInstanceOf(UnavailableException.class);
    }

    @Test
    void invalidatedEntriesAreLoadedAgain() {
        var clock = new ManualClock();
        var value = new AtomicReference<>("v1");
        var cache = new TtlCache<String, String>(Duration.ofHours(1), clock, k -> Optional.of(value.get()));
        assertThat(cache.get("k")).contains("v1");
        value.set("v2");
        cache.invalidate("k");
        assertThat(cache.get("k")).contains("v2");
    }

    @Test
    void asksADownStoreOnlyOnceATtlAndInTheBackground() {
        var clock = new ManualClock();
        var down = new AtomicReference<Boolean>(false);
        var loads = new AtomicInteger();
        var background = new java.util.ArrayList<Runnable>();
        var cache = new TtlCache<String, String>(Duration.ofSeconds(5), clock, k -> {
            loads.incrementAndGet();
            if (down.get()) {
                throw new UnavailableException("database unavailable");
            }
            return Optional.of("pipeline-of-" + k);
        }, background::add);
        assertThat(cache.get("a")).contains("pipeline-of-a");
        down.set(true);
        clock.advance(Duration.ofSeconds(6));
        assertThat(cache.get("a")).as("stale while down").contains("pipeline-of-a");
        assertThat(loads).hasValue(2);
        assertThat(cache.storeDown()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(cache.get("a")).contains("pipeline-of-a");
            assertThatThrownBy(() -> cache.get("unknown")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("database unavailable");
        }
        assertThat(loads).as("no caller waits for the down store within a TTL").hasValue(2);
        assertThat(background).isEmpty();

        clock.advance(Duration.ofSeconds(5));
        assertThat(cache.get("a")).contains("pipeline-of-a");
        assertThat(cache.get("a")).contains("pipeline-of-a");
        assertThat(background).as("one probe a TTL").hasSize(1);
        background.remove(0).run();
        assertThat(loads).hasValue(3);
        assertThat(cache.storeDown()).isTrue();

        down.set(false);
        clock.advance(Duration.ofSeconds(5));
        assertThat(cache.get("b")).as("an unknown key after the TTL asks the store").contains("pipeline-of-b");
        assertThat(cache.storeDown()).isFalse();
        assertThat(loads).hasValue(4);
    }
}

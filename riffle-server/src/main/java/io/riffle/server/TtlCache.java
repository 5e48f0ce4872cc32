package io.riffle.server;

import io.riffle.core.UnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A small look-up cache with a time to live. When the loader reports the store unavailable, an expired entry is
 * served anyway, so the data plane keeps working through a PostgreSQL outage. Thread-safe.
 */
final class TtlCache<K, V> {
    private static final int MAX_ENTRIES = 100_000;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;
    private final Function<K, Optional<V>> loader;

    TtlCache(Duration ttl, Clock clock, Function<K, Optional<V>> loader) {
        this.ttl = ttl;
        this.clock = clock;
        this.loader = loader;
    }

    Optional<V> get(K key) {
        var now = clock.millis();
        var e = entries.get(key);
        if (e != null && e.expiresAt > now) {
            return Optional.ofNullable(e.value);
        }
        try {
            var loaded = loader.apply(key);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(key, new Entry<>(loaded.orElse(null), now + ttl.toMillis()));
            return loaded;
        } catch (UnavailableException unavailable) {
            if (e != null) {
                return Optional.ofNullable(e.value);
            }
            throw unavailable;
        }
    }

    void invalidate(K key) {
        entries.remove(key);
    }

    void clear() {
        entries.clear();
    }

    private record Entry<V>(V value, long expiresAt) {
    }
}

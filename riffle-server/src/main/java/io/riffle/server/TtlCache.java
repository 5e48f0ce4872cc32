package io.riffle.server;

import io.riffle.core.UnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A small look-up cache with a time to live that rides out store outages. When the loader reports the store
 * unavailable, the cache counts the store as down for one TTL: expired entries are served as they are and unknown
 * keys fail at once (no caller waits for the store's connection timeout again). After that TTL, a caller with an
 * unknown key asks the store itself, and one load in the background finds out for the callers served stale entries
 * whether the store is back. So the data plane keeps working, at full speed, through a PostgreSQL outage, and
 * picks up changes again within a TTL of its end. Thread-safe.
 */
final class TtlCache<K, V> {
    private static final int MAX_ENTRIES = 100_000;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;
    private final Function<K, Optional<V>> loader;
    private final Executor probes;
    private final AtomicBoolean probing = new AtomicBoolean();
    /** While non-zero, the store is counted as down; the next probe is due at this instant (epoch millis). */
    private volatile long downUntil;
    private volatile String downBecause;

    TtlCache(Duration ttl, Clock clock, Function<K, Optional<V>> loader) {
        this(ttl, clock, loader, r -> Thread.ofVirtual().name("riffle-cache-probe").start(r));
    }

    /** With {@code probes} running the background loads that find out whether a down store is back. */
    TtlCache(Duration ttl, Clock clock, Function<K, Optional<V>> loader, Executor probes) {
        this.ttl = ttl;
        this.clock = clock;
        this.loader = loader;
        this.probes = probes;
    }

    /**
     * The value of {@code key}: cached while fresh, else loaded.
     *
     * @throws UnavailableException when the store is down and nothing (not even an expired entry) is known of the key
     */
    Optional<V> get(K key) {
        var now = clock.millis();
        var e = entries.get(key);
        if (e != null && e.expiresAt > now) {
            return Optional.ofNullable(e.value);
        }
        if (downUntil != 0) {
            boolean due = now >= downUntil;
            if (e != null) {
                if (due && probing.compareAndSet(false, true)) {
                    probes.execute(() -> probe(key));
                }
                return Optional.ofNullable(e.value);
            }
            if (!due) {
                throw new UnavailableException(downBecause);
            }
            // nothing to serve: this caller asks the store itself
        }
        return load(key, e);
    }

    private Optional<V> load(K key, Entry<V> stale) {
        try {
            var loaded = loader.apply(key);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(key, new Entry<>(loaded.orElse(null), clock.millis() + ttl.toMillis()));
            downUntil = 0;
            return loaded;
        } catch (UnavailableException unavailable) {
            downBecause = unavailable.getMessage();
            downUntil = clock.millis() + ttl.toMillis();
            if (stale != null) {
                return Optional.ofNullable(stale.value);
            }
            throw unavailable;
        }
    }

    private void probe(K key) {
        try {
            load(key, null);
        } catch (UnavailableException stillDown) {
            // counted as down for another TTL by load()
        } finally {
            probing.set(false);
        }
    }

    /** True while the store is counted as down. */
    boolean storeDown() {
        return downUntil != 0;
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

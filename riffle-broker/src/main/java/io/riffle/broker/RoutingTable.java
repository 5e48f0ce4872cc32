package io.riffle.broker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The input routing of every pipeline this process publishes to, looked up once through a resolver (the pipeline
 * store) and kept until the pipeline is announced as changed, or for {@link #TTL} at most (announcements are fire
 * and forget). Thread-safe.
 */
final class RoutingTable {
    static final Duration TTL = Duration.ofSeconds(10);
    private volatile Function<String, InputRouting> resolver = id -> InputRouting.NONE;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    private record Entry(InputRouting routing, long loadedAt) {
    }

    void use(Function<String, InputRouting> value) {
        resolver = value;
        cache.clear();
    }

    InputRouting get(String pipelineId) {
        long now = System.nanoTime();
        var e = cache.get(pipelineId);
        if (e == null || now - e.loadedAt() > TTL.toNanos()) {
            InputRouting routing;
            try {
                routing = resolver.apply(pipelineId);
            } catch (RuntimeException failure) {
                if (e == null) {
                    throw failure;
                }
                routing = e.routing(); // the store is unreachable: keep publishing the way we did
            }
            e = new Entry(routing == null ? InputRouting.NONE : routing, now);
            cache.put(pipelineId, e);
        }
        return e.routing();
    }

    void forget(String pipelineId) {
        cache.remove(pipelineId);
    }
}

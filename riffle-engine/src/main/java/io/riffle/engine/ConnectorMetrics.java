package io.riffle.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** {@code riffle.connector.*} counters of one connector, tagged pipeline, direction and kind. */
final class ConnectorMetrics implements AutoCloseable {
    static final String EVENTS = "riffle.connector.events";
    static final String ERRORS = "riffle.connector.errors";
    static final String DEAD_LETTERS = "riffle.connector.dead_letters";
    private final MeterRegistry registry;
    private final Counter events;
    private final Counter errors;
    private final Counter deadLetters;

    ConnectorMetrics(MeterRegistry registry, String pipelineId, String direction, String kind) {
        this.registry = registry;
        this.events = counter(EVENTS, "events stored (source) or delivered (sink)", pipelineId, direction, kind);
        this.errors = counter(ERRORS, "failed attempts to read or deliver", pipelineId, direction, kind);
        this.deadLetters = counter(DEAD_LETTERS, "events kept as dead letters", pipelineId, direction, kind);
    }

    private Counter counter(String name, String description, String pipelineId, String direction, String kind) {
        return Counter.builder(name).description(description).tag("pipeline", pipelineId).tag("direction", direction)
            .tag("kind", kind).register(registry);
    }

    void events(long n) {
        events.increment(n);
    }

    void error() {
        errors.increment();
    }

    void deadLetters(long n) {
        deadLetters.increment(n);
    }

    @Override
    public void close() {
        List.of(events, errors, deadLetters).forEach(registry::remove);
    }
}

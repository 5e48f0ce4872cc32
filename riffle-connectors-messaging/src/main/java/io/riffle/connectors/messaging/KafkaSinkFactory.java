package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;

/**
 * The {@code kafka} sink: produces each result to {@code topic} with the idempotent producer, keyed by the
 * result's {@code key_field} when set; connection fields of {@link KafkaEndpoint}. Stateless and thread-safe.
 */
public final class KafkaSinkFactory implements ConnectorFactory {
    @Override
    public String kind() {
        return "kafka";
    }

    @Override
    public Direction direction() {
        return Direction.SINK;
    }

    @Override
    public void validate(ConnectorConfig config) {
        KafkaEndpoint.of(config, false);
        config.string("key_field", null);
    }

    @Override
    public void probe(ConnectorConfig config) {
        KafkaEndpoint.probe(config, false);
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        return new KafkaSink(KafkaEndpoint.of(config, true),
            config.has("key_field") ? config.string("key_field") : null);
    }
}

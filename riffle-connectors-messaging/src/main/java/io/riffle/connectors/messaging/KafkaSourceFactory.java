package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Source;
import java.util.List;

/**
 * The {@code kafka} source: reads {@code topic} in the consumer group {@code group_id}, starting at
 * {@code auto_offset_reset} (earliest or latest) when the group has no offset, {@code batch_size} records per
 * poll; connection fields of {@link KafkaEndpoint}. Offsets are committed only after the events are in
 * JetStream. Stateless and thread-safe.
 */
public final class KafkaSourceFactory implements ConnectorFactory {
    static final int DEFAULT_BATCH = 500;

    @Override
    public String kind() {
        return "kafka";
    }

    @Override
    public Direction direction() {
        return Direction.SOURCE;
    }

    @Override
    public void validate(ConnectorConfig config) {
        KafkaEndpoint.of(config, false);
        config.string("group_id");
        offsetReset(config);
        config.integer("batch_size", DEFAULT_BATCH, 1, 10_000);
    }

    @Override
    public void probe(ConnectorConfig config) {
        KafkaEndpoint.probe(config, true);
    }

    @Override
    public Source openSource(ConnectorConfig config) {
        return new KafkaSource(KafkaEndpoint.of(config, true), config.string("group_id"), offsetReset(config),
            config.integer("batch_size", DEFAULT_BATCH, 1, 10_000));
    }

    private static String offsetReset(ConnectorConfig config) {
        return config.choice("auto_offset_reset", "earliest", List.of("earliest", "latest"));
    }
}

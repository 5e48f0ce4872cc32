package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Source;

/**
 * The {@code rabbitmq} source: consumes {@code queue} with manual acknowledgements after Riffle stored the
 * messages, at most {@code prefetch} unacknowledged at a time ({@code declare_queue} declares it durable first;
 * connection fields of {@link RabbitEndpoint}). A message's {@code message_id} property is its dedupe id.
 * Stateless and thread-safe.
 */
public final class RabbitMqSourceFactory implements ConnectorFactory {
    static final int DEFAULT_PREFETCH = 100;

    @Override
    public String kind() {
        return "rabbitmq";
    }

    @Override
    public Direction direction() {
        return Direction.SOURCE;
    }

    @Override
    public void validate(ConnectorConfig config) {
        RabbitEndpoint.of(config, false);
        config.string("queue");
        config.bool("declare_queue", false);
        config.integer("prefetch", DEFAULT_PREFETCH, 1, 10_000);
    }

    @Override
    public void probe(ConnectorConfig config) {
        var queue = config.string("queue");
        RabbitEndpoint.probe(config, "queue", "no queue named '" + queue + "' in vhost '"
            + config.string("vhost", RabbitEndpoint.DEFAULT_VHOST) + "' (create it, or set declare_queue: true)",
            config.bool("declare_queue", false) ? null : channel -> channel.queueDeclarePassive(queue));
    }

    @Override
    public Source openSource(ConnectorConfig config) {
        return new RabbitMqSource(RabbitEndpoint.of(config, true), config.string("queue"),
            config.bool("declare_queue", false), config.integer("prefetch", DEFAULT_PREFETCH, 1, 10_000));
    }
}

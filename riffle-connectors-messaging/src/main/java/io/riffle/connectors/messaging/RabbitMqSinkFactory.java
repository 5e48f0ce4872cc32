package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;

/**
 * The {@code rabbitmq} sink: publishes persistent messages to {@code exchange} (default: the default exchange)
 * with {@code routing_key}, waiting for publisher confirms ({@code declare_queue} declares a durable queue named
 * {@code routing_key} first, default exchange only; connection fields of {@link RabbitEndpoint}). Stateless and
 * thread-safe.
 */
public final class RabbitMqSinkFactory implements ConnectorFactory {
    @Override
    public String kind() {
        return "rabbitmq";
    }

    @Override
    public Direction direction() {
        return Direction.SINK;
    }

    @Override
    public void validate(ConnectorConfig config) {
        RabbitEndpoint.of(config, false);
        config.string("routing_key");
        if (config.bool("declare_queue", false) && !config.string("exchange", "").isEmpty()) {
            throw config.invalid("declare_queue", "declares a queue named routing_key on the default exchange;"
                + " it cannot be used with exchange '" + config.string("exchange", "") + "'");
        }
    }

    @Override
    public void probe(ConnectorConfig config) {
        var exchange = config.string("exchange", "");
        var routingKey = config.string("routing_key");
        if (!exchange.isEmpty()) {
            RabbitEndpoint.probe(config, "exchange", "no exchange named '" + exchange + "'",
                channel -> channel.exchangeDeclarePassive(exchange));
        } else if (!config.bool("declare_queue", false)) {
            RabbitEndpoint.probe(config, "routing_key", "no queue named '" + routingKey + "' to route to on the"
                + " default exchange (create it, or set declare_queue: true)",
                channel -> channel.queueDeclarePassive(routingKey));
        } else {
            RabbitEndpoint.probe(config, null, null, null);
        }
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        return new RabbitMqSink(RabbitEndpoint.of(config, true), config.string("exchange", ""),
            config.string("routing_key"), config.bool("declare_queue", false));
    }
}

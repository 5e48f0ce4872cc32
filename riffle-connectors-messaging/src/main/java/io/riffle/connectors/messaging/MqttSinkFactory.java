package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;
import java.util.UUID;

/**
 * The {@code mqtt} sink: publishes each result to {@code topic} with {@code qos} (default 1) and
 * {@code retain} (default false), as {@code client_id} (default: a random one); connection fields of
 * {@link MqttEndpoint}. Stateless and thread-safe.
 */
public final class MqttSinkFactory implements ConnectorFactory {
    static final int DEFAULT_QOS = 1;

    @Override
    public String kind() {
        return "mqtt";
    }

    @Override
    public Direction direction() {
        return Direction.SINK;
    }

    @Override
    public void validate(ConnectorConfig config) {
        MqttEndpoint.of(config, false);
        topic(config);
        if (config.has("client_id")) {
            MqttSourceFactory.clientId(config);
        }
        config.integer("qos", DEFAULT_QOS, 0, 2);
        config.bool("retain", false);
    }

    @Override
    public void probe(ConnectorConfig config) {
        MqttEndpoint.probe(config);
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        var clientId = config.has("client_id") ? MqttSourceFactory.clientId(config)
            : "riffle-sink-" + UUID.randomUUID();
        return new MqttSink(MqttEndpoint.of(config, true), topic(config), clientId,
            config.integer("qos", DEFAULT_QOS, 0, 2), config.bool("retain", false));
    }

    private static String topic(ConnectorConfig config) {
        var topic = config.string("topic");
        if (topic.contains("+") || topic.contains("#")) {
            throw config.invalid("topic", "a sink publishes to one topic; wildcards (+, #) are for subscriptions;"
                + " got '" + topic + "'");
        }
        return topic;
    }
}

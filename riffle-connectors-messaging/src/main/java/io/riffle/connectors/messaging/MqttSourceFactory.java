package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Source;

/**
 * The {@code mqtt} source: subscribes to {@code topic} (wildcards allowed) with {@code qos} (default 1) in the
 * persistent session of {@code client_id}, acknowledging each message after Riffle stored it ({@code batch_size};
 * connection fields of {@link MqttEndpoint}). MQTT has no stable message id: a message redelivered after a
 * reconnect may be stored twice. Stateless and thread-safe.
 */
public final class MqttSourceFactory implements ConnectorFactory {
    static final int DEFAULT_QOS = 1;
    static final int DEFAULT_BATCH = 100;

    @Override
    public String kind() {
        return "mqtt";
    }

    @Override
    public Direction direction() {
        return Direction.SOURCE;
    }

    @Override
    public void validate(ConnectorConfig config) {
        MqttEndpoint.of(config, false);
        topicFilter(config);
        clientId(config);
        config.integer("qos", DEFAULT_QOS, 0, 2);
        config.integer("batch_size", DEFAULT_BATCH, 1, 10_000);
    }

    @Override
    public void probe(ConnectorConfig config) {
        MqttEndpoint.probe(config);
    }

    @Override
    public Source openSource(ConnectorConfig config) {
        return new MqttSource(MqttEndpoint.of(config, true), topicFilter(config), clientId(config),
            config.integer("qos", DEFAULT_QOS, 0, 2), config.integer("batch_size", DEFAULT_BATCH, 1, 10_000));
    }

    static String topicFilter(ConnectorConfig config) {
        var topic = config.string("topic");
        var levels = topic.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            var level = levels[i];
            var badHash = level.contains("#") && (!level.equals("#") || i != levels.length - 1);
            var badPlus = level.contains("+") && !level.equals("+");
            if (badHash || badPlus) {
                throw config.invalid("topic", "'" + topic + "' is not a valid MQTT topic filter (+ stands for a"
                    + " whole level, # only for the last level)");
            }
        }
        return topic;
    }

    static String clientId(ConnectorConfig config) {
        var id = config.string("client_id");
        if (id.length() > 128 || !id.chars().allMatch(c -> c > 32 && c < 127)) {
            throw config.invalid("client_id", "must be 1 to 128 printable ASCII characters without spaces; got '"
                + id + "'");
        }
        return id;
    }
}

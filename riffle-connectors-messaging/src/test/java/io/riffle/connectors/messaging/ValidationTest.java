package io.riffle.connectors.messaging;

import static io.riffle.connectors.messaging.Harness.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.ConnectorRegistry;
import io.riffle.connectors.Direction;
import io.riffle.core.InvalidInputException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** validate(): the configuration errors each kind refuses without touching the network, each naming its field. */
class ValidationTest {
    private static void refused(ConnectorFactory factory, Map<String, Object> fields, String message) {
        var config = config(factory.direction(), factory.kind(), fields);
        assertThatThrownBy(() -> factory.validate(config)).isInstanceOf(InvalidInputException.class)
            .hasMessage(message);
    }

    private static void accepted(ConnectorFactory factory, Map<String, Object> fields) {
        assertThatCode(() -> factory.validate(config(factory.direction(), factory.kind(), fields)))
            .doesNotThrowAnyException();
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... pairs) {
        var out = new HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                out.remove((String) pairs[i]);
            } else {
                out.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return out;
    }

    @Test
    void registryFindsEveryMessagingKindInBothDirections() {
        var registry = ConnectorRegistry.load();
        assertThat(registry.kinds(Direction.SOURCE)).contains("kafka", "mqtt", "rabbitmq", "redis");
        assertThat(registry.kinds(Direction.SINK)).contains("kafka", "mqtt", "rabbitmq", "redis");
    }

    @Test
    void secretCredentialsAreNotReadWhenOnlyTheShapeIsChecked() {
        var secret = Map.of("secret_ref", Map.of("type", "organization", "key", "K"));
        for (var factory : List.<ConnectorFactory>of(new RedisSourceFactory(), new RabbitMqSourceFactory(),
            new MqttSourceFactory())) {
            var fields = new HashMap<String, Object>(Map.of("host", "h", "stream", "s", "group", "g", "queue", "q",
                "topic", "t", "client_id", "c", "username", secret, "password", secret));
            var node = Harness.JSON.createObjectNode();
            node.put("kind", factory.kind());
            node.set("config", Harness.JSON.valueToTree(fields));
            var shapeOnly = io.riffle.connectors.ConnectorConfig.of(Direction.SOURCE, node, null);
            assertThatCode(() -> factory.validate(shapeOnly)).as(factory.kind()).doesNotThrowAnyException();
        }
    }

    @Test
    void redis() {
        var source = new RedisSourceFactory();
        var ok = Map.<String, Object>of("host", "h", "stream", "s", "group", "g");
        accepted(source, ok);
        accepted(source, with(ok, "start_id", "$"));
        accepted(source, with(ok, "start_id", "1700000000000-5", "password",
            Map.of("secret_ref", Map.of("type", "organization", "key", "REDIS_PASS"))));
        refused(source, with(ok, "host", null), "source_connector.config.host: is required");
        refused(source, with(ok, "group", null), "source_connector.config.group: is required");
        refused(source, with(ok, "port", 70000), "source_connector.config.port: must be between 1 and 65535; got 70000");
        refused(source, with(ok, "start_id", "latest"), "source_connector.config.start_id: must be 0 (the whole"
            + " stream), $ (only new entries) or an entry id such as 1700000000000-0; got 'latest'");
        refused(source, with(ok, "batch_size", 0), "source_connector.config.batch_size: must be between 1 and"
            + " 10000; got 0");
        var sink = new RedisSinkFactory();
        accepted(sink, Map.of("host", "h", "stream", "s", "maxlen", 1000));
        refused(sink, Map.of("host", "h"), "sink_connector.config.stream: is required");
        refused(sink, Map.of("host", "h", "stream", "s", "maxlen", -1), "sink_connector.config.maxlen: must be"
            + " between 0 and 2147483647; got -1");
        refused(sink, Map.of("host", "h", "stream", "s", "id_field", "data"), "sink_connector.config.id_field:"
            + " must differ from field ('data')");
        refused(sink, Map.of("host", "h", "stream", "s", "tls", "yes"), "sink_connector.config.tls: must be"
            + " true or false; got 'yes'");
    }

    @Test
    void rabbitmq() {
        var source = new RabbitMqSourceFactory();
        accepted(source, Map.of("host", "h", "queue", "q"));
        refused(source, Map.of("host", "h"), "source_connector.config.queue: is required");
        refused(source, Map.of("host", "h", "queue", "q", "prefetch", 0), "source_connector.config.prefetch:"
            + " must be between 1 and 10000; got 0");
        var sink = new RabbitMqSinkFactory();
        accepted(sink, Map.of("host", "h", "routing_key", "q", "declare_queue", true));
        refused(sink, Map.of("host", "h"), "sink_connector.config.routing_key: is required");
        refused(sink, Map.of("host", "h", "routing_key", "k", "exchange", "x", "declare_queue", true),
            "sink_connector.config.declare_queue: declares a queue named routing_key on the default exchange;"
                + " it cannot be used with exchange 'x'");
    }

    @Test
    void mqtt() {
        var source = new MqttSourceFactory();
        var ok = Map.<String, Object>of("host", "h", "topic", "plant/+/temp/#", "client_id", "riffle-1");
        accepted(source, ok);
        refused(source, with(ok, "client_id", null), "source_connector.config.client_id: is required");
        refused(source, with(ok, "client_id", "has space"), "source_connector.config.client_id: must be 1 to"
            + " 128 printable ASCII characters without spaces; got 'has space'");
        refused(source, with(ok, "topic", "a/#/b"), "source_connector.config.topic: 'a/#/b' is not a valid MQTT"
            + " topic filter (+ stands for a whole level, # only for the last level)");
        refused(source, with(ok, "topic", "a/b+"), "source_connector.config.topic: 'a/b+' is not a valid MQTT"
            + " topic filter (+ stands for a whole level, # only for the last level)");
        refused(source, with(ok, "qos", 3), "source_connector.config.qos: must be between 0 and 2; got 3");
        var sink = new MqttSinkFactory();
        accepted(sink, Map.of("host", "h", "topic", "out/alerts", "retain", true));
        refused(sink, Map.of("host", "h", "topic", "out/#"), "sink_connector.config.topic: a sink publishes to"
            + " one topic; wildcards (+, #) are for subscriptions; got 'out/#'");
    }

    @Test
    void kafka() {
        var source = new KafkaSourceFactory();
        var ok = Map.<String, Object>of("bootstrap_servers", "k1:9092,k2:9092", "topic", "orders", "group_id", "g");
        accepted(source, ok);
        accepted(source, with(ok, "properties", List.of(Map.of("name", "security.protocol", "value", "SSL"))));
        refused(source, with(ok, "group_id", null), "source_connector.config.group_id: is required");
        refused(source, with(ok, "bootstrap_servers", "k1"), "source_connector.config.bootstrap_servers: must be"
            + " host:port[,host:port...]; got 'k1'");
        refused(source, with(ok, "topic", "bad topic"), "source_connector.config.topic: must be 1 to 249"
            + " characters of a-z, A-Z, 0-9, '.', '_', '-'; got 'bad topic'");
        refused(source, with(ok, "auto_offset_reset", "none"), "source_connector.config.auto_offset_reset: must"
            + " be one of earliest, latest; got 'none'");
        refused(source, with(ok, "properties", List.of(Map.of("name", "enable.auto.commit", "value", "true"))),
            "source_connector.config.properties: 'enable.auto.commit' is set by Riffle (or by a field of this"
                + " connector) and cannot be overridden");
        refused(source, with(ok, "properties", List.of(Map.of("value", "x"))),
            "source_connector.config.properties[0]: must be {\"name\": ..., \"value\": ...}");
        var sink = new KafkaSinkFactory();
        accepted(sink, Map.of("bootstrap_servers", "k1:9092", "topic", "out", "key_field", "id"));
        refused(sink, Map.of("bootstrap_servers", "k1:9092"), "sink_connector.config.topic: is required");
        refused(sink, Map.of("bootstrap_servers", "k1:9092", "topic", "out", "properties",
            List.of(Map.of("name", "acks", "value", "1"))), "sink_connector.config.properties: 'acks' is set by"
            + " Riffle (or by a field of this connector) and cannot be overridden");
    }
}

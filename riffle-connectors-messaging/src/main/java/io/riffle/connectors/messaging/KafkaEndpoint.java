package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Where a Kafka connector connects: {@code bootstrap_servers}, {@code topic}, and {@code properties}, a list of
 * {@code {"name": ..., "value": ...}} Kafka client properties (security settings such as
 * {@code security.protocol}, {@code sasl.jaas.config}; values may be {@code secret_ref}s). Properties that would
 * break Riffle's delivery guarantees are refused.
 */
record KafkaEndpoint(String bootstrapServers, String topic, Map<String, String> properties) {
    static final Duration API_TIMEOUT = Duration.ofSeconds(10);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** Set by the connector itself; a user value would change serialisation, offsets or idempotence. */
    static final Set<String> RESERVED = Set.of("bootstrap.servers", "group.id", "enable.auto.commit",
        "key.deserializer", "value.deserializer", "key.serializer", "value.serializer", "enable.idempotence",
        "acks", "transactional.id", "auto.offset.reset", "isolation.level");

    static KafkaEndpoint of(ConnectorConfig config, boolean withSecrets) {
        var servers = config.string("bootstrap_servers");
        for (var server : servers.split(",")) {
            if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
                throw config.invalid("bootstrap_servers", "must be host:port[,host:port...]; got '" + servers + "'");
            }
        }
        var topic = config.string("topic");
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw config.invalid("topic", "must be 1 to 249 characters of a-z, A-Z, 0-9, '.', '_', '-'; got '"
                + topic + "'");
        }
        var names = propertyNames(config);
        for (var name : names) {
            if (RESERVED.contains(name)) {
                throw config.invalid("properties", "'" + name + "' is set by Riffle (or by a field of this"
                    + " connector) and cannot be overridden");
            }
        }
        Map<String, String> properties = withSecrets ? config.pairs("properties") : Map.of();
        return new KafkaEndpoint(servers, topic, properties);
    }

    /** The client properties: the user's, then Riffle's on top. */
    Properties client(Map<String, Object> riffle) {
        var props = new Properties();
        props.putAll(properties);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
        props.putAll(riffle);
        return props;
    }

    /**
     * Checks that a broker answers and, with {@code topicMustExist}, that the topic exists.
     *
     * @throws io.riffle.core.InvalidInputException naming the field at fault
     */
    static void probe(ConnectorConfig config, boolean topicMustExist) {
        var endpoint = of(config, true);
        var settings = new LinkedHashMap<String, Object>();
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
        try (var admin = Admin.create(endpoint.client(settings))) {
            admin.describeCluster().nodes().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (topicMustExist) {
                try {
                    admin.describeTopics(List.of(endpoint.topic())).allTopicNames()
                        .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        throw config.invalid("topic", "no topic named '" + endpoint.topic() + "' on "
                            + endpoint.bootstrapServers());
                    }
                    throw e;
                }
            }
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw Failures.probe(config, "bootstrap_servers", "no Kafka broker answered at "
                + endpoint.bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failures.probe(config, "bootstrap_servers", "interrupted", e);
        }
    }

    private static List<String> propertyNames(ConnectorConfig config) {
        var raw = config.raw("properties");
        if (raw == null || raw.isNull()) {
            return List.of();
        }
        if (!raw.isArray()) {
            throw config.invalid("properties", "must be a list of {\"name\": ..., \"value\": ...}");
        }
        var names = new ArrayList<String>();
        int i = 0;
        for (var item : raw) {
            var name = item.path("name");
            if (!name.isTextual() || name.asText().isBlank() || !item.has("value")) {
                throw config.invalid("properties[" + i + "]", "must be {\"name\": ..., \"value\": ...}");
            }
            names.add(name.asText());
            i++;
        }
        return names;
    }
}

package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;

/**
 * The {@code redis} sink: appends each result to a Redis stream with XADD ({@code stream}, {@code field},
 * {@code id_field}, {@code maxlen}, plus the connection fields of {@link RedisEndpoint}). Stateless and
 * thread-safe.
 */
public final class RedisSinkFactory implements ConnectorFactory {
    static final String DEFAULT_FIELD = "data";

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public Direction direction() {
        return Direction.SINK;
    }

    @Override
    public void validate(ConnectorConfig config) {
        RedisEndpoint.of(config, false);
        maxLen(config);
        if (config.string("field", DEFAULT_FIELD).equals(config.string("id_field", null))) {
            throw config.invalid("id_field", "must differ from field ('" + config.string("field", DEFAULT_FIELD)
                + "')");
        }
    }

    @Override
    public void probe(ConnectorConfig config) {
        RedisEndpoint.probe(config);
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        return new RedisStreamSink(RedisEndpoint.of(config, true), config.string("field", DEFAULT_FIELD),
            config.has("id_field") ? config.string("id_field") : null, maxLen(config));
    }

    private static long maxLen(ConnectorConfig config) {
        return config.integer("maxlen", 0, 0, Integer.MAX_VALUE);
    }
}

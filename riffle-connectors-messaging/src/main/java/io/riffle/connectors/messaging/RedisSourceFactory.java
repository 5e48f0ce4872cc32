package io.riffle.connectors.messaging;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Source;
import java.util.regex.Pattern;

/**
 * The {@code redis} source: reads a Redis stream through a consumer group ({@code stream}, {@code group},
 * {@code consumer}, {@code start_id}, {@code field}, {@code batch_size}, plus the connection fields of
 * {@link RedisEndpoint}). At least once: entries are acknowledged (XACK) after Riffle stored them; entries
 * read but not acknowledged before a crash are read again on restart; the entry id is the dedupe id.
 * Stateless and thread-safe.
 */
public final class RedisSourceFactory implements ConnectorFactory {
    static final String DEFAULT_CONSUMER = "riffle";
    static final String DEFAULT_START = "0";
    static final int DEFAULT_BATCH = 100;
    private static final Pattern START_ID = Pattern.compile("\\$|\\d+(-\\d+)?");

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public Direction direction() {
        return Direction.SOURCE;
    }

    @Override
    public void validate(ConnectorConfig config) {
        RedisEndpoint.of(config, false);
        config.string("group");
        startId(config);
        config.integer("batch_size", DEFAULT_BATCH, 1, 10_000);
    }

    @Override
    public void probe(ConnectorConfig config) {
        RedisEndpoint.probe(config);
    }

    @Override
    public Source openSource(ConnectorConfig config) {
        return new RedisStreamSource(RedisEndpoint.of(config, true), config.string("group"),
            config.string("consumer", DEFAULT_CONSUMER), startId(config), config.string("field", null),
            config.integer("batch_size", DEFAULT_BATCH, 1, 10_000));
    }

    private static String startId(ConnectorConfig config) {
        var start = config.string("start_id", DEFAULT_START).trim();
        if (!START_ID.matcher(start).matches()) {
            throw config.invalid("start_id", "must be 0 (the whole stream), $ (only new entries) or an entry id"
                + " such as 1700000000000-0; got '" + start + "'");
        }
        return start;
    }
}

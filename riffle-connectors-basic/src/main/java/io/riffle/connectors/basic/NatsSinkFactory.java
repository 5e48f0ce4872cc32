package io.riffle.connectors.basic;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Sink;

/**
 * The {@code nats} sink: publishes each result to {@code subject}. With {@code jetstream: true} a JetStream publish
 * waits for the stream's ack and carries the result's id as {@code Nats-Msg-Id}, so a redelivered result is stored
 * once; without it, a core publish confirmed by a flush.
 */
public final class NatsSinkFactory implements ConnectorFactory {
    @Override
    public String kind() {
        return "nats";
    }

    @Override
    public Direction direction() {
        return Direction.SINK;
    }

    @Override
    public void validate(ConnectorConfig config) {
        settings(config);
    }

    @Override
    public void probe(ConnectorConfig config) {
        settings(config).connection().probe(config);
    }

    @Override
    public Sink openSink(ConnectorConfig config) {
        return new NatsSink(settings(config));
    }

    record Settings(NatsSettings connection, String subject, boolean jetstream) {
    }

    static Settings settings(ConnectorConfig config) {
        var connection = NatsSettings.of(config);
        var subject = config.string("subject");
        if (!subject.matches("[^\\s*>]+")) {
            throw config.invalid("subject", "must be one subject without spaces or wildcards; got '" + subject + "'");
        }
        return new Settings(connection, subject, config.bool("jetstream", false));
    }
}

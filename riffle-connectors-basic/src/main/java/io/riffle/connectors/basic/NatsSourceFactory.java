package io.riffle.connectors.basic;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.ConnectorFactory;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Source;

/**
 * The {@code nats} source. Core NATS: {@code subject} (wildcards allowed) and an optional {@code queue_group}, so
 * several pipelines or Riffle installations share the messages; delivery from core NATS is at most once by nature
 * (messages published while the source reconnects are not kept). JetStream: {@code stream} and {@code durable}
 * (created when missing, with {@code subject} as its filter): messages are acked only after Riffle stored them,
 * and the stream sequence is the dedupe id, so nothing is lost or stored twice across restarts.
 */
public final class NatsSourceFactory implements ConnectorFactory {
    @Override
    public String kind() {
        return "nats";
    }

    @Override
    public Direction direction() {
        return Direction.SOURCE;
    }

    @Override
    public void validate(ConnectorConfig config) {
        settings(config);
    }

    @Override
    public void probe(ConnectorConfig config) {
        var s = settings(config);
        s.connection().probe(config);
        if (s.stream() != null) {
            NatsSource.probeStream(s, config);
        }
    }

    @Override
    public Source openSource(ConnectorConfig config) {
        return new NatsSource(settings(config));
    }

    /** The checked fields; {@code stream} null in core mode. */
    record Settings(NatsSettings connection, String subject, String queueGroup, String stream, String durable,
                    int batchSize) {
    }

    static Settings settings(ConnectorConfig config) {
        var connection = NatsSettings.of(config);
        var stream = config.string("stream", null);
        var subject = config.string("subject", null);
        var queue = config.string("queue_group", null);
        var durable = config.string("durable", null);
        if (stream == null) {
            if (subject == null || subject.isBlank()) {
                throw config.invalid("subject", "is required (or stream and durable for a JetStream stream)");
            }
            if (durable != null) {
                throw config.invalid("durable", "is only used with stream");
            }
        } else {
            if (!stream.matches("[A-Za-z0-9_-]+")) {
                throw config.invalid("stream", "must be a JetStream stream name (letters, digits, - and _); got '"
                    + stream + "'");
            }
            if (durable == null || !durable.matches("[A-Za-z0-9_-]+")) {
                throw config.invalid("durable", durable == null ? "is required with stream (the consumer that keeps "
                    + "the position)" : "must be letters, digits, - and _; got '" + durable + "'");
            }
            if (queue != null) {
                throw config.invalid("queue_group", "is only used without stream (core NATS)");
            }
        }
        if (subject != null && !subject.matches("[^\\s]+")) {
            throw config.invalid("subject", "must not contain spaces; got '" + subject + "'");
        }
        int batch = config.integer("batch_size", 100, 1, 1000);
        return new Settings(connection, subject, queue, stream, durable, batch);
    }
}

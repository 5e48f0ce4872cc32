package io.riffle.connectors.basic;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a NATS subject (core) or a JetStream stream through a durable pull consumer; see {@link NatsSourceFactory}. */
final class NatsSource implements io.riffle.connectors.Source {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration LINGER = Duration.ofMillis(20);
    private final NatsSourceFactory.Settings settings;
    private volatile Connection nc;

    NatsSource(NatsSourceFactory.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void run(SourceContext context) throws Exception {
        nc = settings.connection().connect("riffle-source");
        try {
            if (settings.stream() == null) {
                runCore(context);
            } else {
                runJetStream(context);
            }
        } catch (IllegalStateException | java.io.IOException e) {
            if (!context.running()) {
                return;
            }
            throw new io.riffle.core.UnavailableException("lost the connection to NATS at "
                + settings.connection().url() + " (" + nc.getStatus() + "): " + e.getMessage(), e);
        }
    }

    private void runCore(SourceContext context) throws Exception {
        Subscription sub = settings.queueGroup() == null ? nc.subscribe(settings.subject())
            : nc.subscribe(settings.subject(), settings.queueGroup());
        flush();
        context.connected();
        var batch = new ArrayList<SourceRecord>();
        while (context.running()) {
            requireOpen();
            var m = sub.nextMessage(batch.isEmpty() ? POLL : LINGER);
            if (m != null) {
                batch.add(record(m, header(m, "Nats-Msg-Id")));
            }
            if (!batch.isEmpty() && (m == null || batch.size() >= settings.batchSize())) {
                context.emit(List.copyOf(batch));
                batch.clear();
            }
        }
    }

    private void runJetStream(SourceContext context) throws Exception {
        ensureConsumer(nc, settings);
        JetStreamSubscription sub = nc.jetStream().subscribe(null,
            PullSubscribeOptions.bind(settings.stream(), settings.durable()));
        context.connected();
        while (context.running()) {
            requireOpen();
            var msgs = sub.fetch(settings.batchSize(), POLL);
            if (msgs.isEmpty()) {
                continue;
            }
            var records = new ArrayList<SourceRecord>(msgs.size());
            for (var m : msgs) {
                records.add(record(m, settings.stream() + ":" + m.metaData().streamSequence()));
            }
            context.emit(records);
            for (var m : msgs) {
                m.ack();
            }
        }
    }

    /** The subscription is registered on the server before the source reports itself connected. */
    private void flush() throws InterruptedException {
        try {
            nc.flush(NatsSettings.CONNECT_TIMEOUT);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new io.riffle.core.UnavailableException("NATS at " + settings.connection().url()
                + " did not confirm the subscription", e);
        }
    }

    private void requireOpen() {
        if (nc.getStatus() != Connection.Status.CONNECTED) {
            throw new io.riffle.core.UnavailableException("lost the connection to NATS at "
                + settings.connection().url() + " (" + nc.getStatus() + ")");
        }
    }

    private static SourceRecord record(Message m, String dedupeId) {
        return new SourceRecord(m.getData() == null ? new byte[0] : m.getData(), dedupeId);
    }

    private static String header(Message m, String name) {
        return m.hasHeaders() ? m.getHeaders().getFirst(name) : null;
    }

    /** Creates the durable consumer when missing (explicit ack, filtered by {@code subject} when given). */
    static void ensureConsumer(Connection nc, NatsSourceFactory.Settings s) throws IOException, JetStreamApiException {
        var jsm = nc.jetStreamManagement();
        try {
            jsm.getConsumerInfo(s.stream(), s.durable());
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 404) {
                throw e;
            }
            var cc = ConsumerConfiguration.builder().durable(s.durable()).ackPolicy(AckPolicy.Explicit)
                .ackWait(Duration.ofSeconds(60));
            if (s.subject() != null) {
                cc.filterSubject(s.subject());
            }
            jsm.addOrUpdateConsumer(s.stream(), cc.build());
        }
    }

    static void probeStream(NatsSourceFactory.Settings s, ConnectorConfig config) {
        try (var nc = s.connection().connect("riffle-probe")) {
            nc.jetStreamManagement().getStreamInfo(s.stream());
        } catch (JetStreamApiException e) {
            throw config.invalid("stream", "stream '" + s.stream() + "' is not there: " + e.getErrorDescription());
        } catch (IOException e) {
            throw config.invalid("url", "JetStream at " + s.connection().url() + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (io.riffle.core.UnavailableException e) {
            throw config.invalid("url", e.getMessage());
        }
    }

    @Override
    public void close() {
        var c = nc;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

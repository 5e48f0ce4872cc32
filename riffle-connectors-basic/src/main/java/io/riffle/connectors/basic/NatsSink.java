package io.riffle.connectors.basic;

import io.nats.client.Connection;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.riffle.connectors.Rejection;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.UnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Publishes results to NATS; see {@link NatsSinkFactory}. Used by one thread. */
final class NatsSink implements io.riffle.connectors.Sink {
    private static final long ACK_SECONDS = 10;
    private final NatsSinkFactory.Settings settings;
    private Connection nc;

    NatsSink(NatsSinkFactory.Settings settings) {
        this.settings = settings;
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) throws Exception {
        if (nc == null || nc.getStatus() != Connection.Status.CONNECTED) {
            close();
            nc = settings.connection().connect("riffle-sink");
        }
        if (!settings.jetstream()) {
            for (var r : records) {
                nc.publish(settings.subject(), r.payload());
            }
            nc.flush(NatsSettings.CONNECT_TIMEOUT);
            return List.of();
        }
        var js = nc.jetStream();
        var acks = new ArrayList<CompletableFuture<PublishAck>>(records.size());
        for (var r : records) {
            acks.add(js.publishAsync(settings.subject(), r.payload(), PublishOptions.builder().messageId(r.id())
                .build()));
        }
        for (var a : acks) {
            try {
                a.get(ACK_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new UnavailableException("JetStream did not store a result on " + settings.subject() + ": "
                    + e.getCause().getMessage(), e.getCause());
            }
        }
        return List.of();
    }

    @Override
    public void close() {
        if (nc != null) {
            try {
                nc.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            nc = null;
        }
    }
}

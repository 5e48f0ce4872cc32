package io.riffle.connectors.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.riffle.connectors.Source;
import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import io.riffle.core.UnavailableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes a RabbitMQ queue with manual acknowledgements and a bounded prefetch; acknowledges (multiple, up to
 * the batch's last delivery tag) only after {@link SourceContext#emit} returned. Unacknowledged messages go back
 * to the queue when the connection closes and are delivered again.
 */
final class RabbitMqSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqSource.class);
    static final long POLL_MS = 200;

    private final RabbitEndpoint endpoint;
    private final String queue;
    private final boolean declare;
    private final int prefetch;
    private final Inbox<Delivery> inbox;
    private volatile Connection connection;
    private volatile boolean closed;

    private record Delivery(long tag, AMQP.BasicProperties properties, byte[] body) {
    }

    RabbitMqSource(RabbitEndpoint endpoint, String queue, boolean declare, int prefetch) {
        this.endpoint = endpoint;
        this.queue = queue;
        this.declare = declare;
        this.prefetch = prefetch;
        this.inbox = new Inbox<>(prefetch);
    }

    @Override
    public void run(SourceContext context) throws Exception {
        try {
            connection = endpoint.connect("riffle-source-" + queue);
            if (closed) {
                return;
            }
            connection.addShutdownListener(this::lost);
            var channel = connection.createChannel();
            if (declare) {
                channel.queueDeclare(queue, true, false, false, null);
            }
            channel.basicQos(prefetch);
            channel.basicConsume(queue, false, "riffle-" + queue, new Consumer(channel));
            context.connected();
            LOG.info("rabbitmq source {}: consuming queue {} (prefetch {})", endpoint.where(), queue, prefetch);
            while (context.running() && !closed) {
                var batch = inbox.take(prefetch, POLL_MS);
                if (!batch.isEmpty()) {
                    context.emit(records(batch));
                    channel.basicAck(batch.get(batch.size() - 1).tag(), true);
                }
            }
        } catch (IOException | ShutdownSignalException | TimeoutException e) {
            if (closed) {
                return;
            }
            throw Failures.unreachable("rabbitmq", endpoint.where() + " (queue " + queue + ")", e);
        } catch (UnavailableException e) {
            if (closed) {
                return;
            }
            throw e;
        } finally {
            closeConnection();
        }
    }

    private List<SourceRecord> records(List<Delivery> batch) {
        var out = new ArrayList<SourceRecord>(batch.size());
        for (var d : batch) {
            var messageId = d.properties() == null ? null : d.properties().getMessageId();
            out.add(new SourceRecord(Payloads.event(d.body()),
                messageId == null || messageId.isBlank() ? null : "rabbitmq:" + queue + ":" + messageId));
        }
        return out;
    }

    private void lost(ShutdownSignalException cause) {
        if (!cause.isInitiatedByApplication() || !closed) {
            inbox.fail(Failures.unreachable("rabbitmq", endpoint.where() + " (queue " + queue + ")", cause));
        }
    }

    private final class Consumer extends DefaultConsumer {
        Consumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                   byte[] body) {
            try {
                inbox.put(new Delivery(envelope.getDeliveryTag(), properties, body));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void handleCancel(String consumerTag) {
            inbox.fail(new UnavailableException("rabbitmq at " + endpoint.where() + ": the broker cancelled the"
                + " consumer of queue " + queue + " (was the queue deleted?)"));
        }

        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
            lost(sig);
        }
    }

    private void closeConnection() {
        var c = connection;
        if (c != null) {
            c.abort(2_000);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeConnection();
    }
}

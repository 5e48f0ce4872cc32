package io.riffle.connectors.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import io.riffle.connectors.Rejection;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Publishes each result as a persistent message ({@code delivery_mode} 2, {@code content_type}
 * application/json, {@code message_id} the record's stable id) with publisher confirms: a batch counts as
 * delivered once the broker confirmed every message. Messages no queue accepts (returned as unroutable) are
 * rejected to the dead letters. Reconnects on the next write after a failure.
 */
final class RabbitMqSink implements Sink {
    static final long CONFIRM_TIMEOUT_MS = 30_000;

    private final RabbitEndpoint endpoint;
    private final String exchange;
    private final String routingKey;
    private final boolean declare;
    private final Map<String, String> returned = new ConcurrentHashMap<>();
    private Connection connection;
    private Channel channel;

    RabbitMqSink(RabbitEndpoint endpoint, String exchange, String routingKey, boolean declare) {
        this.endpoint = endpoint;
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.declare = declare;
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) throws InterruptedException {
        if (records.isEmpty()) {
            return List.of();
        }
        try {
            if (channel == null || !channel.isOpen()) {
                open();
            }
            returned.clear();
            for (var record : records) {
                var properties = new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .deliveryMode(MessageProperties.PERSISTENT_BASIC.getDeliveryMode())
                    .messageId(record.id())
                    .build();
                channel.basicPublish(exchange, routingKey, true, properties, record.payload());
            }
            channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
            return rejections(records);
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            closeConnection();
            throw Failures.unreachable("rabbitmq", endpoint.where() + " (exchange '" + exchange + "', routing key '"
                + routingKey + "')", e);
        }
    }

    private List<Rejection> rejections(List<SinkRecord> records) {
        if (returned.isEmpty()) {
            return List.of();
        }
        var out = new ArrayList<Rejection>();
        Set<String> ids = returned.keySet();
        for (var record : records) {
            if (ids.contains(record.id())) {
                out.add(new Rejection(record, "rabbitmq returned the message as unroutable: "
                    + returned.get(record.id())));
            }
        }
        return out;
    }

    private void open() throws IOException, TimeoutException {
        closeConnection();
        connection = endpoint.connect("riffle-sink");
        channel = connection.createChannel();
        if (declare) {
            channel.queueDeclare(routingKey, true, false, false, null);
        }
        channel.confirmSelect();
        channel.addReturnListener((Return r) -> {
            var id = r.getProperties() == null ? null : r.getProperties().getMessageId();
            if (id != null) {
                returned.put(id, r.getReplyText() + " (exchange '" + r.getExchange() + "', routing key '"
                    + r.getRoutingKey() + "')");
            }
        });
    }

    private void closeConnection() {
        if (connection != null) {
            connection.abort(2_000);
        }
        connection = null;
        channel = null;
    }

    @Override
    public void close() {
        closeConnection();
    }
}

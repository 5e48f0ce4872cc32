package io.riffle.connectors.messaging;

import io.riffle.connectors.Rejection;
import io.riffle.connectors.Sink;
import io.riffle.connectors.SinkRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces each result with the idempotent producer ({@code acks=all}, {@code enable.idempotence=true}), the
 * record's stable id in the {@code riffle-id} header and, when {@code key_field} is set, that field of the
 * result as the message key. A batch counts as delivered once every send was acknowledged; a record too large
 * for the broker is rejected to the dead letters. After any other failure the producer is closed and a new one
 * made on the next write.
 */
final class KafkaSink implements Sink {
    static final String ID_HEADER = "riffle-id";
    static final int DELIVERY_TIMEOUT_MS = 30_000;
    static final int REQUEST_TIMEOUT_MS = 10_000;

    private final KafkaEndpoint endpoint;
    private final String keyField;
    private KafkaProducer<byte[], byte[]> producer;

    KafkaSink(KafkaEndpoint endpoint, String keyField) {
        this.endpoint = endpoint;
        this.keyField = keyField;
    }

    @Override
    public List<Rejection> write(List<SinkRecord> records) throws InterruptedException {
        if (records.isEmpty()) {
            return List.of();
        }
        try {
            if (producer == null) {
                producer = open();
            }
            var sends = new ArrayList<Future<RecordMetadata>>(records.size());
            for (var record : records) {
                var message = new ProducerRecord<>(endpoint.topic(), null, key(record), record.payload(),
                    List.of(new RecordHeader(ID_HEADER, record.id().getBytes(StandardCharsets.UTF_8))));
                sends.add(producer.send(message));
            }
            producer.flush();
            var rejections = new ArrayList<Rejection>();
            for (int i = 0; i < sends.size(); i++) {
                try {
                    sends.get(i).get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RecordTooLargeException)) {
                        throw e;
                    }
                    rejections.add(new Rejection(records.get(i), "kafka refused the record: "
                        + e.getCause().getMessage()));
                }
            }
            return rejections;
        } catch (ExecutionException | KafkaException e) {
            var cause = e instanceof ExecutionException ? e.getCause() : e;
            close();
            if (cause instanceof InvalidTopicException) {
                throw new IllegalStateException("kafka at " + endpoint.bootstrapServers() + ": " + cause.getMessage(),
                    cause);
            }
            throw Failures.unreachable("kafka", endpoint.bootstrapServers() + " (topic " + endpoint.topic() + ")",
                cause);
        }
    }

    private byte[] key(SinkRecord record) {
        if (keyField == null) {
            return null;
        }
        var tree = Payloads.tree(record.payload());
        var value = tree == null ? null : tree.get(keyField);
        if (value == null || value.isNull()) {
            return null;
        }
        return (value.isValueNode() ? value.asText() : value.toString()).getBytes(StandardCharsets.UTF_8);
    }

    private KafkaProducer<byte[], byte[]> open() {
        var settings = new HashMap<String, Object>();
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, REQUEST_TIMEOUT_MS);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(endpoint.client(settings));
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}

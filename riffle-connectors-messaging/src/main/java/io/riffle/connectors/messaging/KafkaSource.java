package io.riffle.connectors.messaging;

import io.riffle.connectors.Source;
import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Kafka topic in a consumer group with auto-commit off; each polled batch is emitted, then its offsets
 * are committed synchronously, so a crash re-reads at most the uncommitted batch (deduplicated by
 * {@code kafka:<topic>:<partition>:<offset>}). An idle consumer checks every {@link #IDLE_CHECK} that a broker
 * still answers, so a broker that went away is reported instead of waited for in silence.
 */
final class KafkaSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration IDLE_CHECK = Duration.ofSeconds(10);

    private final KafkaEndpoint endpoint;
    private final String groupId;
    private final String offsetReset;
    private final int batchSize;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closed;

    KafkaSource(KafkaEndpoint endpoint, String groupId, String offsetReset, int batchSize) {
        this.endpoint = endpoint;
        this.groupId = groupId;
        this.offsetReset = offsetReset;
        this.batchSize = batchSize;
    }

    @Override
    public void run(SourceContext context) throws Exception {
        var settings = new HashMap<String, Object>();
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // static membership: a reopened source takes over its own earlier membership at once instead of waiting
        // for the session of one that could not leave (the broker was down when it closed) to time out
        settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "riffle-" + groupId);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (var kafka = new KafkaConsumer<byte[], byte[]>(endpoint.client(settings))) {
            consumer = kafka;
            if (closed) {
                return;
            }
            kafka.listTopics(KafkaEndpoint.API_TIMEOUT);
            kafka.subscribe(List.of(endpoint.topic()));
            context.connected();
            LOG.info("kafka source {}: reading {} in group {}", endpoint.bootstrapServers(), endpoint.topic(),
                groupId);
            var lastHeard = Instant.now();
            while (context.running() && !closed) {
                var polled = kafka.poll(POLL);
                if (polled.isEmpty()) {
                    if (Duration.between(lastHeard, Instant.now()).compareTo(IDLE_CHECK) > 0) {
                        kafka.listTopics(KafkaEndpoint.API_TIMEOUT);
                        lastHeard = Instant.now();
                    }
                    continue;
                }
                deliver(context, kafka, polled);
                lastHeard = Instant.now();
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw Failures.unreachable("kafka", endpoint.bootstrapServers(), e);
            }
        } catch (KafkaException e) {
            if (closed) {
                return;
            }
            throw Failures.unreachable("kafka", endpoint.bootstrapServers() + " (topic " + endpoint.topic() + ")",
                e);
        } finally {
            consumer = null;
        }
    }

    private void deliver(SourceContext context, KafkaConsumer<byte[], byte[]> kafka,
                         ConsumerRecords<byte[], byte[]> polled) throws Exception {
        var records = new ArrayList<SourceRecord>(polled.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (var r : polled) {
            // a tombstone (null value) carries no event; its offset is committed with the others
            if (r.value() != null) {
                records.add(new SourceRecord(Payloads.event(r.value()),
                    "kafka:" + r.topic() + ":" + r.partition() + ":" + r.offset()));
            }
            next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        if (!records.isEmpty()) {
            context.emit(records);
        }
        kafka.commitSync(next, KafkaEndpoint.API_TIMEOUT);
    }

    @Override
    public void close() {
        closed = true;
        var c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}

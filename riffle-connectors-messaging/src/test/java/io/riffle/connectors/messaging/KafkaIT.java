package io.riffle.connectors.messaging;

import static io.riffle.connectors.messaging.Harness.await;
import static io.riffle.connectors.messaging.Harness.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Direction;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.InvalidInputException;
import io.riffle.core.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kafka source and sink against a real KRaft broker started in this JVM (kafka_2.13 from Maven Central). */
class KafkaIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static TestKafka kafka;
    private static Admin admin;
    private final String topic = "riffle-test-" + UUID.randomUUID();

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start();
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()));
    }

    @AfterAll
    static void stopKafka() {
        admin.close();
        kafka.close();
    }

    private void createTopic(int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }

    private ConnectorConfig source(String bootstrap, Map<String, Object> extra) {
        var fields = new HashMap<String, Object>(Map.of("bootstrap_servers", bootstrap, "topic", topic,
            "group_id", "riffle-" + topic, "batch_size", 50));
        fields.putAll(extra);
        return config(Direction.SOURCE, "kafka", fields);
    }

    private ConnectorConfig sink(String bootstrap) {
        return config(Direction.SINK, "kafka", Map.of("bootstrap_servers", bootstrap, "topic", topic,
            "key_field", "k"));
    }

    private void produce(int from, int to) throws Exception {
        var props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrap());
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, Harness.event(i)));
            }
            producer.flush();
        }
    }

    private long committed() throws Exception {
        var offsets = admin.listConsumerGroupOffsets("riffle-" + topic).partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
        return offsets.values().stream().mapToLong(o -> o.offset()).sum();
    }

    @Test
    void sinkProducesIdempotentlyAndSourceReadsEachOnceCommittingAfterEmit() throws Exception {
        createTopic(3);
        try (var sink = new KafkaSinkFactory().openSink(sink(kafka.bootstrap()))) {
            for (int batch = 0; batch < 3; batch++) {
                var records = new ArrayList<SinkRecord>();
                for (int i = batch * 200; i < (batch + 1) * 200; i++) {
                    var json = "{\"n\":" + i + ",\"k\":\"key-" + (i % 10) + "\"}";
                    records.add(new SinkRecord("p:" + i, json.getBytes(StandardCharsets.UTF_8)));
                }
                assertThat(writeAsTheRuntimeDoes(sink, records)).isEmpty();
            }
        }
        assertFirstRecordCarriesKeyAndId();
        long inTopic = endOffsets(3);
        assertThat(inTopic).isGreaterThanOrEqualTo(600);

        var context = new Collecting();
        var source = new KafkaSourceFactory().openSource(source(kafka.bootstrap(), Map.of()));
        var done = Harness.run(source, context);
        await("every record in the topic", WAIT, () -> context.size() >= inTopic);
        await("every offset committed", WAIT, () -> committedQuietly() == inTopic);
        context.stop();
        done.get(30, TimeUnit.SECONDS);
        source.close();

        assertThat(context.size()).isEqualTo(inTopic);
        assertThat(context.distinct()).containsExactlyElementsOf(IntStream.range(0, 600).boxed().toList());
        assertThat(context.dedupeIds()).hasSize((int) inTopic).allMatch(id -> id.startsWith("kafka:" + topic + ":"));
    }

    /**
     * Writes a batch, and writes it again after a transient failure as the connector runtime does (at most 3
     * attempts): a partition created a moment ago can answer NOT_LEADER and then OUT_OF_ORDER_SEQUENCE to the
     * idempotent producer until it times out; the sink then replaces its producer.
     */
    private static List<io.riffle.connectors.Rejection> writeAsTheRuntimeDoes(io.riffle.connectors.Sink sink,
                                                                               List<SinkRecord> records)
        throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return sink.write(records);
            } catch (UnavailableException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private long endOffsets(int partitions) throws Exception {
        var spec = new HashMap<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>();
        for (int p = 0; p < partitions; p++) {
            spec.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        return admin.listOffsets(spec).all().get(30, TimeUnit.SECONDS).values().stream()
            .mapToLong(o -> o.offset()).sum();
    }

    private void assertFirstRecordCarriesKeyAndId() {
        var props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrap());
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var polled = consumer.poll(Duration.ofSeconds(10));
            assertThat(polled.isEmpty()).isFalse();
            var record = polled.iterator().next();
            var n = Harness.n(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("key-" + (n % 10));
            assertThat(new String(record.headers().lastHeader("riffle-id").value(), StandardCharsets.UTF_8))
                .isEqualTo("p:" + n);
        }
    }

    @Test
    void failedEmitCommitsNothingOfThatBatchAndTheNextRunReadsIt() throws Exception {
        createTopic(1);
        produce(0, 300);
        var crashed = new Collecting().failEmit(3);
        var source = new KafkaSourceFactory().openSource(source(kafka.bootstrap(), Map.of()));
        var done = Harness.run(source, crashed);
        assertThatThrownBy(() -> done.get(60, TimeUnit.SECONDS)).hasRootCauseMessage("JetStream unavailable (injected)");
        source.close();
        assertThat(crashed.size()).isEqualTo(100);
        assertThat(committed()).isEqualTo(100);

        var resumed = new Collecting();
        var again = new KafkaSourceFactory().openSource(source(kafka.bootstrap(), Map.of()));
        var running = Harness.run(again, resumed);
        await("the other 200", WAIT, () -> resumed.size() >= 200);
        resumed.stop();
        running.get(30, TimeUnit.SECONDS);
        again.close();
        assertThat(resumed.distinct()).containsExactlyElementsOf(IntStream.range(100, 300).boxed().toList());
        assertThat(committed()).isEqualTo(300);
    }

    @Test
    void sourceClosedMidStreamAndReopenedLosesNothing() throws Exception {
        createTopic(1);
        produce(0, 2000);
        var first = new Collecting().holdAt(100);
        var source = new KafkaSourceFactory().openSource(source(kafka.bootstrap(), Map.of("batch_size", 10)));
        var done = Harness.run(source, first);
        await("some records", WAIT, () -> first.size() >= 100);
        source.close();
        first.release();
        done.get(30, TimeUnit.SECONDS);
        assertThat(first.size()).isLessThan(2000);

        var second = new Collecting();
        var reopened = new KafkaSourceFactory().openSource(source(kafka.bootstrap(), Map.of("batch_size", 10)));
        var again = Harness.run(reopened, second);
        var ids = new TreeSet<String>();
        await("every record across both runs", WAIT, () -> {
            ids.clear();
            ids.addAll(first.dedupeIds());
            ids.addAll(second.dedupeIds());
            return ids.size() == 2000;
        });
        second.stop();
        again.get(30, TimeUnit.SECONDS);
        reopened.close();
        // at most the one batch in hand at close is read twice
        assertThat(first.size() + second.size()).isBetween(2000, 2010);
    }

    @Test
    void oversizedResultIsRejectedAndTheRestDelivered() throws Exception {
        createTopic(1);
        var big = ("{\"n\":1,\"blob\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        try (var sink = new KafkaSinkFactory().openSink(sink(kafka.bootstrap()))) {
            var rejected = writeAsTheRuntimeDoes(sink, List.of(new SinkRecord("p:0", Harness.event(0)),
                new SinkRecord("p:1", big), new SinkRecord("p:2", Harness.event(2))));
            assertThat(rejected).hasSize(1);
            assertThat(rejected.get(0).record().id()).isEqualTo("p:1");
            assertThat(rejected.get(0).reason()).startsWith("kafka refused the record:");
        }
        var end = admin.listOffsets(Map.of(new TopicPartition(topic, 0),
            org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS);
        assertThat(end.get(new TopicPartition(topic, 0)).offset()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void stoppedBrokerFailsSourceAndSinkClearlyAndBothRecover() throws Exception {
        int dead = RedisStreamIT.freePort();
        assertThatThrownBy(() -> new KafkaSourceFactory().openSource(source("127.0.0.1:" + dead, Map.of()))
            .run(new Collecting()))
            .isInstanceOf(UnavailableException.class)
            .hasMessageContaining("kafka at 127.0.0.1:" + dead);

        createTopic(1);
        produce(0, 10);
        var context = new Collecting();
        var source = new KafkaSourceFactory().openSource(source(kafka.bootstrap(), Map.of()));
        var done = Harness.run(source, context);
        await("10 records", WAIT, () -> context.size() == 10);
        var sink = new KafkaSinkFactory().openSink(sink(kafka.bootstrap()));
        assertThat(writeAsTheRuntimeDoes(sink, List.of(new SinkRecord("p:10", Harness.event(10))))).isEmpty();

        kafka.stop();
        try {
            assertThatThrownBy(() -> done.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UnavailableException.class)
                .hasMessageContaining("kafka at " + kafka.bootstrap());
            source.close();
            assertThatThrownBy(() -> sink.write(List.of(new SinkRecord("p:11", Harness.event(11)))))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("kafka at " + kafka.bootstrap());
        } finally {
            kafka.restart();
        }

        assertThat(sink.write(List.of(new SinkRecord("p:11", Harness.event(11))))).isEmpty();
        sink.close();
        var next = new Collecting();
        var reopened = new KafkaSourceFactory().openSource(source(kafka.bootstrap(), Map.of()));
        var running = Harness.run(reopened, next);
        // 10 was read before the outage (and committed); 11, written after the restart, comes to the new run
        await("the record written after the restart", WAIT,
            () -> next.distinct().contains(11) || running.isDone());
        assertThat(running).isNotDone();
        assertThat(context.distinct()).containsExactlyElementsOf(IntStream.range(0, 11).boxed().toList());
        next.stop();
        running.get(30, TimeUnit.SECONDS);
        reopened.close();
    }

    @Test
    void probeNamesTheFieldAtFault() throws Exception {
        int dead = RedisStreamIT.freePort();
        assertThatThrownBy(() -> new KafkaSourceFactory().probe(source("127.0.0.1:" + dead, Map.of())))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageStartingWith("source_connector.config.bootstrap_servers: no Kafka broker answered at 127.0.0.1:"
                + dead);
        assertThatThrownBy(() -> new KafkaSourceFactory().probe(source(kafka.bootstrap(), Map.of())))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("source_connector.config.topic: no topic named '" + topic + "' on " + kafka.bootstrap());
        createTopic(1);
        new KafkaSourceFactory().probe(source(kafka.bootstrap(), Map.of()));
        new KafkaSinkFactory().probe(sink(kafka.bootstrap()));
    }

    private long committedQuietly() {
        try {
            return committed();
        } catch (Exception e) {
            return -1;
        }
    }
}

package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code kafka} source and sink end to end: the real jar against a real KRaft broker started in the test JVM;
 * records produced to one topic run through a Python function and are produced to another. Counted across a
 * SIGKILL of Riffle and a stop of the broker; configuration refused at create.
 */
class KafkaConnectorIT {
    private static final Duration FLOW = Duration.ofSeconds(150);
    private static TestKafka kafka;
    private static Admin admin;
    private static ConnectorHarness h;
    private final List<Api.Pipeline> pipelines = new ArrayList<>();
    private final String in = "riffle-it-in-" + UUID.randomUUID();
    private final String out = "riffle-it-out-" + UUID.randomUUID();

    private record Result(String riffleId, JsonNode event) {
    }

    static {
        // the broker in this JVM logs every config at INFO; keep its warnings only (slf4j-simple reads these when
        // a logger is made)
        System.setProperty("org.slf4j.simpleLogger.log.kafka", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()));
        h = ConnectorHarness.start("kafka-connectors");
    }

    @AfterAll
    static void stop() {
        h.close();
        admin.close();
        kafka.close();
    }

    private void topics() throws Exception {
        admin.createTopics(List.of(new NewTopic(in, 3, (short) 1), new NewTopic(out, 1, (short) 1))).all()
            .get(30, TimeUnit.SECONDS);
    }

    private Map<String, Object> source(String bootstrap) {
        return ConnectorHarness.connector("kafka", Map.of("bootstrap_servers", bootstrap, "topic", in,
            "group_id", "riffle-" + in, "batch_size", 50));
    }

    private Map<String, Object> sink() {
        return ConnectorHarness.connector("kafka", Map.of("bootstrap_servers", kafka.bootstrap(), "topic", out,
            "key_field", "n"));
    }

    private void produce(int from, int to) {
        var props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrap());
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(in, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Reads {@code out} from the start on a thread of its own, collecting every record. */
    private final class Reader implements AutoCloseable {
        final List<Result> results = new CopyOnWriteArrayList<>();
        private volatile boolean open = true;
        private final Thread thread = Thread.ofPlatform().daemon().start(this::loop);

        private void loop() {
            var props = new Properties();
            props.put("bootstrap.servers", kafka.bootstrap());
            try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                var partition = new TopicPartition(out, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (open) {
                    for (var r : consumer.poll(Duration.ofMillis(200))) {
                        var id = new String(r.headers().lastHeader("riffle-id").value(), StandardCharsets.UTF_8);
                        results.add(new Result(id, Api.JSON.readTree(r.value())));
                    }
                }
            } catch (Exception e) {
                if (open) {
                    throw new IllegalStateException(e);
                }
            }
        }

        Set<Integer> numbers() {
            return results.stream().map(r -> r.event().path("n").asInt()).collect(Collectors.toSet());
        }

        @Override
        public void close() throws InterruptedException {
            open = false;
            thread.join(Duration.ofSeconds(30));
        }
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toSet());
    }

    @AfterEach
    void cleanUp() {
        deletePipelines();
    }

    /** Creates a pipeline that {@link #deletePipelines} removes after the test. */
    private Api.Pipeline create(String name, String handler, Object source, Object sink) {
        var p = h.create(name, handler, source, sink);
        pipelines.add(p);
        return p;
    }

    /** Deletes this test's pipelines first, so their connectors do not recreate what the cleanup removes. */
    private void deletePipelines() {
        for (var p : pipelines) {
            assertThat(h.api().delete(p.path("")).status()).isIn(200, 204);
            Await.await("pipeline " + p.id() + " gone", Duration.ofSeconds(30),
                () -> h.api().get(p.path("")).status() == 404);
        }
        pipelines.clear();
    }

    @Test
    void everyRecordRunsThroughTheFunctionAcrossAKillOfRiffle() throws Exception {
        topics();
        try (var reader = new Reader()) {
            var p = create("kafka-flow", RedisConnectorIT.DOUBLE, source(kafka.bootstrap()), sink());
            produce(0, 300);
            Await.await("some results before the kill", FLOW, () -> reader.results.size() >= 50);
            h.killAndRestart();
            produce(300, 600);
            Await.awaitValue("600 distinct results", FLOW, reader::numbers, s -> s.size() == 600);
            assertThat(reader.numbers()).isEqualTo(range(0, 600));
            assertThat(reader.results).allSatisfy(r -> {
                assertThat(r.event().path("doubled").asInt()).isEqualTo(r.event().path("n").asInt() * 2);
                assertThat(r.riffleId()).startsWith(p.id() + ":");
            });
            System.out.printf("kafka e2e: %d records, %d distinct riffle ids, 600 distinct events%n",
                reader.results.size(), reader.results.stream().map(Result::riffleId).distinct().count());
            h.awaitConnector(p, "source", s -> s.path("state").asText().equals("running")
                && s.path("delivered").asLong() > 0, "running with deliveries");
            h.awaitConnector(p, "sink", "running");
        }
    }

    @Test
    void aStoppedBrokerShowsAsRetryingAndBothConnectorsRecover() throws Exception {
        topics();
        try (var reader = new Reader()) {
            var p = create("kafka-outage", ConnectorHarness.IDENTITY, source(kafka.bootstrap()), sink());
            produce(0, 10);
            Await.awaitValue("10 results", FLOW, reader::numbers, s -> s.size() == 10);
            kafka.stop();
            try {
                var failing = h.awaitConnector(p, "source", "retrying");
                assertThat(failing.path("last_error").asText()).contains("kafka at " + kafka.bootstrap());
            } finally {
                kafka.restart();
            }
            produce(10, 20);
            h.awaitConnector(p, "source", "running");
            Await.awaitValue("the 10 produced after the restart", FLOW, reader::numbers, s -> s.size() == 20);
            assertThat(reader.numbers()).isEqualTo(range(0, 20));
        }
    }

    @Test
    void badConfigurationIsRefusedAtCreateNamingTheField() throws Exception {
        var r = h.tryCreate("kafka-bad-1", ConnectorHarness.IDENTITY, ConnectorHarness.connector("kafka",
            Map.of("bootstrap_servers", kafka.bootstrap(), "topic", in)), null);
        Api.assertProblem(r, 400);
        assertThat(r.json().path("detail").asText()).isEqualTo("source_connector.config.group_id: is required");

        r = h.tryCreate("kafka-bad-2", ConnectorHarness.IDENTITY, source(kafka.bootstrap()), null);
        Api.assertProblem(r, 400);
        assertThat(r.json().path("detail").asText()).isEqualTo("source_connector.config.topic: no topic named '"
            + in + "' on " + kafka.bootstrap());

        int dead;
        try (var socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        r = h.tryCreate("kafka-bad-3", ConnectorHarness.IDENTITY, source("127.0.0.1:" + dead), null);
        Api.assertProblem(r, 400);
        assertThat(r.json().path("detail").asText()).startsWith("source_connector.config.bootstrap_servers: "
            + "no Kafka broker answered at 127.0.0.1:" + dead);
    }
}

package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.riffle.testkit.TcpProxy;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code rabbitmq} source and sink end to end: the real jar, messages published to a queue of the real
 * RabbitMQ run through a Python function and are published to another queue. Counted across a SIGKILL of Riffle,
 * through a broker outage (a cut TCP proxy), and refused configuration.
 */
class RabbitMqConnectorIT {
    private static final Duration FLOW = Duration.ofSeconds(120);
    private static ConnectorHarness h;
    private final List<Api.Pipeline> pipelines = new ArrayList<>();
    private final String in = "riffle-it-in-" + UUID.randomUUID();
    private final String out = "riffle-it-out-" + UUID.randomUUID();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private Connection connection;
    private Channel channel;

    private record Received(String messageId, Integer deliveryMode, JsonNode event) {
    }

    @BeforeAll
    static void start() {
        h = ConnectorHarness.start("rabbitmq-connectors");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void connect() throws Exception {
        var factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection("riffle-it");
        channel = connection.createChannel();
        channel.queueDeclare(in, true, false, false, null);
        channel.queueDeclare(out, true, false, false, null);
        channel.basicConsume(out, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                throws java.io.IOException {
                received.add(new Received(props.getMessageId(), props.getDeliveryMode(), Api.JSON.readTree(body)));
            }
        });
    }

    @AfterEach
    void cleanUp() throws Exception {
        deletePipelines();
        channel.queueDelete(in);
        channel.queueDelete(out);
        connection.close();
    }

    private Map<String, Object> source(int port) {
        return ConnectorHarness.connector("rabbitmq", Map.of("host", "127.0.0.1", "port", port, "queue", in,
            "prefetch", 50));
    }

    private Map<String, Object> sink() {
        return ConnectorHarness.connector("rabbitmq", Map.of("host", "127.0.0.1", "routing_key", out));
    }

    private void publish(int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            var props = new AMQP.BasicProperties.Builder().messageId("m-" + i).deliveryMode(2).build();
            channel.basicPublish("", in, props, ("{\"n\":" + i + "}").getBytes());
        }
    }

    private Set<Integer> numbers() {
        return received.stream().map(r -> r.event().path("n").asInt()).collect(Collectors.toSet());
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toSet());
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
    void everyMessageRunsThroughTheFunctionOnceAcrossAKillOfRiffle() throws Exception {
        var p = create("rabbit-flow", RedisConnectorIT.DOUBLE, source(5672), sink());
        publish(0, 300);
        Await.await("some results before the kill", FLOW, () -> received.size() >= 50);
        h.killAndRestart();
        publish(300, 600);
        Await.awaitValue("600 distinct results", FLOW, this::numbers, s -> s.size() == 600);

        assertThat(numbers()).isEqualTo(range(0, 600));
        assertThat(received).allSatisfy(r -> {
            assertThat(r.event().path("doubled").asInt()).isEqualTo(r.event().path("n").asInt() * 2);
            assertThat(r.messageId()).startsWith(p.id() + ":");
            assertThat(r.deliveryMode()).isEqualTo(2);
        });
        // at least once into RabbitMQ (see RedisConnectorIT on ids after a kill): nothing lost, ids counted
        var ids = received.stream().map(Received::messageId).distinct().count();
        assertThat(ids).isGreaterThanOrEqualTo(600);
        System.out.printf("rabbitmq e2e: %d messages, %d distinct message ids, 600 distinct events%n",
            received.size(), ids);
        Await.await("the input queue drained", FLOW, () -> depth(in) == 0);
        h.awaitConnector(p, "source", s -> s.path("state").asText().equals("running")
            && s.path("delivered").asLong() > 0, "running with deliveries");
        h.awaitConnector(p, "sink", "running");
    }

    @Test
    void aBrokerOutageShowsAsRetryingAndTheSourceRecovers() throws Exception {
        try (var proxy = TcpProxy.start("127.0.0.1", 5672)) {
            var p = create("rabbit-outage", ConnectorHarness.IDENTITY, source(proxy.port()), sink());
            publish(0, 10);
            Await.awaitValue("10 results", FLOW, this::numbers, s -> s.size() == 10);
            proxy.stop();
            var failing = h.awaitConnector(p, "source", "retrying");
            assertThat(failing.path("last_error").asText()).contains("rabbitmq at 127.0.0.1:" + proxy.port());
            publish(10, 20);
            proxy.start();
            h.awaitConnector(p, "source", "running");
            Await.awaitValue("the 10 published during the outage", FLOW, this::numbers, s -> s.size() == 20);
            assertThat(numbers()).isEqualTo(range(0, 20));
        }
    }

    @Test
    void badConfigurationIsRefusedAtCreateNamingTheField() throws Exception {
        var r = h.tryCreate("rabbit-bad-1", ConnectorHarness.IDENTITY,
            ConnectorHarness.connector("rabbitmq", Map.of("host", "127.0.0.1")), null);
        Api.assertProblem(r, 400);
        assertThat(r.json().path("detail").asText()).isEqualTo("source_connector.config.queue: is required");

        r = h.tryCreate("rabbit-bad-2", ConnectorHarness.IDENTITY, ConnectorHarness.connector("rabbitmq",
            Map.of("host", "127.0.0.1", "queue", in, "password", "wrong")), null);
        Api.assertProblem(r, 400);
        assertThat(r.json().path("detail").asText()).startsWith("source_connector.config.password: "
            + "username/password refused by rabbitmq at 127.0.0.1:5672");

        r = h.tryCreate("rabbit-bad-3", ConnectorHarness.IDENTITY, ConnectorHarness.connector("rabbitmq",
            Map.of("host", "127.0.0.1", "queue", "riffle-it-no-such-queue")), null);
        Api.assertProblem(r, 400);
        assertThat(r.json().path("detail").asText()).startsWith("source_connector.config.queue: no queue named "
            + "'riffle-it-no-such-queue'");

        int dead;
        try (var socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        r = h.tryCreate("rabbit-bad-4", ConnectorHarness.IDENTITY, null, ConnectorHarness.connector("rabbitmq",
            Map.of("host", "127.0.0.1", "port", dead, "routing_key", out)));
        Api.assertProblem(r, 400);
        assertThat(r.json().path("detail").asText())
            .startsWith("sink_connector.config.host: cannot connect to rabbitmq at 127.0.0.1:" + dead);
    }

    private long depth(String queue) {
        try {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

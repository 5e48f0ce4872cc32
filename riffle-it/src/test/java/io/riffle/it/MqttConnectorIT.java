package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code mqtt} source and sink end to end: the real jar and the real Mosquitto on 1883; messages published on
 * one topic run through a Python function and are published on another. Counted across a SIGKILL of Riffle
 * (the source's persistent session keeps what is published meanwhile) and a broker outage (a cut TCP proxy).
 * At most 1000 messages are outstanding at a time: Mosquitto's default queue per session.
 */
class MqttConnectorIT {
    private static final Duration FLOW = Duration.ofSeconds(120);
    private static ConnectorHarness h;
    private final List<Api.Pipeline> pipelines = new ArrayList<>();
    private final String id = UUID.randomUUID().toString();
    private final String in = "riffle-it/" + id + "/in";
    private final String out = "riffle-it/" + id + "/out";
    private final String clientId = "riffle-it-" + id;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private MqttClient client;

    @BeforeAll
    static void start() {
        h = ConnectorHarness.start("mqtt-connectors");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void connect() throws Exception {
        client = new MqttClient("tcp://127.0.0.1:1883", "riffle-it-test-" + id, new MemoryPersistence());
        var options = new MqttConnectOptions();
        // Paho counts a QoS 1 publish in flight until its callback thread saw the PUBACK, a little after the
        // synchronous publish returned: the default limit of 10 trips "Too many publishes in progress" in a loop
        options.setMaxInflight(1000);
        client.connect(options);
        client.subscribe(out, 1, (topic, message) -> received.add(Api.JSON.readTree(message.getPayload())));
    }

    @AfterEach
    void cleanUp() throws Exception {
        deletePipelines();
        client.disconnect();
        client.close();
        var eraser = new MqttClient("tcp://127.0.0.1:1883", clientId, new MemoryPersistence());
        var options = new MqttConnectOptions();
        options.setCleanSession(true); // erases the source's persistent session
        eraser.connect(options);
        eraser.disconnect();
        eraser.close();
    }

    private Map<String, Object> source(int port) {
        return ConnectorHarness.connector("mqtt", Map.of("host", "127.0.0.1", "port", port, "topic", in,
            "client_id", clientId, "batch_size", 20));
    }

    private Map<String, Object> sink() {
        return ConnectorHarness.connector("mqtt", Map.of("host", "127.0.0.1", "topic", out));
    }

    private void publish(int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            client.publish(in, ("{\"n\":" + i + "}").getBytes(), 1, false);
        }
    }

    private Set<Integer> numbers() {
        return received.stream().map(e -> e.path("n").asInt()).collect(Collectors.toSet());
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
    void everyMessageRunsThroughTheFunctionAcrossAKillOfRiffle() throws Exception {
        var p = create("mqtt-flow", RedisConnectorIT.DOUBLE, source(1883), sink());
        h.awaitConnector(p, "source", "running");
        publish(0, 300);
        Await.await("some results before the kill", FLOW, () -> received.size() >= 50);
        h.killAndRestart();
        publish(300, 600); // kept in the source's persistent session until Riffle is back
        Await.awaitValue("600 distinct results", FLOW, this::numbers, s -> s.size() == 600);
        assertThat(numbers()).isEqualTo(range(0, 600));
        assertThat(received).allSatisfy(e -> assertThat(e.path("doubled").asInt()).isEqualTo(e.path("n").asInt() * 2));
        System.out.printf("mqtt e2e: %d messages, 600 distinct events%n", received.size());
        h.awaitConnector(p, "source", s -> s.path("state").asText().equals("running")
            && s.path("delivered").asLong() > 0, "running with deliveries");
        h.awaitConnector(p, "sink", "running");
    }

    @Test
    void aBrokerOutageShowsAsRetryingAndTheSourceRecovers() throws Exception {
        try (var proxy = TcpProxy.start("127.0.0.1", 1883)) {
            var p = create("mqtt-outage", ConnectorHarness.IDENTITY, source(proxy.port()), sink());
            h.awaitConnector(p, "source", "running");
            publish(0, 10);
            Await.awaitValue("10 results", FLOW, this::numbers, s -> s.size() == 10);
            proxy.stop();
            var failing = h.awaitConnector(p, "source", "retrying");
            assertThat(failing.path("last_error").asText()).contains("mqtt broker at 127.0.0.1:" + proxy.port());
            publish(10, 20);
            proxy.start();
            h.awaitConnector(p, "source", "running");
            Await.awaitValue("the 10 published during the outage", FLOW, this::numbers, s -> s.size() == 20);
            assertThat(numbers()).isEqualTo(range(0, 20));
        }
    }

    @Test
    void badConfigurationIsRefusedAtCreateNamingTheField() throws Exception {
        var r = h.tryCreate("mqtt-bad-1", ConnectorHarness.IDENTITY, ConnectorHarness.connector("mqtt",
            Map.of("host", "127.0.0.1", "topic", in)), null);
        Api.assertProblem(r, 400);
        assertThat(r.json().path("detail").asText()).isEqualTo("source_connector.config.client_id: is required");

        r = h.tryCreate("mqtt-bad-2", ConnectorHarness.IDENTITY, null, ConnectorHarness.connector("mqtt",
            Map.of("host", "127.0.0.1", "topic", "out/#")));
        Api.assertProblem(r, 400);
        assertThat(r.json().path("detail").asText()).startsWith("sink_connector.config.topic: a sink publishes");

        int dead;
        try (var socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        r = h.tryCreate("mqtt-bad-3", ConnectorHarness.IDENTITY, source(dead), null);
        Api.assertProblem(r, 400);
        assertThat(r.json().path("detail").asText())
            .startsWith("source_connector.config.host: cannot connect to the MQTT broker at 127.0.0.1:" + dead);
    }
}

package io.riffle.connectors.messaging;

import static io.riffle.connectors.messaging.Harness.await;
import static io.riffle.connectors.messaging.Harness.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.connectors.ConnectorConfig;
import io.riffle.connectors.Direction;
import io.riffle.connectors.Source;
import io.riffle.connectors.SinkRecord;
import io.riffle.core.InvalidInputException;
import io.riffle.core.UnavailableException;
import io.riffle.testkit.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mqtt source and sink against the real Mosquitto on 127.0.0.1:1883. Mosquitto queues at most 1000 messages
 * per session by default, so no test has more than 1000 in flight.
 */
class MqttIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final String id = UUID.randomUUID().toString();
    private final String topic = "riffle-test/" + id + "/readings";
    private final String clientId = "riffle-test-" + id;
    private MqttClient publisher;

    @BeforeEach
    void connect() throws Exception {
        publisher = new MqttClient("tcp://127.0.0.1:1883", "riffle-test-pub-" + id, new MemoryPersistence());
        var options = new MqttConnectOptions();
        // Paho counts a QoS 1 publish as in flight until its callback thread has seen the PUBACK, a little after the
        // synchronous publish returned; with the default limit of 10 a fast loop trips "Too many publishes in
        // progress" on a busy machine
        options.setMaxInflight(1000);
        publisher.connect(options);
    }

    @AfterEach
    void cleanUp() throws Exception {
        publisher.disconnect();
        publisher.close();
        // a clean connect under the source's client id erases its persistent session in the broker
        var eraser = new MqttClient("tcp://127.0.0.1:1883", clientId, new MemoryPersistence());
        var options = new MqttConnectOptions();
        options.setCleanSession(true);
        eraser.connect(options);
        eraser.disconnect();
        eraser.close();
    }

    private ConnectorConfig source(int port, Map<String, Object> extra) {
        var fields = new HashMap<String, Object>(Map.of("host", "127.0.0.1", "port", port,
            "topic", "riffle-test/" + id + "/#", "client_id", clientId, "batch_size", 50));
        fields.putAll(extra);
        return config(Direction.SOURCE, "mqtt", fields);
    }

    private void publish(int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            publisher.publish(topic, Harness.event(i), 1, false);
        }
    }

    /** Starts a source and waits until it is subscribed (its persistent session exists from then on). */
    private CompletableFuture<Void> started(Source source, Collecting context) {
        var done = Harness.run(source, context);
        await("the source subscribed", WAIT, () -> context.connects() == 1 || done.isDone());
        return done;
    }

    @Test
    void sinkPublishesAndSourceReceivesEachInOrder() throws Exception {
        var context = new Collecting();
        var source = new MqttSourceFactory().openSource(source(1883, Map.of()));
        var done = started(source, context);
        try (var sink = new MqttSinkFactory().openSink(config(Direction.SINK, "mqtt",
            Map.of("host", "127.0.0.1", "topic", topic)))) {
            for (int batch = 0; batch < 5; batch++) {
                var records = new ArrayList<SinkRecord>();
                for (int i = batch * 100; i < (batch + 1) * 100; i++) {
                    records.add(new SinkRecord("p:" + i, Harness.event(i)));
                }
                assertThat(sink.write(records)).isEmpty();
            }
        }
        await("500 messages", WAIT, () -> context.size() >= 500);
        context.stop();
        done.get(10, TimeUnit.SECONDS);
        source.close();
        assertThat(context.records().stream().map(r -> Harness.n(r.payload())).toList())
            .containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
    }

    @Test
    void messagesPublishedWhileTheSourceIsDownArriveAfterItReconnects() throws Exception {
        var first = new Collecting();
        var source = new MqttSourceFactory().openSource(source(1883, Map.of()));
        var done = started(source, first);
        source.close();
        done.get(10, TimeUnit.SECONDS);

        publish(0, 300); // kept by the broker in the source's persistent session
        var second = new Collecting();
        var reopened = new MqttSourceFactory().openSource(source(1883, Map.of()));
        var again = Harness.run(reopened, second);
        await("300 messages", WAIT, () -> second.size() >= 300);
        second.stop();
        again.get(10, TimeUnit.SECONDS);
        reopened.close();
        assertThat(second.distinct()).containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());
    }

    @Test
    void failedEmitLeavesMessagesUnackedAndTheBrokerRedeliversThem() throws Exception {
        var crashed = new Collecting().failEmit(3);
        var source = new MqttSourceFactory().openSource(source(1883, Map.of()));
        var done = started(source, crashed);
        publish(0, 300);
        assertThatThrownBy(() -> done.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("JetStream unavailable (injected)");
        source.close();
        assertThat(crashed.size()).isLessThan(300);

        var resumed = new Collecting();
        var again = new MqttSourceFactory().openSource(source(1883, Map.of()));
        var running = Harness.run(again, resumed);
        var all = new TreeSet<Integer>();
        await("all 300 across both runs", WAIT, () -> {
            all.clear();
            all.addAll(crashed.distinct());
            all.addAll(resumed.distinct());
            return all.size() == 300;
        });
        resumed.stop();
        running.get(10, TimeUnit.SECONDS);
        again.close();
    }

    @Test
    void sourceClosedMidStreamAndReopenedLosesNothing() throws Exception {
        var first = new Collecting();
        var source = new MqttSourceFactory().openSource(source(1883, Map.of("batch_size", 10)));
        var done = started(source, first);
        publish(0, 800);
        await("some messages", WAIT, () -> first.size() >= 100);
        source.close();
        done.get(10, TimeUnit.SECONDS);

        var second = new Collecting();
        var reopened = new MqttSourceFactory().openSource(source(1883, Map.of("batch_size", 10)));
        var again = Harness.run(reopened, second);
        var all = new TreeSet<Integer>();
        await("all 800 across both runs", WAIT, () -> {
            all.clear();
            all.addAll(first.distinct());
            all.addAll(second.distinct());
            return all.size() == 800;
        });
        second.stop();
        again.get(10, TimeUnit.SECONDS);
        reopened.close();
    }

    @Test
    void unreachableBrokerFailsTheRunClearlyAndTheNextRunRecovers() throws Exception {
        int dead = RedisStreamIT.freePort();
        assertThatThrownBy(() -> new MqttSourceFactory().openSource(source(dead, Map.of())).run(new Collecting()))
            .isInstanceOf(UnavailableException.class)
            .hasMessageContaining("mqtt broker at 127.0.0.1:" + dead);

        try (var proxy = TcpProxy.start("127.0.0.1", 1883)) {
            var context = new Collecting();
            var source = new MqttSourceFactory().openSource(source(proxy.port(), Map.of()));
            var done = started(source, context);
            publish(0, 10);
            await("10 messages", WAIT, () -> context.size() == 10);
            proxy.stop();
            assertThatThrownBy(() -> done.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UnavailableException.class)
                .hasMessageContaining("mqtt broker at 127.0.0.1:" + proxy.port());
            source.close();

            publish(10, 20);
            proxy.start();
            var next = new Collecting();
            var reopened = new MqttSourceFactory().openSource(source(proxy.port(), Map.of()));
            var running = Harness.run(reopened, next);
            await("the 10 published during the outage", WAIT, () -> next.distinct().containsAll(
                IntStream.range(10, 20).boxed().toList()));
            next.stop();
            running.get(10, TimeUnit.SECONDS);
            reopened.close();
        }
    }

    @Test
    void sinkFailsWhileTheBrokerIsAwayAndPublishesAgainAfter() throws Exception {
        var context = new Collecting();
        var source = new MqttSourceFactory().openSource(source(1883, Map.of()));
        var done = started(source, context);
        try (var proxy = TcpProxy.start("127.0.0.1", 1883);
             var sink = new MqttSinkFactory().openSink(config(Direction.SINK, "mqtt",
                 Map.of("host", "127.0.0.1", "port", proxy.port(), "topic", topic)))) {
            assertThat(sink.write(List.of(new SinkRecord("p:1", Harness.event(1))))).isEmpty();
            proxy.stop();
            assertThatThrownBy(() -> sink.write(List.of(new SinkRecord("p:2", Harness.event(2)))))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("mqtt broker at 127.0.0.1:" + proxy.port());
            proxy.start();
            assertThat(sink.write(List.of(new SinkRecord("p:2", Harness.event(2))))).isEmpty();
        }
        await("both messages", WAIT, () -> context.distinct().containsAll(List.of(1, 2)));
        context.stop();
        done.get(10, TimeUnit.SECONDS);
        source.close();
    }

    @Test
    void refusedCredentialsAreNamedAndAcceptedOnesConnect() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PrivateMosquitto.installed(), "mosquitto is installed");
        try (var broker = PrivateMosquitto.start("riffle", "right")) {
            var wrong = source(broker.port(), Map.of("username", "riffle", "password", "wrong"));
            assertThatThrownBy(() -> new MqttSourceFactory().probe(wrong))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("source_connector.config.password: username/password refused by the MQTT broker at"
                    + " 127.0.0.1:" + broker.port());
            var right = source(broker.port(), Map.of("username", "riffle", "password", "right"));
            new MqttSourceFactory().probe(right);

            var context = new Collecting();
            var source = new MqttSourceFactory().openSource(right);
            var done = started(source, context);
            assertThat(context.connects()).isEqualTo(1);
            context.stop();
            done.get(10, TimeUnit.SECONDS);
            source.close();
        }
    }

    @Test
    void probeNamesTheFieldAtFault() throws Exception {
        int dead = RedisStreamIT.freePort();
        assertThatThrownBy(() -> new MqttSourceFactory().probe(source(dead, Map.of())))
            .isInstanceOf(InvalidInputException.class)
            .hasMessageStartingWith("source_connector.config.host: cannot connect to the MQTT broker at 127.0.0.1:"
                + dead);
        new MqttSourceFactory().probe(source(1883, Map.of()));
    }
}

package io.riffle.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.ConflictException;
import io.riffle.core.InvalidInputException;
import io.riffle.core.Tokens;
import io.riffle.testkit.TestNats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ordering by key against a real nats-server: partition subjects, one event per partition in flight, layouts. */
class PartitionedInputIT {
    private static TestNats nats;
    private static JetStreamBroker broker;
    private static final Map<String, InputRouting> ROUTES = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        nats = TestNats.start();
        broker = JetStreamBroker.connect(BrokerConfig.of(nats.url()).withPrefix(nats.prefix())
            .withAckWait(Duration.ofSeconds(5)));
        broker.useRouting(id -> ROUTES.getOrDefault(id, InputRouting.NONE));
    }

    @AfterAll
    static void stop() {
        broker.close();
        nats.close();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String ordered(int partitions) {
        var id = Tokens.newId();
        var routing = new InputRouting(partitions, "/k");
        broker.createPipelineStreams(id, routing);
        ROUTES.put(id, routing);
        return id;
    }

    private static List<String> keys(List<InputEvent> events) {
        var out = new ArrayList<String>();
        events.forEach(e -> out.add(new String(e.data(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void oneEventPerPartitionIsInFlightWhicheverFeedAsks() {
        var p = ordered(4);
        var routing = broker.routing(p);
        // two events for each of two keys in different partitions
        String a = "a";
        String b = "b";
        int i = 0;
        while (routing.partitionOf(json("{\"k\":\"" + b + "\"}")) == routing.partitionOf(json("{\"k\":\"a\"}"))) {
            b = "b" + i++;
        }
        for (var e : List.of("{\"k\":\"" + a + "\",\"n\":1}", "{\"k\":\"" + b + "\",\"n\":1}",
            "{\"k\":\"" + a + "\",\"n\":2}", "{\"k\":\"" + b + "\",\"n\":2}")) {
            assertThat(broker.publish(p, json(e), null, null).accepted()).isTrue();
        }
        assertThat(broker.inputState(p).pending()).isEqualTo(4);
        try (var first = broker.inputFeed(p, routing, 100); var second = broker.inputFeed(p, routing, 100)) {
            var got = first.next(100, Duration.ofSeconds(5));
            // let the other partition's event reach this feed too, if it did not come in the first wait
            if (got.size() < 2) {
                got.addAll(first.next(100, Duration.ofSeconds(5)));
            }
            assertThat(keys(got)).containsExactlyInAnyOrder("{\"k\":\"" + a + "\",\"n\":1}",
                "{\"k\":\"" + b + "\",\"n\":1}");
            assertThat(second.next(100, Duration.ofMillis(1500))).as("the partitions' next events wait for acks")
                .isEmpty();
            got.forEach(InputEvent::ack);
            var next = new ArrayList<InputEvent>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (next.size() < 2 && System.nanoTime() < deadline) {
                next.addAll(second.next(100, Duration.ofSeconds(1)));
            }
            assertThat(keys(next)).containsExactlyInAnyOrder("{\"k\":\"" + a + "\",\"n\":2}",
                "{\"k\":\"" + b + "\",\"n\":2}");
            next.forEach(InputEvent::ack);
        }
        var state = broker.inputState(p);
        assertThat(state.pending() + state.ackPending()).isZero();
        assertThat(state.lastSeq()).isEqualTo(4);
    }

    @Test
    void aBatchSmallerThanThePartitionsTakesEveryPartitionInTurnWithoutRedelivery() {
        var p = ordered(8);
        for (int k = 0; k < 40; k++) {
            broker.publish(p, json("{\"k\":\"key" + k + "\"}"), null, null);
        }
        var seen = new java.util.HashSet<String>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (var feed = broker.inputFeed(p, broker.routing(p), 2)) {
            while (seen.size() < 40 && System.nanoTime() < deadline) {
                var got = feed.next(2, Duration.ofMillis(500));
                assertThat(got.size()).isLessThanOrEqualTo(2);
                for (var e : got) {
                    assertThat(e.deliveries()).as("delivered once: nothing was given back").isEqualTo(1);
                    assertThat(seen.add(new String(e.data(), StandardCharsets.UTF_8))).isTrue();
                    e.ack();
                }
            }
        }
        assertThat(seen).hasSize(40);
    }

    @Test
    void eventsWithoutTheKeyAreRefusedAndNothingIsStored() {
        var p = ordered(2);
        assertThatThrownBy(() -> broker.publish(p, json("{\"n\":1}"), null, null))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("ordering_key \"/k\"");
        var outcomes = broker.publishBatch(p, List.of(json("{\"k\":1}"), json("{\"x\":1}")), null);
        assertThat(outcomes.get(0).accepted()).isTrue();
        assertThat(outcomes.get(1).error()).contains("no value at ordering_key \"/k\"");
        assertThat(broker.inputState(p).pending()).isEqualTo(1);
    }

    @Test
    void theLayoutChangesOnlyWithoutBacklogAndNewConsumersStartAfterOldEvents() throws Exception {
        var p = Tokens.newId();
        broker.createPipelineStreams(p);
        // an older Riffle's runner consumer read every subject of the stream
        try (var nc = io.nats.client.Nats.connect(nats.url())) {
            changeLayout(p, nc.jetStreamManagement());
        }
    }

    private static void changeLayout(String p, io.nats.client.JetStreamManagement jsm) throws Exception {
        jsm.deleteConsumer(broker.names().inStream(p), StreamNames.RUNNER);
        jsm.addOrUpdateConsumer(broker.names().inStream(p), StreamSetup.durable(StreamNames.RUNNER,
            Duration.ofSeconds(5), StreamSetup.RUNNER_MAX_ACK_PENDING));
        broker.publish(p, json("{\"k\":\"old\"}"), null, null);
        assertThatThrownBy(() -> broker.createPipelineStreams(p, new InputRouting(2, "/k")))
            .isInstanceOf(ConflictException.class).hasMessageContaining("1 event(s) waiting");
        try (var feed = broker.inputFeed(p)) {
            feed.next(10, Duration.ofSeconds(5)).forEach(InputEvent::ack);
        }
        var routing = new InputRouting(2, "/k");
        broker.createPipelineStreams(p, routing);
        ROUTES.put(p, routing);
        assertThat(jsm.getConsumerInfo(broker.names().inStream(p), StreamNames.RUNNER).getConsumerConfiguration()
            .getFilterSubject()).isEqualTo(broker.names().inSubject(p));
        broker.publish(p, json("{\"k\":\"new\"}"), null, null);
        try (var feed = broker.inputFeed(p, routing, 10)) {
            var got = feed.next(10, Duration.ofSeconds(5));
            assertThat(keys(got)).containsExactly("{\"k\":\"new\"}");
            got.forEach(InputEvent::ack);
        }
        // back to unordered: the idle partition consumers go
        broker.createPipelineStreams(p, InputRouting.NONE);
        ROUTES.remove(p);
        assertThat(jsm.getConsumerNames(broker.names().inStream(p))).containsExactly(StreamNames.RUNNER);
    }
}

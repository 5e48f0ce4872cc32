package io.riffle.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.BackpressureException;
import io.riffle.core.Tokens;
import io.riffle.testkit.TestNats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JetStreamBrokerIT {
    private static TestNats nats;
    private static JetStreamBroker broker;

    @BeforeAll
    static void start() {
        nats = TestNats.start();
        broker = JetStreamBroker.connect(BrokerConfig.of(nats.url()).withPrefix(nats.prefix()));
    }

    @AfterAll
    static void stop() {
        broker.close();
        nats.close();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String newPipeline() {
        var id = Tokens.newId();
        broker.createPipelineStreams(id);
        return id;
    }

    @Test
    void publishedEventReachesRunnerAndItsResultIsConsumedWithTheInput() {
        var p = newPipeline();
        var outcome = broker.publish(p, json("{\"n\":1}"), null, "ext-1");
        assertThat(outcome.accepted()).isTrue();
        assertThat(outcome.sequence()).isEqualTo(1);

        try (var feed = broker.inputFeed(p)) {
            var events = feed.next(10, Duration.ofSeconds(5));
            assertThat(events).hasSize(1);
            var in = events.get(0);
            assertThat(in.requestId()).isEqualTo(outcome.requestId());
            assertThat(in.deliveries()).isEqualTo(1);
            broker.publishResult(p, in, 0, json("{\"n\":2}")).join();
            in.ack();
        }
        var consumed = broker.consumeOutput(p).orElseThrow();
        assertThat(new String(consumed.response(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
        assertThat(new String(consumed.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(consumed.requestId()).isEqualTo(outcome.requestId());
        assertThat(consumed.externalId()).isEqualTo("ext-1");
        assertThat(broker.consumeOutput(p)).isEmpty();
    }

    @Test
    void feedHoldsOnlyTheEventsItReturns() {
        var p = newPipeline();
        var events = new ArrayList<byte[]>();
        for (int i = 0; i < 50; i++) {
            events.add(json("{\"i\":" + i + "}"));
        }
        broker.publishBatch(p, events, null);
        try (var feed = broker.inputFeed(p)) {
            var first = feed.next(10, Duration.ofSeconds(5));
            assertThat(first).hasSize(10);
            assertThat(broker.stats(p).inFlight()).isEqualTo(10);
            first.forEach(InputEvent::ack);
            var rest = feed.next(100, Duration.ofSeconds(5));
            assertThat(rest).hasSize(40);
            assertThat(rest.get(0).sequence()).isEqualTo(11);
            rest.forEach(InputEvent::ack);
            assertThat(feed.next(10, Duration.ofSeconds(1))).isEmpty();
        }
    }

    @Test
    void sameIdempotencyKeyIsStoredOnce() {
        var p = newPipeline();
        var first = broker.publish(p, json("{}"), "key-1", null);
        var second = broker.publish(p, json("{}"), "key-1", null);
        assertThat(first.duplicate()).isFalse();
        assertThat(second.duplicate()).isTrue();
        assertThat(broker.stats(p).inputStored()).isEqualTo(1);
    }

    @Test
    void resultPublishedTwiceForTheSameInputIsStoredOnce() {
        var p = newPipeline();
        broker.publish(p, json("{}"), null, null);
        try (var feed = broker.inputFeed(p)) {
            var in = feed.next(1, Duration.ofSeconds(5)).get(0);
            var a = broker.publishResult(p, in, 0, json("1")).join();
            var b = broker.publishResult(p, in, 0, json("1")).join();
            assertThat(a.isDuplicate()).isFalse();
            assertThat(b.isDuplicate()).isTrue();
            in.ack();
        }
        assertThat(broker.stats(p).outputWaiting()).isEqualTo(1);
    }

    @Test
    void fullInputStreamRefusesAndKeepsWhatItHas() {
        var small = JetStreamBroker.connect(BrokerConfig.of(nats.url()).withPrefix(nats.prefix() + "S")
            .withMaxInputBytes(8192));
        try (small) {
            var p = Tokens.newId();
            small.createPipelineStreams(p);
            var payload = json("{\"pad\":\"" + "x".repeat(400) + "\"}");
            int accepted = 0;
            BackpressureException refused = null;
            for (int i = 0; i < 100 && refused == null; i++) {
                try {
                    small.publish(p, payload, null, null);
                    accepted++;
                } catch (BackpressureException e) {
                    refused = e;
                }
            }
            assertThat(refused).isNotNull();
            assertThat(refused.getMessage()).contains("full");
            assertThat(accepted).isBetween(1, 10);
            assertThat(small.stats(p).inputStored()).as("nothing accepted was evicted").isEqualTo(accepted);
            var batch = small.publishBatch(p, List.of(payload, payload), null);
            assertThat(batch).noneMatch(PublishOutcome::accepted);
            assertThat(batch.get(0).error()).contains("full");
            assertThat(small.stats(p).inputStored()).isEqualTo(accepted);
        }
    }

    @Test
    void batchPublishReportsEachEvent() {
        var p = newPipeline();
        var events = new ArrayList<byte[]>();
        for (int i = 0; i < 500; i++) {
            events.add(json("{\"i\":" + i + "}"));
        }
        var outcomes = broker.publishBatch(p, events, null);
        assertThat(outcomes).hasSize(500).allMatch(PublishOutcome::accepted);
        assertThat(outcomes.get(499).sequence()).isEqualTo(500);
    }

    @Test
    void deadLetterCarriesErrorTracebackAndPayload() {
        var p = newPipeline();
        broker.publish(p, json("{\"bad\":true}"), null, null);
        try (var feed = broker.inputFeed(p)) {
            var in = feed.next(1, Duration.ofSeconds(5)).get(0);
            broker.publishFailure(p, in, "ValueError: boom", "Traceback...\n  line 3", 1).join();
            in.ack();
        }
        var dead = broker.consumeFailed(p).orElseThrow();
        assertThat(dead.failed()).isTrue();
        assertThat(dead.errorDetails()).isEqualTo("ValueError: boom");
        assertThat(dead.stackTrace()).contains("line 3");
        assertThat(new String(dead.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"bad\":true}");
        assertThat(broker.consumeFailed(p)).isEmpty();
    }

    @Test
    void logsArePagedAndFilteredBySeverity() {
        var p = newPipeline();
        for (int i = 0; i < 7; i++) {
            int sev = i % 2 == 0 ? 200 : 500;
            broker.appendLog(p, json("{\"level\":\"X\",\"severity_code\":" + sev
                + ",\"timestamp\":\"2026-01-01T00:00:0" + i + "Z\",\"payload\":{\"message\":\"m" + i + "\"}}"));
        }
        broker.flush(Duration.ofSeconds(5));
        List<byte[]> all = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 10; page++) {
            var result = broker.readLogs(p, new LogQuery(3, token, 100, null, null));
            all.addAll(result.entries());
            token = result.next();
            if (result.entries().isEmpty()) {
                break;
            }
        }
        assertThat(all).hasSize(7);
        var errors = broker.readLogs(p, new LogQuery(50, null, 500, null, null));
        assertThat(errors.entries()).hasSize(3);
    }

    @Test
    void deletingAPipelineRemovesItsStreams() {
        var p = newPipeline();
        broker.publish(p, json("{}"), null, null);
        broker.deletePipelineStreams(p);
        assertThatThrownBy(() -> broker.publish(p, json("{}"), null, null)).isInstanceOf(RuntimeException.class);
        broker.deletePipelineStreams(p);
    }
}

package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code webhook} sink end to end: the real jar, a pipeline whose results go to a JDK HTTP server in the test,
 * counted by {@code X-Riffle-Event-Id}. Delivery across a kill, retries with a visible status, dead letters for 4xx,
 * isolation between pipelines, and configuration refused at create.
 */
class WebhookSinkIT {
    private static final Duration DELIVERY = Duration.ofSeconds(120);
    private static ConnectorHarness h;

    @BeforeAll
    static void start() {
        h = ConnectorHarness.start("webhooks");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static List<String> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "{\"n\":" + i + "}").toList();
    }

    private static Set<Integer> range(int to) {
        return IntStream.range(0, to).boxed().collect(Collectors.toSet());
    }

    private static Map<String, Object> webhook(WebhookReceiver r, Map<String, Object> more) {
        var config = new java.util.LinkedHashMap<String, Object>(Map.of("url", r.url()));
        config.putAll(more);
        return ConnectorHarness.connector("webhook", config);
    }

    @Test
    void everyEventIsDeliveredSignedAndNothingIsLostWhenRiffleIsKilled() throws Exception {
        h.secret("HOOK_KEY", "s3cret-hook-key");
        try (var receiver = new WebhookReceiver()) {
            var p = h.create("hook-kill", ConnectorHarness.IDENTITY, null, webhook(receiver,
                Map.of("hmac_secret", ConnectorHarness.secretRef("HOOK_KEY"),
                    "headers", List.of(Map.of("name", "X-Team", "value", "it")))));
            h.api().publishBatch(p, events(0, 300));
            Await.await("some deliveries before the kill", DELIVERY, () -> receiver.accepted().size() >= 50);
            h.killAndRestart();
            h.api().publishBatch(p, events(300, 600));
            Await.awaitValue("600 distinct events delivered", DELIVERY, () -> receiver.acceptedValues("n"),
                v -> v.size() == 600);
            assertThat(receiver.acceptedValues("n")).isEqualTo(range(600));
            assertThat(receiver.accepted()).hasSize(600);
            var any = receiver.accepted().values().iterator().next();
            assertThat(any.eventId()).startsWith(p.id() + ":");
            assertThat(any.method()).isEqualTo("POST");
            assertThat(any.signature()).isEqualTo("sha256=" + hmac("s3cret-hook-key", any.raw()));
            var status = h.awaitConnector(p, "sink", s -> s.path("delivered").asLong() > 0
                && s.path("state").asText().equals("running"), "running with deliveries");
            assertThat(status.path("kind").asText()).isEqualTo("webhook");
            assertThat(status.path("engine").asText()).isNotBlank();
            Api.assertProblem(h.api().consume(p), 409);
            var metrics = h.api().get("/metrics").expect(200).body();
            var events = java.util.regex.Pattern.compile("riffle_connector_events_total\\{[^}]*pipeline=\"" + p.id()
                + "\"[^}]*\\} ([0-9.E]+)").matcher(metrics);
            assertThat(events.find()).as("riffle_connector_events_total of %s in /metrics", p.id()).isTrue();
            assertThat(events.group(0)).contains("direction=\"sink\"", "kind=\"webhook\"");
            assertThat(Double.parseDouble(events.group(1))).isGreaterThanOrEqualTo(1.0);
        }
    }

    @Test
    void serverErrorsAreRetriedWithAVisibleStatusUntilTheReceiverRecovers() {
        try (var receiver = new WebhookReceiver()) {
            receiver.answer(r -> 503);
            var p = h.create("hook-503", ConnectorHarness.IDENTITY, null, webhook(receiver, Map.of()));
            h.api().publishBatch(p, events(0, 20));
            var failing = h.awaitConnector(p, "sink", "retrying");
            assertThat(failing.path("last_error").asText()).contains("answered 503");
            assertThat(failing.path("last_error_at").asText()).isNotBlank();
            Await.await("at least three attempts", DELIVERY, () -> receiver.requests().size() >= 3);
            assertThat(receiver.accepted()).isEmpty();
            receiver.answer(r -> 200);
            Await.awaitValue("all 20 delivered after recovery", DELIVERY, () -> receiver.acceptedValues("n"),
                v -> v.size() == 20);
            assertThat(receiver.acceptedValues("n")).isEqualTo(range(20));
            var recovered = h.awaitConnector(p, "sink", "running");
            assertThat(recovered.path("delivered").asLong()).isEqualTo(20);
            assertThat(h.deadLetters(p)).isEmpty();
        }
    }

    @Test
    void clientErrorsBecomeDeadLettersThatReplayToTheSink() {
        try (var receiver = new WebhookReceiver()) {
            receiver.answer(r -> r.body().path("n").asInt() % 5 == 0 ? 422 : 200);
            var p = h.create("hook-4xx", ConnectorHarness.IDENTITY, null, webhook(receiver, Map.of()));
            h.api().publishBatch(p, events(0, 50));
            Await.await("40 delivered", DELIVERY, () -> receiver.accepted().size() == 40);
            var letters = Await.awaitValue("10 dead letters", DELIVERY, () -> h.deadLetters(p), l -> l.size() == 10);
            assertThat(letters).allSatisfy(l -> {
                assertThat(l.path("error_details").asText()).startsWith("sink_connector (webhook): POST ")
                    .contains("answered 422");
                assertThat(l.path("payload").path("n").asInt() % 5).isZero();
                assertThat(l.path("stage").asText()).isEqualTo("sink");
            });
            var status = h.awaitConnector(p, "sink", s -> s.path("rejected").asLong() == 10, "10 rejected");
            assertThat(status.path("delivered").asLong()).isEqualTo(40);

            receiver.answer(r -> 200);
            var replayed = h.api().post(p.path("/dead_letters/replay"), Map.of("all", true)).expect(200).json();
            assertThat(replayed.path("replayed").asInt()).isEqualTo(10);
            Await.awaitValue("all 50 delivered after replay", DELIVERY, () -> receiver.acceptedValues("n"),
                v -> v.size() == 50);
            assertThat(h.deadLetters(p)).isEmpty();
        }
    }

    @Test
    void aFailingSinkOnOnePipelineNeverBlocksAnother() {
        try (var stuck = new WebhookReceiver(); var healthy = new WebhookReceiver()) {
            stuck.answer(r -> {
                Await.sleep(Duration.ofSeconds(2));
                return 503;
            });
            var a = h.create("hook-stuck", ConnectorHarness.IDENTITY, null, webhook(stuck, Map.of("timeout_ms", 1000)));
            h.api().publishBatch(a, events(0, 200));
            h.awaitConnector(a, "sink", "retrying");
            var b = h.create("hook-healthy", ConnectorHarness.IDENTITY, null, webhook(healthy, Map.of()));
            h.api().publishBatch(b, events(0, 200));
            Await.awaitValue("pipeline B delivers all 200", DELIVERY, () -> healthy.acceptedValues("n"),
                v -> v.size() == 200);
            assertThat(healthy.accepted()).hasSize(200);
            assertThat(stuck.accepted()).isEmpty();
            assertThat(h.connectors(a).path("sink").path("state").asText()).isEqualTo("retrying");
            assertThat(h.connectors(a).path("sink").path("delivered").asLong()).isZero();
        }
    }

    @Test
    void aChangedSinkDeliversToItsNewUrlAndARemovedOneGivesTheOutputBackToConsume() {
        try (var first = new WebhookReceiver(); var second = new WebhookReceiver()) {
            var p = h.create("hook-change", ConnectorHarness.IDENTITY, null, webhook(first, Map.of()));
            h.api().publishBatch(p, events(0, 10));
            Await.await("10 at the first URL", DELIVERY, () -> first.accepted().size() == 10);

            h.api().patch(p.path(""), Map.of("sink_connector", webhook(second, Map.of()))).expect(200);
            Await.await("the sink restarted on the new URL", DELIVERY, () -> h.connectors(p).path("sink")
                .path("delivered").asLong() == 0);
            h.api().publishBatch(p, events(10, 20));
            Await.awaitValue("10 at the second URL", DELIVERY, () -> second.acceptedValues("n"), v -> v.size() == 10);
            assertThat(second.acceptedValues("n")).isEqualTo(IntStream.range(10, 20).boxed()
                .collect(Collectors.toSet()));
            assertThat(first.accepted()).hasSize(10);

            var removed = new java.util.HashMap<String, Object>();
            removed.put("sink_connector", null);
            var body = h.api().patch(p.path(""), removed).expect(200).json();
            assertThat(body.path("sink_connector").isNull()).isTrue();
            Await.await("no sink status", DELIVERY, () -> h.connectors(p).path("sink").isMissingNode());
            h.api().publishBatch(p, events(20, 25));
            var consumed = h.api().consumeResults(p, 5, DELIVERY);
            assertThat(consumed).extracting(n -> n.path("response").path("n").asInt())
                .containsExactlyInAnyOrder(20, 21, 22, 23, 24);
            assertThat(second.accepted()).hasSize(10);
        }
    }

    @Test
    void badConfigurationIsRefusedAtCreateNamingTheField() {
        var missing = h.tryCreate("bad-1", ConnectorHarness.IDENTITY, null,
            ConnectorHarness.connector("webhook", Map.of("method", "POST")));
        Api.assertProblem(missing, 400);
        assertThat(missing.json().path("detail").asText()).isEqualTo("sink_connector.config.url: is required");

        var kind = h.tryCreate("bad-2", ConnectorHarness.IDENTITY, null,
            ConnectorHarness.connector("ftp", Map.of("url", "x")));
        Api.assertProblem(kind, 400);
        assertThat(kind.json().path("detail").asText()).startsWith("sink_connector.kind: 'ftp' is not a sink "
            + "connector kind; available: ").contains("webhook", "nats");

        var secret = h.tryCreate("bad-3", ConnectorHarness.IDENTITY, null, ConnectorHarness.connector("webhook",
            Map.of("url", "http://127.0.0.1:9/x", "hmac_secret", ConnectorHarness.secretRef("NO_SUCH_KEY"))));
        Api.assertProblem(secret, 400);
        assertThat(secret.json().path("detail").asText()).isEqualTo("sink_connector.config.hmac_secret: refers to "
            + "secret 'NO_SUCH_KEY', which does not exist");

        var host = h.tryCreate("bad-4", ConnectorHarness.IDENTITY, null,
            ConnectorHarness.connector("webhook", Map.of("url", "http://no-such-host.invalid/hook")));
        Api.assertProblem(host, 400);
        assertThat(host.json().path("detail").asText()).contains("sink_connector.config.url: host "
            + "'no-such-host.invalid' does not resolve");

        var pipelines = h.api().get("/v1/pipelines").expect(200).json().path("pipelines");
        var names = new ArrayList<String>();
        pipelines.forEach(n -> names.add(n.path("name").asText()));
        assertThat(names).noneMatch(n -> n.startsWith("bad-"));
    }

    private static String hmac(String key, String body) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}

package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.riffle.testkit.TestNats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code nats} source and sink end to end: the real jar, and an external nats-server of the test's own (not
 * Riffle's) that events come from and results go to. Counts, a SIGKILL of Riffle, the external server going away,
 * and configuration refused at create.
 */
class NatsConnectorsIT {
    private static final Duration DELIVERY = Duration.ofSeconds(120);
    private static TestNats external;
    private static ConnectorHarness h;
    private static Connection nc;

    @BeforeAll
    static void start() throws Exception {
        external = TestNats.start();
        h = ConnectorHarness.start("nats");
        nc = Nats.connect(new io.nats.client.Options.Builder().server(external.url()).maxReconnects(-1).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (nc != null) {
            nc.close();
        }
        if (h != null) {
            h.close();
        }
        if (external != null) {
            external.close();
        }
    }

    private static String name(String what) {
        return external.prefix() + "_" + what;
    }

    private static void stream(String name, String subject) throws IOException, JetStreamApiException {
        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(name).subjects(subject)
            .storageType(StorageType.File).build());
    }

    private static byte[] event(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code n} of every message stored in {@code stream}, and how many messages there are. */
    private static List<Integer> stored(String stream) {
        try {
            var jsm = nc.jetStreamManagement();
            var state = jsm.getStreamInfo(stream).getStreamState();
            var out = new ArrayList<Integer>();
            for (long seq = state.getFirstSequence(); seq <= state.getLastSequence() && state.getMsgCount() > 0;
                 seq++) {
                out.add(Api.JSON.readTree(jsm.getMessage(stream, seq).getData()).path("n").asInt(-1));
            }
            return out;
        } catch (IOException | JetStreamApiException e) {
            throw new AssertionError("reading " + stream, e);
        }
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toSet());
    }

    private static Map<String, Object> nats(Map<String, Object> config) {
        var c = new java.util.LinkedHashMap<String, Object>(Map.of("url", external.url()));
        c.putAll(config);
        return ConnectorHarness.connector("nats", c);
    }

    @Test
    void streamToStreamStoresEveryEventOnceAcrossAKillOfRiffle() throws Exception {
        var src = name("SRC");
        var dst = name("DST");
        stream(src, "src." + src + ".>");
        stream(dst, "dst." + dst);
        var p = h.create("nats-js", ConnectorHarness.IDENTITY,
            nats(Map.of("stream", src, "durable", "riffle", "subject", "src." + src + ".>")),
            nats(Map.of("subject", "dst." + dst, "jetstream", true)));
        h.awaitConnector(p, "source", "running");
        var js = nc.jetStream();
        for (int i = 0; i < 300; i++) {
            js.publish("src." + src + ".a", event(i));
        }
        Await.await("some results before the kill", DELIVERY, () -> stored(dst).size() >= 50);
        h.killAndRestart();
        for (int i = 300; i < 600; i++) {
            js.publish("src." + src + ".b", event(i));
        }
        var values = Await.awaitValue("600 results in " + dst, DELIVERY, () -> new TreeSet<>(stored(dst)),
            v -> v.size() == 600);
        assertThat(values).isEqualTo(range(0, 600));
        assertThat(stored(dst)).as("each result stored once in the target stream").hasSize(600);
        var source = h.awaitConnector(p, "source", "running");
        assertThat(source.path("kind").asText()).isEqualTo("nats");
        var sink = h.awaitConnector(p, "sink", s -> s.path("delivered").asLong() > 0, "deliveries");
        assertThat(sink.path("state").asText()).isEqualTo("running");
    }

    @Test
    void coreSubjectsInAndOutAndANonJsonMessageIsADeadLetter() throws Exception {
        var in = "in." + name("core");
        var out = "out." + name("core");
        var sub = nc.subscribe(out);
        nc.flush(Duration.ofSeconds(5));
        var p = h.create("nats-core", ConnectorHarness.IDENTITY, nats(Map.of("subject", in, "queue_group", "q")),
            nats(Map.of("subject", out)));
        h.awaitConnector(p, "source", "running");
        for (int i = 0; i < 100; i++) {
            nc.publish(in, event(i));
        }
        nc.publish(in, "hello".getBytes(StandardCharsets.UTF_8));
        nc.flush(Duration.ofSeconds(5));
        var got = new TreeSet<Integer>();
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (got.size() < 100 && System.nanoTime() < deadline) {
            var m = sub.nextMessage(Duration.ofMillis(500));
            if (m != null) {
                got.add(Api.JSON.readTree(m.getData()).path("n").asInt(-1));
            }
        }
        assertThat(got).isEqualTo(range(0, 100));
        var letters = Await.awaitValue("one dead letter", DELIVERY, () -> h.deadLetters(p), l -> l.size() == 1);
        assertThat(letters.get(0).path("error_details").asText())
            .startsWith("source_connector (nats): the event is not valid JSON");
        assertThat(letters.get(0).path("payload").asText()).isEqualTo("hello");
        assertThat(letters.get(0).path("stage").asText()).isEqualTo("source");
        var source = h.awaitConnector(p, "source", s -> s.path("rejected").asLong() == 1, "one rejected");
        assertThat(source.path("delivered").asLong()).isEqualTo(100);
    }

    @Test
    void theExternalServerGoingAwayShowsRetryingAndRecovers() throws Exception {
        var src = name("AWAY");
        var dst = name("AWAYDST");
        stream(src, "away." + src);
        stream(dst, "awaydst." + dst);
        var p = h.create("nats-away", ConnectorHarness.IDENTITY,
            nats(Map.of("stream", src, "durable", "riffle", "subject", "away." + src)),
            nats(Map.of("subject", "awaydst." + dst, "jetstream", true)));
        h.awaitConnector(p, "source", "running");
        var js = nc.jetStream();
        for (int i = 0; i < 20; i++) {
            js.publish("away." + src, event(i));
        }
        Await.await("20 results", DELIVERY, () -> stored(dst).size() == 20);
        external.kill();
        try {
            var down = h.awaitConnector(p, "source", "retrying");
            assertThat(down.path("last_error").asText()).contains("NATS at " + external.url());
        } finally {
            external.restart();
        }
        Await.await("the test's connection is back", DELIVERY, () -> nc.getStatus() == Connection.Status.CONNECTED);
        for (int i = 20; i < 40; i++) {
            js.publish("away." + src, event(i));
        }
        h.awaitConnector(p, "source", "running");
        var values = Await.awaitValue("40 results after recovery", DELIVERY, () -> new TreeSet<>(stored(dst)),
            v -> v.size() == 40);
        assertThat(values).isEqualTo(range(0, 40));
    }

    @Test
    void aPausedPipelinesSourceKeepsFillingTheInputAndResumeDeliversIt() throws Exception {
        var in = "paused." + name("in");
        try (var receiver = new WebhookReceiver()) {
            var p = h.create("nats-paused", ConnectorHarness.IDENTITY, nats(Map.of("subject", in)),
                ConnectorHarness.connector("webhook", Map.of("url", receiver.url())));
            h.awaitConnector(p, "source", "running");
            h.api().setState(p, "paused");
            for (int i = 0; i < 50; i++) {
                nc.publish(in, event(i));
            }
            nc.flush(Duration.ofSeconds(5));
            Await.await("50 events waiting in the input while paused", DELIVERY,
                () -> h.api().status(p).path("backlog").asLong() == 50);
            assertThat(receiver.requests()).isEmpty();
            assertThat(h.connectors(p).path("source").path("state").asText()).isEqualTo("running");
            h.api().setState(p, "running");
            Await.awaitValue("50 delivered after resume", DELIVERY, () -> receiver.acceptedValues("n"),
                v -> v.size() == 50);
            assertThat(receiver.acceptedValues("n")).isEqualTo(range(0, 50));
        }
    }

    @Test
    void badConfigurationIsRefusedAtCreateNamingTheField() throws Exception {
        int dead;
        try (var s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        var port = h.tryCreate("bad-nats-1", ConnectorHarness.IDENTITY, ConnectorHarness.connector("nats",
            Map.of("url", "nats://127.0.0.1:" + dead, "subject", "x")), null);
        Api.assertProblem(port, 400);
        assertThat(port.json().path("detail").asText()).startsWith("source_connector.config.url: cannot connect to "
            + "nats://127.0.0.1:" + dead);

        var stream = h.tryCreate("bad-nats-2", ConnectorHarness.IDENTITY,
            nats(Map.of("stream", "NO_SUCH_STREAM", "durable", "d")), null);
        Api.assertProblem(stream, 400);
        assertThat(stream.json().path("detail").asText()).startsWith("source_connector.config.stream: stream "
            + "'NO_SUCH_STREAM' is not there");

        var subject = h.tryCreate("bad-nats-3", ConnectorHarness.IDENTITY, null, nats(Map.of()));
        Api.assertProblem(subject, 400);
        assertThat(subject.json().path("detail").asText()).isEqualTo("sink_connector.config.subject: is required");
    }
}

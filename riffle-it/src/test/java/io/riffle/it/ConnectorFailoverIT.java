package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A connector runs on exactly one engine: one {@code riffle server} and two {@code riffle worker} processes; the
 * worker that runs a pipeline's webhook sink (named by the status) is killed with SIGKILL mid-stream; the other
 * takes the sink over (worker registry heartbeat) and every event arrives.
 */
class ConnectorFailoverIT {
    @Test
    void theSinkMovesToTheSurvivingWorkerAndNothingIsLost() {
        var shared = Map.of("RIFFLE_MASTER_KEY", io.riffle.core.SecretBox.newKey());
        try (var db = TestDatabase.create(); var nats = TestNats.start();
             var server = RiffleProcess.create("server", db, nats, shared).start();
             var receiver = new WebhookReceiver()) {
            var api = Api.of(server);
            var space = api.createSpace("connector-failover");
            var a = RiffleProcess.create("worker", db, nats, shared).start();
            var b = RiffleProcess.create("worker", db, nats, shared).start();
            try (a; b) {
                // each must have seen the other in the registry, or both would briefly own the new sink (a
                // membership change gives such an overlap; delivery to the sink is at least once anyway)
                Await.await("both workers up and aware of each other", Duration.ofSeconds(60),
                    () -> a.logText().contains("2 engines live") && b.logText().contains("2 engines live"));
                var p = api.createPipeline(space, "moving-sink", ConnectorHarness.IDENTITY, Map.of("sink_connector",
                    ConnectorHarness.connector("webhook", Map.of("url", receiver.url()))));
                api.awaitReady(p);
                api.publishBatch(p, events(0, 200));
                Await.await("200 delivered", Duration.ofSeconds(120), () -> receiver.accepted().size() == 200);
                var owner = sinkEngine(api, p);
                var victim = owner.contains("-" + a.pid() + "-") ? a : b;
                var survivor = victim == a ? b : a;
                assertThat(owner).contains("-" + victim.pid() + "-");
                assertThat(survivor.logText()).doesNotContain("starting the sink connector");

                victim.kill();
                api.publishBatch(p, events(200, 400));
                Await.awaitValue("400 distinct events delivered", Duration.ofSeconds(180),
                    () -> receiver.acceptedValues("n"), v -> v.size() == 400);
                assertThat(receiver.acceptedValues("n")).isEqualTo(IntStream.range(0, 400).boxed()
                    .collect(Collectors.toSet()));
                var moved = Await.awaitValue("the sink reported by the survivor", Duration.ofSeconds(60),
                    () -> sinkEngine(api, p), e -> e.contains("-" + survivor.pid() + "-"));
                assertThat(moved).isNotEqualTo(owner);
                assertThat(survivor.logText()).contains("starting the sink connector");
            }
        }
    }

    private static String sinkEngine(Api api, Api.Pipeline p) {
        return api.get(p.path("")).expect(200).json().path("connectors").path("sink").path("engine").asText("");
    }

    private static List<String> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "{\"n\":" + i + "}").toList();
    }
}

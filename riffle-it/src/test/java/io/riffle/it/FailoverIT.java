package io.riffle.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.testkit.TestDatabase;
import io.riffle.testkit.TestNats;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Scale-out: one {@code riffle server} and two {@code riffle worker} processes on the same NATS and PostgreSQL.
 * The pipeline's runners are divided between the workers; one worker is killed with SIGKILL mid-stream; the
 * survivor takes its share over and JetStream redelivers what the dead one held. Every event comes out once.
 */
class FailoverIT {
    private static final int EVENTS = 2000;
    private static final Pattern TAKEOVER = Pattern.compile(
        "(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) .*pipeline (\\S+): 1 -> 2 runner\\(s\\) here");

    /** The worker's last word on its runner count is one (at start, or after the other worker registered). */
    private static boolean runsOne(RiffleProcess worker) {
        var log = worker.logText();
        int start = log.lastIndexOf("with 1 of 2 runner(s) here");
        int down = log.lastIndexOf("-> 1 runner(s) here");
        int other = Math.max(log.lastIndexOf("with 2 of 2 runner(s) here"), Math.max(log.lastIndexOf(
            "-> 2 runner(s) here"), log.lastIndexOf("-> 0 runner(s) here")));
        return Math.max(start, down) > other;
    }

    @Test
    void aKilledWorkersShareIsTakenOverAndNoEventIsLostOrDuplicated() {
        // every process of one installation shares the master key (it encrypts pipeline tokens at rest)
        var shared = Map.of("RIFFLE_MASTER_KEY", io.riffle.core.SecretBox.newKey());
        try (var db = TestDatabase.create(); var nats = TestNats.start();
             var server = RiffleProcess.create("server", db, nats, shared).start()) {
            var api = Api.of(server);
            var space = api.createSpace("scale-out");
            // the workers register before the pipeline exists, so each starts with its share of the two runners
            var a = RiffleProcess.create("worker", db, nats, shared).start();
            var b = RiffleProcess.create("worker", db, nats, shared).start();
            try (a; b) {
                Await.await("both workers registered", Duration.ofSeconds(60),
                    () -> a.logText().contains("Riffle is up") && b.logText().contains("Riffle is up"));
                var p = api.createPipeline(space, "spread", """
                    import time
                    def handler(data, log):
                        time.sleep(0.003)
                        return {"id": data["id"]}
                    """, Map.of("settings", Map.of("replicas", 2, "batch_size", 20)));
                api.awaitReady(p);
                try {
                    Await.await("each worker runs one runner", Duration.ofSeconds(60),
                        () -> runsOne(a) && runsOne(b));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n--- worker a:\n" + a.logText()
                        + "\n--- worker b:\n" + b.logText(), e);
                }

                var results = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
                int published = 0;
                LocalTime killedAt = null;
                while (published < EVENTS) {
                    var batch = new ArrayList<String>();
                    for (int i = 0; i < 100; i++) {
                        batch.add("{\"id\":" + (published + i) + "}");
                    }
                    api.publishBatch(p, batch);
                    published += 100;
                    if (published == 800) {
                        results.addAll(api.consumeResults(p, 300, Duration.ofSeconds(60)));
                        killedAt = LocalTime.now();
                        a.kill();
                    }
                }
                results.addAll(api.consumeResults(p, EVENTS - results.size(), Duration.ofSeconds(180)));
                var ids = new HashSet<Integer>();
                for (var r : results) {
                    ids.add(r.path("response").path("id").asInt());
                }
                assertThat(results).hasSize(EVENTS);
                assertThat(ids).as("no duplicates").hasSize(EVENTS);
                assertThat(api.consumeFailed(p).status()).as("no dead letters").isEqualTo(204);
                assertThat(api.consume(p).status()).as("nothing more").isEqualTo(204);

                Await.await("the survivor takes the killed worker's runner over", Duration.ofSeconds(30),
                    () -> TAKEOVER.matcher(b.logText()).find());
                var m = TAKEOVER.matcher(b.logText());
                assertThat(m.find()).isTrue();
                var takeover = Duration.between(killedAt, LocalTime.parse(m.group(1)));
                System.out.printf("failover: %d events exactly once; survivor ran 2 runners %d ms after the kill%n",
                    EVENTS, takeover.toMillis());
                assertThat(takeover).isLessThan(Duration.ofSeconds(30));
            }
        }
    }
}

package io.riffle.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.core.PipelineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ordering: key} against real NATS, PostgreSQL and CPython, with two engines and several runners: events of
 * one key come out in publish order although the handler takes random time, one event crashes its worker once
 * (retried before the next event of its key) and one raises (a dead letter; its key goes on); every event exactly
 * once.
 */
class OrderingIT {
    private static final int KEYS = 12;
    private static final int EVENTS = 600;
    private static EngineFixture fx;
    private static Path marker;

    @BeforeAll
    static void start() throws Exception {
        fx = new EngineFixture();
        var dir = Files.createTempDirectory("riffle-ordering-it");
        // the handler creates the marker: as root its worker runs under a uid of its own (worker isolation)
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        marker = dir.resolve("crashed-once");
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void eventsOfOneKeyArePublishOrderedAcrossRunnersAndEngines() throws Exception {
        var other = fx.startAnotherEngine();
        var settings = new PipelineSettings(4, Duration.ofSeconds(10), 3, 20, PipelineSettings
            .DEFAULT_MEMORY_LIMIT_MB).orderedBy("/user", 8);
        var created = fx.createPipeline("""
            import os, random, time
            def handler(data, log):
                if data.get("crash") and not os.path.exists(data["crash"]):
                    open(data["crash"], "w").close()
                    os._exit(3)
                if data.get("fail"):
                    raise ValueError("refused " + data["user"] + " " + str(data["n"]))
                time.sleep(random.random() * 0.01)
                return {"user": data["user"], "n": data["n"], "pid": os.getpid()}
            """, settings);
        assertThat(created.built()).as(created.buildLog()).isTrue();
        var id = created.id();
        EngineFixture.await(Duration.ofSeconds(30), "runners in both engines",
            () -> fx.engine().status().containsKey(id) && other.status().containsKey(id)
                && fx.engine().status().get(id).replicas() + other.status().get(id).replicas() == 4);

        var random = new Random(42);
        var counters = new int[KEYS];
        var events = new ArrayList<String>();
        for (int i = 0; i < EVENTS; i++) {
            int user = random.nextInt(KEYS);
            int n = counters[user]++;
            var crash = user == 3 && n == 5 ? ",\"crash\":\"" + marker + "\"" : "";
            var fail = user == 5 && n == 7 ? ",\"fail\":true" : "";
            events.add("{\"user\":\"u" + user + "\",\"n\":" + n + crash + fail + "}");
        }
        for (int from = 0; from < EVENTS; from += 50) {
            var slice = events.subList(from, from + 50);
            fx.publish(id, slice.size(), slice::get);
        }

        var results = fx.takeResults(id, EVENTS - 1, Duration.ofSeconds(120));
        var dead = fx.takeDeadLetters(id, 1, Duration.ofSeconds(30));
        assertThat(EngineFixture.json(dead.get(0).payload()).path("n").asInt()).isEqualTo(7);
        var byUser = new HashMap<String, List<Integer>>();
        var pids = new HashSet<Integer>();
        for (var r : results) {
            var out = EngineFixture.json(r.response());
            byUser.computeIfAbsent(out.path("user").asText(), k -> new ArrayList<>()).add(out.path("n").asInt());
            pids.add(out.path("pid").asInt());
        }
        for (int user = 0; user < KEYS; user++) {
            var expected = new ArrayList<Integer>();
            for (int n = 0; n < counters[user]; n++) {
                if (user != 5 || n != 7) {
                    expected.add(n); // u5's event 7 raised: a dead letter, and its key went on without it
                }
            }
            assertThat(byUser.get("u" + user)).as("results of u" + user + " in output order").isEqualTo(expected);
        }
        assertThat(Files.exists(marker)).as("the crashing event ran and was retried").isTrue();
        assertThat(pids).as("worker processes that produced results").hasSizeGreaterThan(1);
        System.out.println("ordering: " + (EVENTS - 1) + " results and 1 dead letter of " + EVENTS + " events of " + KEYS + " keys in order through " + pids.size()
            + " worker processes in 2 engines; per key " + summary(byUser));
        fx.assertNothingMore(id);
    }

    private static String summary(Map<String, List<Integer>> byUser) {
        return byUser.values().stream().mapToInt(List::size).summaryStatistics().toString();
    }
}

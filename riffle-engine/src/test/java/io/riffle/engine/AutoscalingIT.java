package io.riffle.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.core.PipelineSettings;
import java.time.Duration;
import java.util.HashSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler against real NATS, PostgreSQL and CPython: runners follow the backlog up, stop when the pipeline
 * is idle, and the next published event wakes the pipeline without polling.
 */
class AutoscalingIT {
    private static EngineFixture fx;

    @BeforeAll
    static void start() {
        fx = new EngineFixture();
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void scalesWithTheBacklogThenToZeroAndWakesOnTheNextEvent() {
        var settings = new PipelineSettings(0, 3, 20, Duration.ofMillis(500), Duration.ofSeconds(2),
            Duration.ofSeconds(10), 3, 10, PipelineSettings.DEFAULT_MEMORY_LIMIT_MB);
        var created = fx.createPipeline("""
            import time
            def handler(data, log):
                time.sleep(0.02)
                return data
            """, settings);
        var id = created.id();
        var engine = fx.engine();
        EngineFixture.await(Duration.ofSeconds(20), "the pipeline is deployed at zero runners",
            () -> engine.status().containsKey(id));
        assertThat(engine.status().get(id).replicas()).isZero();

        fx.publishIds(id, 300);
        EngineFixture.await(Duration.ofSeconds(20), "more than one runner",
            () -> engine.status().get(id).replicas() > 1);
        var results = fx.takeResults(id, 300, Duration.ofSeconds(60));
        assertThat(new HashSet<>(results.stream().map(r -> r.sequence()).toList())).hasSize(300);

        EngineFixture.await(Duration.ofSeconds(30), "back to zero runners after the idle timeout",
            () -> engine.status().get(id).replicas() == 0);
        var events = engine.scaleEvents(id);
        assertThat(events).anySatisfy(e -> assertThat(e.reason()).contains("backlog"));
        assertThat(events.get(events.size() - 1).reason()).contains("idle");
        assertThat(events.stream().mapToInt(ScaleEvent::to).max().orElse(0)).isBetween(2, 3);

        long woke = System.nanoTime();
        fx.publishIds(id, 1);
        var again = fx.takeResults(id, 1, Duration.ofSeconds(20));
        long wakeMillis = (System.nanoTime() - woke) / 1_000_000;
        System.out.println("wake from zero to first result: " + wakeMillis + " ms");
        assertThat(again).hasSize(1);
        assertThat(engine.scaleEvents(id).get(engine.scaleEvents(id).size() - 1).reason())
            .contains("arrived while at zero");
    }
}

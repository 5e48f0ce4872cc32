package io.riffle.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.riffle.core.PipelineSettings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final PipelineSettings AUTO = new PipelineSettings(0, 4, 100, Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(30), 3, 100, 0);

    private static Autoscaler.Observation lag(long pending, long ackPending, long lastSeq, long processed) {
        return new Autoscaler.Observation(pending, ackPending, lastSeq, processed);
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void scalesUpAtOnceWithTheBacklog() {
        var state = new Autoscaler.State(0, T0);
        var d = Autoscaler.decide(AUTO, state, lag(250, 0, 250, 0), at(1));
        assertThat(d.replicas()).isEqualTo(3);
        assertThat(d.reason()).contains("backlog 250");
    }

    @Test
    void neverGoesAboveTheMaximum() {
        var state = new Autoscaler.State(1, T0);
        assertThat(Autoscaler.decide(AUTO, state, lag(100_000, 0, 100_000, 0), at(1)).replicas()).isEqualTo(4);
    }

    @Test
    void oneEventWakesAPipelineAtZero() {
        var state = new Autoscaler.State(0, T0);
        assertThat(Autoscaler.decide(AUTO, state, lag(1, 0, 1, 0), at(1)).replicas()).isEqualTo(1);
    }

    @Test
    void scalesDownOnlyAfterTheCooldown() {
        var state = new Autoscaler.State(0, T0);
        Autoscaler.decide(AUTO, state, lag(400, 0, 400, 0), at(0));
        assertThat(state.replicas).isEqualTo(4);
        assertThat(Autoscaler.decide(AUTO, state, lag(50, 50, 400, 300), at(10)).replicas()).isEqualTo(4);
        var later = Autoscaler.decide(AUTO, state, lag(50, 50, 400, 350), at(31));
        assertThat(later.replicas()).isEqualTo(1);
        assertThat(later.reason()).contains("cooldown");
    }

    @Test
    void goesToZeroOnlyAfterTheIdleTimeout() {
        var state = new Autoscaler.State(0, T0);
        Autoscaler.decide(AUTO, state, lag(10, 0, 10, 0), at(0));
        assertThat(Autoscaler.decide(AUTO, state, lag(0, 0, 10, 10), at(5)).replicas()).isEqualTo(1);
        assertThat(Autoscaler.decide(AUTO, state, lag(0, 0, 10, 10), at(59)).replicas()).isEqualTo(1);
        var idle = Autoscaler.decide(AUTO, state, lag(0, 0, 10, 10), at(61));
        assertThat(idle.replicas()).isZero();
        assertThat(idle.reason()).contains("idle");
    }

    @Test
    void newArrivalsCountAsActivityEvenWithoutBacklog() {
        var state = new Autoscaler.State(0, T0);
        Autoscaler.decide(AUTO, state, lag(10, 0, 10, 0), at(0));
        for (int s = 10; s <= 120; s += 10) {
            Autoscaler.decide(AUTO, state, lag(0, 0, 10 + s, 10 + s), at(s));
        }
        assertThat(state.replicas).isEqualTo(1);
    }

    @Test
    void aMissingObservationKeepsTheCurrentCount() {
        var state = new Autoscaler.State(2, T0);
        var d = Autoscaler.decide(AUTO, state, null, at(100));
        assertThat(d.replicas()).isEqualTo(2);
        assertThat(d.reason()).isNull();
    }

    @Test
    void aSlowFunctionGetsReplicasFromTheArrivalRateBeforeTheBacklogGrows() {
        var state = new Autoscaler.State(1, T0);
        var slow = new PipelineSettings(0, 8, 10_000, Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(30), 3, 100, 0);
        Autoscaler.decide(slow, state, lag(10, 5, 1_000, 0), at(0));
        // one runner finished 50 events/s while 200 events/s arrived: four runners keep up
        var d = Autoscaler.decide(slow, state, lag(140, 10, 1_200, 50), at(1));
        assertThat(d.replicas()).isEqualTo(4);
        assertThat(d.reason()).contains("200 events/s");
    }

    @Test
    void fixedSettingsNeverChange() {
        var fixed = new PipelineSettings(2, Duration.ofSeconds(30), 3, 100, 0);
        var state = new Autoscaler.State(2, T0);
        assertThat(Autoscaler.decide(fixed, state, lag(100_000, 0, 100_000, 0), at(1)).replicas()).isEqualTo(2);
        assertThat(Autoscaler.decide(fixed, state, lag(0, 0, 100_000, 0), at(1_000)).replicas()).isEqualTo(2);
    }

    @Test
    void orderedPipelinesGetAtMostOneRunnerPerPartition() {
        var ordered = AUTO.orderedBy("/user_id", 2);
        var state = new Autoscaler.State(0, T0);
        assertThat(Autoscaler.decide(ordered, state, lag(100_000, 0, 100_000, 0), at(1)).replicas()).isEqualTo(2);
        var fixedAbove = ordered.withReplicas(3, 3);
        assertThat(Autoscaler.decide(fixedAbove, new Autoscaler.State(0, T0), lag(0, 0, 0, 0), at(1)).replicas())
            .isEqualTo(2);
    }
}

package io.riffle.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SharesTest {
    private static final List<String> THREE = List.of("a", "b", "c");

    private static int total(int desired, String pipeline, List<String> live) {
        return live.stream().mapToInt(w -> Shares.of(desired, pipeline, live, w)).sum();
    }

    @Test
    void theSharesAddUpToTheDesiredCount() {
        for (int desired = 0; desired <= 10; desired++) {
            assertThat(total(desired, "p1", THREE)).isEqualTo(desired);
        }
    }

    @Test
    void sharesDifferByAtMostOne() {
        var shares = THREE.stream().map(w -> Shares.of(7, "p1", THREE, w)).toList();
        assertThat(shares).allMatch(s -> s == 2 || s == 3);
    }

    @Test
    void singleRunnerPipelinesSpreadOverTheEngines() {
        var owners = IntStream.range(0, 60).mapToObj(i -> "pipeline-" + i)
            .map(p -> THREE.stream().filter(w -> Shares.of(1, p, THREE, w) == 1).findFirst().orElseThrow())
            .distinct().toList();
        assertThat(owners).hasSize(3);
    }

    @Test
    void whenAnEngineLeavesTheOthersCarryItsShare() {
        var two = List.of("a", "c");
        assertThat(total(5, "p1", two)).isEqualTo(5);
        assertThat(Shares.of(5, "p1", two, "b")).as("an engine not yet listed counts itself in").isBetween(1, 2);
    }

    @Test
    void onlyAutoscalingEnginesThatRunAPipelineShareItsRunners() {
        var live = List.of(
            new io.riffle.broker.WorkerRegistry.Entry("pool", java.util.Set.of(), 0),
            new io.riffle.broker.WorkerRegistry.Entry("only-a", java.util.Set.of("a"), 0),
            new io.riffle.broker.WorkerRegistry.Entry("keda-a", java.util.Set.of("a"), 1),
            new io.riffle.broker.WorkerRegistry.Entry("only-b", java.util.Set.of("b", "c"), 0));
        assertThat(Shares.eligible(live, "a")).containsExactly("only-a", "pool");
        assertThat(Shares.eligible(live, "b")).containsExactly("only-b", "pool");
        assertThat(Shares.eligible(live, "z")).containsExactly("pool");
        var eligible = Shares.eligible(live, "a");
        assertThat(eligible.stream().mapToInt(w -> Shares.of(5, "a", eligible, w)).sum()).isEqualTo(5);
    }
}

package io.riffle.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkerRegistryEntryTest {
    @Test
    void entriesRoundTripAndOlderValuesMeanEveryPipelineAutoscaled() {
        var entry = new WorkerRegistry.Entry("w1", Set.of("p2", "p1"), 1);
        var back = WorkerRegistry.Entry.decode("w1", entry.encode());
        assertThat(back).isEqualTo(entry);
        assertThat(back.accepts("p1")).isTrue();
        assertThat(back.accepts("p3")).isFalse();
        var all = WorkerRegistry.Entry.decode("w2", new WorkerRegistry.Entry("w2", Set.of(), 0).encode());
        assertThat(all.pipelines()).isEmpty();
        assertThat(all.accepts("anything")).isTrue();
        var older = WorkerRegistry.Entry.decode("w3", "2026-11-26T08:00:00Z");
        assertThat(older).isEqualTo(new WorkerRegistry.Entry("w3", Set.of(), 0));
    }
}

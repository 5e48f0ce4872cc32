package io.riffle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {
    @Test
    void nearestRankPercentilesOfOneToHundred() {
        var samples = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray();
        var l = Latencies.of(samples);
        assertThat(l.p50Nanos()).isEqualTo(50);
        assertThat(l.p99Nanos()).isEqualTo(99);
        assertThat(l.maxNanos()).isEqualTo(100);
        assertThat(l.count()).isEqualTo(100);
    }

    @Test
    void percentileRoundsTheRankUp() {
        long[] sorted = {10, 20, 30};
        assertThat(Latencies.percentile(sorted, 50)).isEqualTo(20);
        assertThat(Latencies.percentile(sorted, 99)).isEqualTo(30);
        assertThat(Latencies.percentile(sorted, 100)).isEqualTo(30);
        assertThat(Latencies.percentile(sorted, 1)).isEqualTo(10);
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        var l = Latencies.of(new long[] {7_000_000});
        assertThat(l.p50Millis()).isEqualTo(7.0);
        assertThat(l.p99Millis()).isEqualTo(7.0);
        assertThat(l.maxMillis()).isEqualTo(7.0);
    }

    @Test
    void doesNotReorderTheCallersSamples() {
        long[] samples = {3, 1, 2};
        Latencies.of(samples);
        assertThat(samples).containsExactly(3, 1, 2);
    }

    @Test
    void refusesNoSamplesAndBadPercentiles() {
        assertThatThrownBy(() -> Latencies.of(new long[0])).hasMessageContaining("no latency samples");
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 101)).hasMessageContaining("(0, 100]");
    }
}

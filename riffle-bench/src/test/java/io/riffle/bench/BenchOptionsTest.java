package io.riffle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void defaultsRunEverythingWithTheLaunchersJvmFlags() {
        var o = BenchOptions.parse();
        assertThat(o.selected("B5")).isTrue();
        assertThat(o.eventCount()).isEqualTo(BenchOptions.DEFAULT_EVENTS);
        assertThat(o.jvmOpts()).isEqualTo(BenchOptions.LAUNCHER_JVM_OPTS);
        assertThat(o.out()).isNull();
    }

    @Test
    void parsesEveryOption() {
        var o = BenchOptions.parse("--only", "b1, B3", "--quick", "--events", "5000", "--out", "x/bench.md",
            "--jvm-opts", "-Xmx512m -XX:+UseG1GC", "--jfr", "r.jfr");
        assertThat(o.only()).containsExactlyInAnyOrder("B1", "B3");
        assertThat(o.selected("B2")).isFalse();
        assertThat(o.quick()).isTrue();
        assertThat(o.eventCount()).isEqualTo(5000);
        assertThat(o.out()).isEqualTo(Path.of("x/bench.md"));
        assertThat(o.jvmOpts()).containsExactly("-Xmx512m", "-XX:+UseG1GC");
        assertThat(o.jfr()).isEqualTo(Path.of("r.jfr"));
    }

    @Test
    void quickUsesSmallCounts() {
        assertThat(BenchOptions.parse("--quick").eventCount()).isEqualTo(BenchOptions.QUICK_EVENTS);
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> BenchOptions.parse("--only", "B9")).hasMessageContaining("unknown benchmark 'B9'");
        assertThatThrownBy(() -> BenchOptions.parse("--events", "-3")).hasMessageContaining("positive");
        assertThatThrownBy(() -> BenchOptions.parse("--out")).hasMessageContaining("--out needs a value");
        assertThatThrownBy(() -> BenchOptions.parse("--fast")).hasMessageContaining("unknown option '--fast'");
    }

    @Test
    void b2BringsItsBaseline() {
        var ids = Bench.selected(BenchOptions.parse("--only", "B2")).stream().map(Benchmark::id).toList();
        assertThat(ids).containsExactly("B1", "B2");
    }
}

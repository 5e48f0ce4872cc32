package io.riffle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riffle.core.InvalidInputException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppConfigEngineTest {
    @Test
    void workerPipelinesAndRunnersComeFromTheEnvironment() {
        var all = AppConfig.engine(Map.of());
        assertThat(all.pipelines()).isEmpty();
        assertThat(all.fixedRunners()).isZero();
        assertThat(all.accepts("anything")).isTrue();
        var one = AppConfig.engine(Map.of("RIFFLE_WORKER_PIPELINES", " p-1 ,p_2,, ", "RIFFLE_WORKER_RUNNERS", "1"));
        assertThat(one.pipelines()).isEqualTo(Set.of("p-1", "p_2"));
        assertThat(one.fixedRunners()).isEqualTo(1);
        assertThat(one.accepts("p-1")).isTrue();
        assertThat(one.accepts("p-3")).isFalse();
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> AppConfig.engine(Map.of("RIFFLE_WORKER_PIPELINES", "a b")))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("RIFFLE_WORKER_PIPELINES")
            .hasMessageContaining("'a b'");
        assertThatThrownBy(() -> AppConfig.engine(Map.of("RIFFLE_WORKER_RUNNERS", "65")))
            .hasMessageContaining("RIFFLE_WORKER_RUNNERS");
    }
}

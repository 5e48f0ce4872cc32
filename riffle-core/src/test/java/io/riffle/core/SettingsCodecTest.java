package io.riffle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PipelineSettings read(String json) throws Exception {
        return SettingsCodec.read(JSON.readTree(json), PipelineSettings.DEFAULTS);
    }

    @Test
    void writtenSettingsReadBackEqual() throws Exception {
        var s = new PipelineSettings(1, 8, 250, Duration.ofSeconds(5), Duration.ofSeconds(20),
            Duration.ofMillis(1500), 2, 50, 512, 8);
        assertThat(SettingsCodec.read(SettingsCodec.write(s), PipelineSettings.DEFAULTS)).isEqualTo(s);
    }

    @Test
    void absentFieldsKeepTheBaseAndReplicasFixesTheCount() throws Exception {
        var s = read("{\"replicas\": 3, \"async_concurrency\": 16}");
        assertThat(s.minReplicas()).isEqualTo(3);
        assertThat(s.maxReplicas()).isEqualTo(3);
        assertThat(s.fixed()).isTrue();
        assertThat(s.asyncConcurrency()).isEqualTo(16);
        assertThat(s.eventTimeout()).isEqualTo(PipelineSettings.DEFAULT_EVENT_TIMEOUT);
        assertThat(read("{}")).isEqualTo(PipelineSettings.DEFAULTS);
    }

    @Test
    void badValuesNameTheSetting() {
        assertThatThrownBy(() -> read("{\"async_concurrency\": 0}")).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("async_concurrency");
        assertThatThrownBy(() -> read("{\"max_replicas\": \"two\"}")).hasMessageContaining("settings.max_replicas");
        assertThatThrownBy(() -> read("{\"min_replicas\": 5, \"max_replicas\": 2}"))
            .hasMessageContaining("min_replicas (5) must not exceed max_replicas (2)");
        assertThatThrownBy(() -> read("[]")).hasMessageContaining("settings must be a JSON object");
    }
}

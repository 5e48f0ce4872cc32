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

    @Test
    void orderingByKeyRoundTripsAndOrderingNoneClearsTheKey() throws Exception {
        var ordered = read("{\"ordering\": \"key\", \"ordering_key\": \"/user/id\", \"partitions\": 8}");
        assertThat(ordered.orderedByKey()).isTrue();
        assertThat(ordered.orderingKey()).isEqualTo("/user/id");
        assertThat(ordered.partitions()).isEqualTo(8);
        assertThat(SettingsCodec.read(SettingsCodec.write(ordered), PipelineSettings.DEFAULTS)).isEqualTo(ordered);
        assertThat(SettingsCodec.read(JSON.readTree("{\"batch_size\": 5}"), ordered).orderingKey())
            .isEqualTo("/user/id");
        var cleared = SettingsCodec.read(JSON.readTree("{\"ordering\": \"none\"}"), ordered);
        assertThat(cleared.ordering()).isEqualTo(Ordering.NONE);
        assertThat(cleared.orderingKey()).isNull();
        assertThat(ordered.routingDiffers(cleared)).isTrue();
        assertThat(ordered.routingDiffers(ordered.withReplicas(2, 3))).isFalse();
        assertThat(PipelineSettings.DEFAULTS.routingDiffers(PipelineSettings.DEFAULTS.withReplicas(1, 1))).isFalse();
    }

    @Test
    void badOrderingNamesTheFieldAndTheValue() {
        assertThatThrownBy(() -> read("{\"ordering\": \"fifo\"}")).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("settings.ordering").hasMessageContaining("fifo");
        assertThatThrownBy(() -> read("{\"ordering\": \"key\"}")).hasMessageContaining("ordering_key is required");
        assertThatThrownBy(() -> read("{\"ordering\": \"key\", \"ordering_key\": \"user_id\"}"))
            .hasMessageContaining("JSON pointer").hasMessageContaining("user_id");
        assertThatThrownBy(() -> read("{\"ordering_key\": \"/user_id\"}")).hasMessageContaining("needs ordering");
        assertThatThrownBy(() -> read("{\"ordering\": \"key\", \"ordering_key\": \"/u\", \"partitions\": 0}"))
            .hasMessageContaining("partitions must be between 1 and 256; got 0");
    }
}

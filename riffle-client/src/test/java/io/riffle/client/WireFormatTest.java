package io.riffle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    @Test
    void readsSnakeCaseAnswersIntoRecordsIgnoringUnknownFields() {
        var json = """
            {"id":"p1","name":"n","space_id":"s1","space_name":"main","state":"running",
             "created_at":"2025-01-02T03:04:05.123Z","metadata":{},"source_connector":null,"sink_connector":null,
             "environments":[{"name":"A","value":"1"}],
             "settings":{"min_replicas":2,"max_replicas":4,"lag_per_replica":500,"cooldown_ms":30000,
               "idle_timeout_ms":60000,"timeout_ms":30000,"max_retries":3,"batch_size":1,"memory_limit_mb":256},
             "function":{"active_version":1,"active_status":"ready","latest_version":2,"latest_status":"building"},
             "something_new":true}""";
        var p = Http.read(json.getBytes(StandardCharsets.UTF_8), PipelineDetails.class);
        assertThat(p.spaceId()).isEqualTo("s1");
        assertThat(p.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05.123Z"));
        assertThat(p.environments()).containsExactly(new EnvVar("A", "1"));
        assertThat(p.settings()).isEqualTo(new PipelineSettings(null, 2, 4, 500, 30_000L, 60_000L, 30_000L, 3, 1, 256));
        assertThat(p.function().latestStatus()).isEqualTo("building");
    }

    @Test
    void writesRequestsInSnakeCaseWithoutNullFields() {
        var body = new String(Http.write(PipelineUpdate.NONE.withName("x")
            .withSettings(PipelineSettings.fixedReplicas(3))
            .withEnvironments(List.of(new EnvVar("K", "V")))), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"name\":\"x\",\"environments\":[{\"name\":\"K\",\"value\":\"V\"}],"
            + "\"settings\":{\"replicas\":3}}");
    }

    @Test
    void serverAddressesAreNormalisedToTheV1Base() {
        assertThat(RiffleClient.Builder.apiBase("http://127.0.0.1:8080").toString())
            .isEqualTo("http://127.0.0.1:8080/v1/");
        assertThat(RiffleClient.Builder.apiBase("https://riffle.example.com/v1/").toString())
            .isEqualTo("https://riffle.example.com/v1/");
        assertThatThrownBy(() -> RiffleClient.Builder.apiBase("localhost:8080"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://");
    }
}

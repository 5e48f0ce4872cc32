package io.riffle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectorStatusLineTest {
    @Test
    void showsKindStateEngineCountsAndTheLastError() throws Exception {
        var retrying = Json.MAPPER.readTree("{\"kind\":\"webhook\",\"state\":\"retrying\",\"engine\":\"h-1-ab\","
            + "\"delivered\":10,\"rejected\":2,\"last_error\":\"POST http://x answered 503\","
            + "\"last_error_at\":\"2025-01-01T00:00:00Z\"}");
        assertThat(PipelineCommand.connectorLine("sink", retrying)).isEqualTo("sink:           webhook retrying on "
            + "h-1-ab (delivered 10, rejected 2); last error at 2025-01-01T00:00:00Z: POST http://x answered 503");
        var starting = Json.MAPPER.readTree("{\"kind\":\"nats\",\"state\":\"starting\"}");
        assertThat(PipelineCommand.connectorLine("source", starting))
            .isEqualTo("source:         nats starting (delivered 0, rejected 0)");
    }
}

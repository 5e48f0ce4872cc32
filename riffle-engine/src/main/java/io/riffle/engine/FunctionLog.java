package io.riffle.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.broker.JetStreamBroker;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Writes the platform's own entries (crashes, load errors) into a pipeline's function log, in the same shape. */
final class FunctionLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JetStreamBroker broker;

    FunctionLog(JetStreamBroker broker) {
        this.broker = broker;
    }

    void error(String pipelineId, String message) {
        write(pipelineId, "ERROR", 500, message);
    }

    void info(String pipelineId, String message) {
        write(pipelineId, "INFO", 200, message);
    }

    private void write(String pipelineId, String level, int severity, String message) {
        var node = JSON.createObjectNode();
        node.put("level", level);
        node.put("severity_code", severity);
        node.put("timestamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        node.putObject("payload").put("message", message).put("source", "riffle");
        try {
            broker.appendLog(pipelineId, JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a log entry", e);
        }
    }
}

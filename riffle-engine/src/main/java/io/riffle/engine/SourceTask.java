package io.riffle.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.broker.ConnectorStreams;
import io.riffle.connectors.Source;
import io.riffle.connectors.SourceContext;
import io.riffle.connectors.SourceRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a pipeline's source: open, {@link Source#run}, and on failure record the error, back off and open it again.
 * Events that are not one JSON object become dead letters; the rest are stored in the input stream, waiting while it
 * is full.
 */
final class SourceTask extends ConnectorTask {
    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Duration FULL_WAIT = Duration.ofMillis(200);
    private final ConnectorStreams streams;
    private volatile Source source;

    SourceTask(String pipelineId, JsonNode connector, Parts parts, ConnectorStreams streams) {
        super(pipelineId, connector, io.riffle.connectors.Direction.SOURCE, parts);
        this.streams = streams;
    }

    @Override
    void attempt() throws Exception {
        var opened = resolve();
        try (var s = opened.factory().openSource(opened.config())) {
            source = s;
            if (!running()) {
                return;
            }
            s.run(new Context());
            if (running()) {
                throw new IllegalStateException("the source stopped reading");
            }
        } finally {
            source = null;
        }
    }

    @Override
    void interrupt() {
        var s = source;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                // closing to unblock; the loop's own close follows
            }
        }
    }

    /** Null when {@code payload} is one JSON object, else why not. */
    static String notAnObject(byte[] payload) {
        try {
            var node = JSON.readTree(payload);
            return node != null && node.isObject() ? null : "the event is not a JSON object (got "
                + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase(
                java.util.Locale.ROOT)) + ")";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "the event is not valid JSON: " + e.getOriginalMessage();
        } catch (IOException e) {
            return "the event is not valid JSON: " + e.getMessage();
        }
    }

    private final class Context implements SourceContext {
        @Override
        public void emit(List<SourceRecord> records) {
            var payloads = new ArrayList<byte[]>(records.size());
            var ids = new ArrayList<String>(records.size());
            for (var r : records) {
                var problem = notAnObject(r.payload());
                if (problem != null) {
                    streams.deadLetterSource(pipelineId, kind, r.payload(), problem, r.dedupeId());
                    state.rejected(1);
                    metrics.deadLetters(1);
                } else {
                    payloads.add(r.payload());
                    ids.add(r.dedupeId());
                }
            }
            int done = 0;
            while (done < payloads.size()) {
                if (!running()) {
                    throw new IllegalStateException("pipeline " + pipelineId + ": the source is stopping; "
                        + (payloads.size() - done) + " event(s) were not stored");
                }
                int n = streams.emit(pipelineId, kind, payloads.subList(done, payloads.size()),
                    ids.subList(done, ids.size()));
                done += n;
                state.delivered(n);
                metrics.events(n);
                if (done < payloads.size()) {
                    stoppedWithin(FULL_WAIT);
                }
            }
            succeeded();
        }

        @Override
        public boolean running() {
            return SourceTask.this.running();
        }

        @Override
        public void connected() {
            succeeded();
        }
    }
}

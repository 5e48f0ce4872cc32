package io.riffle.client;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;

/**
 * The data plane of one pipeline: publish events, consume results and dead letters. Obtained from
 * {@link RiffleClient#data}; thread-safe. Events are anything Jackson can write as a JSON object ({@code Map},
 * {@code JsonNode}, a record).
 */
public final class PipelineData {
    /** The most events the CLI puts in one batch; the server accepts up to 10,000 within its body limit. */
    public static final int DEFAULT_BATCH = 500;
    private final Http http;
    private final String base;

    PipelineData(Http http, String pipelineId) {
        this.http = http;
        this.base = Pipelines.path(pipelineId);
    }

    /** Publishes one event; answers after it is stored. */
    public PublishResult publish(Object event) {
        var response = http.data("POST", base + "/topics/input/events", Http.write(event), "application/json");
        return Http.read(response.body(), PublishResult.class);
    }

    /**
     * Publishes events with one round trip; each gets its own outcome.
     *
     * @throws RiffleClientException.TooManyRequests when nothing was stored because the input stream is full
     */
    public BatchResult publishBatch(List<?> events) {
        var out = new ByteArrayOutputStream();
        for (var e : events) {
            out.writeBytes(Http.write(e));
            out.write('\n');
        }
        return publishNdjson(out.toByteArray());
    }

    /** Publishes already-encoded events: NDJSON (one JSON object per line) or a JSON array. */
    public BatchResult publishNdjson(byte[] body) {
        var response = http.data("POST", base + "/topics/input/events/batch", body, "application/x-ndjson");
        return Http.read(response.body(), BatchResult.class);
    }

    /** Takes the next result of the function, or empty when none is waiting. */
    public Optional<ConsumedEvent> consume() {
        return take("output");
    }

    /** Takes the next dead letter (an event the function failed on), or empty when none is waiting. */
    public Optional<ConsumedEvent> consumeFailed() {
        return take("failed");
    }

    /** True when the access token is valid for this pipeline; false on 401. */
    public boolean validate() {
        try {
            http.data("GET", base + "/status/access_token", null, null);
            return true;
        } catch (RiffleClientException.Unauthorized e) {
            return false;
        }
    }

    private Optional<ConsumedEvent> take(String topic) {
        var response = http.data("POST", base + "/topics/" + topic + "/events/consume", null, null);
        if (response.statusCode() == 204 || response.body().length == 0) {
            return Optional.empty();
        }
        return Optional.of(Http.read(response.body(), ConsumedEvent.class));
    }
}

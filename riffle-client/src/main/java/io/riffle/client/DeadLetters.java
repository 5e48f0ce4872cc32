package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The dead letters of pipelines as a management resource: list them without taking them, replay them into the
 * input (after fixing the function), or purge them. Obtained from {@link RiffleClient#deadLetters()}; thread-safe.
 * To take dead letters one by one as GlassFlow's clients do, use {@link PipelineData#consumeFailed()}.
 */
public final class DeadLetters {
    /** The most dead letters one {@link #list} call returns. */
    public static final int MAX_LIMIT = 1000;
    /** The page size the server uses when none is given. */
    public static final int DEFAULT_LIMIT = 50;
    private final Http http;

    DeadLetters(Http http) {
        this.http = http;
    }

    /**
     * One page of dead letters, oldest first, without taking them.
     *
     * @param after a {@link DeadLetter#sequence()} to list the ones after it; 0 for the first page
     * @param limit 1 to {@link #MAX_LIMIT}
     * @throws IllegalArgumentException when {@code after} is negative or {@code limit} is out of range
     */
    public DeadLetterPage list(String pipelineId, long after, int limit) {
        if (after < 0) {
            throw new IllegalArgumentException("after must be a sequence number (0 or more); got " + after);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + "; got " + limit);
        }
        return http.call("GET", base(pipelineId) + "?after=" + after + "&limit=" + limit, null, DeadLetterPage.class);
    }

    /** The first page of dead letters ({@value #DEFAULT_LIMIT} at most). */
    public DeadLetterPage list(String pipelineId) {
        return list(pipelineId, 0, DEFAULT_LIMIT);
    }

    /**
     * Publishes the events of these dead letters to the pipeline's input again and removes the dead letters.
     *
     * @param sequences {@link DeadLetter#sequence()} values; 1 to 10,000 of them
     * @return how many were replayed (sequences that no longer exist are skipped)
     */
    public int replay(String pipelineId, List<Long> sequences) {
        if (sequences == null || sequences.isEmpty()) {
            throw new IllegalArgumentException("give at least one sequence to replay, or use replayAll");
        }
        return replayed(http.call("POST", base(pipelineId) + "/replay", Map.of("sequences", sequences),
            JsonNode.class));
    }

    /**
     * Publishes the events of every dead letter (up to 10,000 per call) to the pipeline's input again and removes
     * the dead letters.
     *
     * @return how many were replayed
     */
    public int replayAll(String pipelineId) {
        return replayed(http.call("POST", base(pipelineId) + "/replay", Map.of("all", true), JsonNode.class));
    }

    /**
     * Deletes every dead letter of the pipeline; their events are gone.
     *
     * @return how many were deleted
     */
    public long purge(String pipelineId) {
        return http.call("DELETE", base(pipelineId), null, JsonNode.class).path("purged").asLong();
    }

    private static int replayed(JsonNode answer) {
        return answer.path("replayed").asInt();
    }

    private static String base(String pipelineId) {
        return Pipelines.path(pipelineId) + "/dead_letters";
    }
}

package io.riffle.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.riffle.broker.ConnectorStatusBoard;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one running connector reports: state, counts and its last error, published to the {@link ConnectorStatusBoard}
 * on every change of state and periodically for the counts. Thread-safe.
 */
final class ConnectorState {
    enum State { STARTING, RUNNING, RETRYING, STOPPED }

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorState.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_CHARS = 2_000;
    private final ConnectorStatusBoard board;
    private final String pipelineId;
    private final String direction;
    private final String kind;
    private final String engine;
    private final Clock clock;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    ConnectorState(ConnectorStatusBoard board, String pipelineId, String direction, String kind, String engine,
                   Clock clock) {
        this.board = board;
        this.pipelineId = pipelineId;
        this.direction = direction;
        this.kind = kind;
        this.engine = engine;
        this.clock = clock;
    }

    void delivered(long n) {
        delivered.addAndGet(n);
    }

    void rejected(long n) {
        rejected.addAndGet(n);
    }

    long deliveredCount() {
        return delivered.get();
    }

    State state() {
        return state;
    }

    /** Working (connected, or a write went through): clears nothing of the last error but the state. */
    void running() {
        if (state != State.RUNNING) {
            state = State.RUNNING;
            publish();
        }
    }

    void failed(String error) {
        lastError = error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "…" : error;
        lastErrorAt = clock.instant();
        state = State.RETRYING;
        publish();
    }

    void stopped() {
        state = State.STOPPED;
        publish();
    }

    /** Writes the current status to the board; a failure is logged and retried at the next publish. */
    void publish() {
        var o = JSON.createObjectNode();
        o.put("kind", kind);
        o.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        o.put("engine", engine);
        o.put("delivered", delivered.get());
        o.put("rejected", rejected.get());
        o.put("last_error", lastError);
        o.put("last_error_at", lastErrorAt == null ? null : lastErrorAt.toString());
        o.put("updated_at", clock.instant().toString());
        try {
            board.put(pipelineId, direction, JSON.writeValueAsBytes(o));
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.debug("pipeline {}: {} status not stored: {}", pipelineId, direction, e.toString());
        }
    }
}

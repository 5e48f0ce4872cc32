package io.riffle.connectors;

import java.util.List;

/**
 * A running sink: delivers a pipeline's results to an external system. One instance is used by one thread.
 * Delivery is at least once: after a crash or a transient failure a batch is written again, so sinks that can
 * write idempotently do so (upsert by key, {@link SinkRecord#id()} as a message id).
 */
public interface Sink extends AutoCloseable {
    /**
     * Delivers {@code records} in order.
     *
     * @return the records the external system refused for good (bad data, HTTP 4xx, constraint violation); they
     *         become the sink's dead letters; the others count as delivered
     * @throws Exception on a transient failure (unreachable, timeout, 5xx): nothing counts as delivered and the
     *                   whole batch is retried with backoff
     */
    List<Rejection> write(List<SinkRecord> records) throws Exception;

    @Override
    void close();
}

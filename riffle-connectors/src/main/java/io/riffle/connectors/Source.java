package io.riffle.connectors;

/**
 * A running source: reads records from an external system and hands them to {@link SourceContext#emit}. One
 * instance runs on one thread. Delivery into Riffle is at least once: a source moves its position in the external
 * system (commits an offset, acks a message, confirms an LSN) only after {@code emit} returned, and gives each
 * record a stable {@link SourceRecord#dedupeId()} where the system has one, so a redelivery is stored once.
 */
public interface Source extends AutoCloseable {
    /**
     * Reads and emits until {@link SourceContext#running()} turns false, then returns. An exception means the
     * connection failed: the caller records it as the connector's status, closes this source, and opens a new one
     * after a backoff.
     */
    void run(SourceContext context) throws Exception;

    /** Releases connections; may be called from another thread to interrupt a blocked {@link #run}. */
    @Override
    void close();
}

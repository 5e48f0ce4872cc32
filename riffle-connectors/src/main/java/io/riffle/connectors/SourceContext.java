package io.riffle.connectors;

import java.util.List;

/** What a running {@link Source} can do with the pipeline it feeds. Thread-safe. */
public interface SourceContext {
    /**
     * Stores the records in the pipeline's input stream, in order, and returns once JetStream acknowledged every
     * one; only then may the source commit its position. Blocks while the input stream is full.
     *
     * @throws Exception when they could not be stored; nothing of the batch may be committed then
     */
    void emit(List<SourceRecord> records) throws Exception;

    /** False once the source should return from {@link Source#run}. */
    boolean running();

    /** Reports that the source is connected and reading (clears an earlier error in the connector's status). */
    void connected();
}

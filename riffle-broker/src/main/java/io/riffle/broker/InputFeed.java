package io.riffle.broker;

import java.time.Duration;
import java.util.List;

/** A runner's subscription to a pipeline's input stream through the shared durable consumer. Not thread-safe. */
public interface InputFeed extends AutoCloseable {
    /**
     * Waits up to {@code wait} for the first event, then takes whatever else is already buffered, up to {@code max}.
     * Returns an empty list when nothing arrived.
     */
    List<InputEvent> next(int max, Duration wait);

    @Override
    void close();
}

package io.riffle.broker;

import java.time.Duration;
import java.util.List;

/**
 * A sink connector's view of a pipeline's output stream: its own durable pull consumer ({@code sink}), apart from
 * the consume API's. One thread uses a feed; close it to give back what the last pull still delivers.
 */
public interface SinkFeed extends AutoCloseable {
    /**
     * Up to {@code max} results, not yet acked: returns as soon as one is there, or empty after {@code wait}.
     *
     * @throws io.riffle.core.UnavailableException when NATS does not answer
     */
    List<Delivery> next(int max, Duration wait);

    @Override
    void close();

    /** One result handed to a sink. */
    interface Delivery {
        /** Its sequence in the output stream (stable across redeliveries). */
        long sequence();

        /** The result, JSON as the function returned it. */
        byte[] data();

        /** How many times it was delivered (1 the first time). */
        long deliveries();

        /** Done with it (delivered, or kept as a dead letter). */
        void ack();

        /** Not delivered: JetStream hands it out again. */
        void nak();

        /** Still working on it: resets the ack wait. */
        void inProgress();
    }
}

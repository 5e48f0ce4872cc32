package io.riffle.broker;

import java.time.Duration;
import java.time.Instant;

/** An event fetched by a runner from a pipeline's input stream; it must be acked or nak'ed. Not thread-safe. */
public interface InputEvent {
    /** Sequence in the input stream: stable across redeliveries. */
    long sequence();

    /** The event JSON as published. */
    byte[] data();

    String requestId();

    Instant receiveTime();

    String externalId();

    /** How many times JetStream has delivered it, this one included (1 on first delivery). */
    long deliveries();

    void ack();

    /** Asks for redelivery after {@code delay}. */
    void nak(Duration delay);

    /** Tells JetStream the event is still being worked on, resetting its ack timer. */
    void inProgress();
}

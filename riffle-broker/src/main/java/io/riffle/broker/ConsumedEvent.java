package io.riffle.broker;

import java.time.Instant;

/**
 * An event taken from a pipeline's output or failed stream.
 *
 * @param sequence     its sequence in that stream
 * @param payload      the input event JSON (null when it has aged out of the input stream)
 * @param response     the function's result JSON (null for a failed event)
 * @param requestId    the id given at publish
 * @param receiveTime  when the input was accepted
 * @param failed       true for a dead letter
 * @param errorDetails the error, for a dead letter
 * @param stackTrace   the Python traceback, for a dead letter
 * @param attempts     how many times the event was tried
 * @param stage        for a dead letter, where it failed: {@code function}, or {@code source}/{@code sink} for a
 *                     connector's (then {@code payload} is the record the connector could not store or deliver)
 */
public record ConsumedEvent(long sequence, byte[] payload, byte[] response, String requestId, Instant receiveTime,
                            String externalId, boolean failed, String errorDetails, String stackTrace, int attempts,
                            String stage) {
}

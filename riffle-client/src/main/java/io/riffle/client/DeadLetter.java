package io.riffle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An event the function failed on as often as the pipeline's {@code max_retries} allow, as listed by
 * {@link DeadLetters#list}: still stored, not taken.
 *
 * @param sequence     its position among the pipeline's dead letters; pass it to {@link DeadLetters#replay}, or as
 *                     {@code after} to list the next page
 * @param reqId        the request id the event was published with
 * @param payload      the event as published
 * @param status       {@code Failed}
 * @param response     the event that failed (GlassFlow's clients read it here)
 * @param errorDetails the exception, such as {@code ValueError: bad event 3}
 * @param stackTrace   the Python traceback, or null
 * @param attempts     how often the function was tried on it
 */
public record DeadLetter(long sequence, String reqId, Instant receiveTime, JsonNode payload,
                         ConsumedEvent.EventContext eventContext, String status, JsonNode response,
                         String errorDetails, String stackTrace, Integer attempts) {
}

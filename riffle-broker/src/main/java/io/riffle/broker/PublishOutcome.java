package io.riffle.broker;

/**
 * What happened to one published event.
 *
 * @param sequence  its sequence in the input stream (0 when refused)
 * @param requestId the id that follows the event to its result ({@code event_context.request_id})
 * @param duplicate true when an earlier publish with the same idempotency key was stored instead
 * @param error     null when stored; otherwise why it was refused
 */
public record PublishOutcome(long sequence, String requestId, boolean duplicate, String error) {
    public boolean accepted() {
        return error == null;
    }
}

package io.riffle.client;

import java.util.List;

/** The outcome of a batch publish, one {@link Item} per event in the order sent. */
public record BatchResult(int accepted, int rejected, List<Item> results) {
    public BatchResult {
        results = results == null ? List.of() : List.copyOf(results);
    }

    /** One event's outcome: a request id, or an error saying why it was not stored. */
    public record Item(int index, String requestId, boolean duplicate, String error) {
        public boolean ok() {
            return error == null;
        }
    }
}

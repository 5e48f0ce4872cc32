package io.riffle.runtime;

import java.util.List;

/** What the handler made of one event. */
public sealed interface EventOutcome {
    /** Zero (filtered out: the handler returned None), one, or many (a generator) JSON-encoded results. */
    record Results(List<byte[]> values) implements EventOutcome {
        public Results {
            values = List.copyOf(values);
        }
    }

    /**
     * The handler raised, or its result could not be used (not JSON-serialisable, too large).
     *
     * @param errorType Python exception class name, e.g. {@code ValueError}
     * @param message   one line for people: {@code ValueError: bad input}
     * @param traceback the formatted Python traceback (may be empty)
     */
    record Failure(String errorType, String message, String traceback) implements EventOutcome {
    }
}

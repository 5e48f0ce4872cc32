package io.riffle.core;

import java.util.Locale;

/** Whether a pipeline keeps the publish order of events with the same key. */
public enum Ordering {
    /** No order promise: any runner takes any event (the fastest). */
    NONE,
    /**
     * Events with the same value at the pipeline's {@code ordering_key} (a JSON pointer) are processed one after the
     * other, in publish order, across every runner and engine.
     */
    KEY;

    /** The wire name: {@code none} or {@code key}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire name.
     *
     * @throws InvalidInputException naming the field and the bad value
     */
    public static Ordering parse(String text) {
        for (var o : values()) {
            if (o.wire().equals(text)) {
                return o;
            }
        }
        throw new InvalidInputException("settings.ordering must be \"none\" or \"key\"; got \"" + text + "\"");
    }
}

package io.riffle.core;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A stored secret as listed: its key and when it was last set. Values are never part of this record.
 */
public record Secret(String key, Instant createdAt, Instant updatedAt) {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]{1,128}");

    /** @throws InvalidInputException unless {@code key} matches {@code [A-Za-z0-9_]{1,128}} */
    public static String requireKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidInputException("secret key must match [A-Za-z0-9_]+ (at most 128 characters); got '"
                + key + "'");
        }
        return key;
    }
}

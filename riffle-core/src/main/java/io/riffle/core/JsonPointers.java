package io.riffle.core;

import com.fasterxml.jackson.core.JsonPointer;

/** Checks the JSON pointers (RFC 6901) users give, such as {@code ordering_key}. */
public final class JsonPointers {
    private JsonPointers() {
    }

    /**
     * The compiled pointer.
     *
     * @throws InvalidInputException naming the setting and the bad value when it is not a pointer to a member
     */
    public static JsonPointer require(String pointer) {
        if (pointer == null || !pointer.startsWith("/") || pointer.length() > 256) {
            throw new InvalidInputException("ordering_key must be a JSON pointer such as \"/user_id\" (starting with "
                + "/, at most 256 characters); got \"" + pointer + "\"");
        }
        try {
            return JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("ordering_key \"" + pointer + "\" is not a JSON pointer: "
                + e.getMessage());
        }
    }
}

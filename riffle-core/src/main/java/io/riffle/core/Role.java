package io.riffle.core;

import java.util.Locale;

/** A member's role in a space, weakest first. */
public enum Role {
    VIEWER, EDITOR, OWNER;

    /** True when this role grants at least what {@code other} grants. */
    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The wire name, as GlassFlow's {@code permission} field spells it. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("role must be one of owner, editor, viewer; got '" + value + "'");
        }
    }
}

package io.riffle.core;

/** A member of a space: the user and their role in it. */
public record Member(String userId, String email, String name, Role role) {
}

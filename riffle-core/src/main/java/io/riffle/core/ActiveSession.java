package io.riffle.core;

/** A live browser session and its user. */
public record ActiveSession(User user, WebSession session) {
}

package io.riffle.core;

/** A space as one user sees it: the space and the user's role in it. */
public record SpaceMembership(Space space, Role role) {
}

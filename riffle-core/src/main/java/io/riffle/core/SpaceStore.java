package io.riffle.core;

import java.util.List;
import java.util.Optional;

/** Spaces and their members. Implementations are thread-safe. */
public interface SpaceStore {
    /** Creates a space with {@code ownerUserId} as its owner. */
    Space create(String name, String ownerUserId);

    /** The space as {@code user} sees it; empty when it does not exist or the user is no member (admins see all as owner). */
    Optional<SpaceMembership> find(String spaceId, User user);

    /** Every space {@code user} is a member of (every space for admins), oldest first. */
    List<SpaceMembership> list(User user);

    /**
     * Deletes an empty space.
     *
     * @throws ConflictException when the space still holds pipelines
     * @throws NotFoundException when it does not exist
     */
    void delete(String spaceId);

    /** Members of a space, owners first, then by email. Empty when the space does not exist. */
    List<Member> members(String spaceId);

    /**
     * Adds {@code userId} to the space with {@code role}.
     *
     * @throws ConflictException when the user is a member already
     * @throws NotFoundException when the space or the user does not exist
     */
    Member addMember(String spaceId, String userId, Role role);

    /**
     * Changes a member's role.
     *
     * @throws ConflictException when this would leave the space without an owner
     * @throws NotFoundException when the user is no member
     */
    Member setRole(String spaceId, String userId, Role role);

    /**
     * Removes a member.
     *
     * @throws ConflictException when this would leave the space without an owner
     * @throws NotFoundException when the user is no member
     */
    void removeMember(String spaceId, String userId);
}

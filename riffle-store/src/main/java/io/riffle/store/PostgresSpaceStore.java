package io.riffle.store;

import io.riffle.core.ConflictException;
import io.riffle.core.Member;
import io.riffle.core.NotFoundException;
import io.riffle.core.Role;
import io.riffle.core.Space;
import io.riffle.core.SpaceMembership;
import io.riffle.core.SpaceStore;
import io.riffle.core.Tokens;
import io.riffle.core.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link SpaceStore} over the {@code spaces} and {@code space_members} tables. */
final class PostgresSpaceStore implements SpaceStore {
    private static final String MEMBER_SELECT = """
        SELECT s.id, s.name, s.created_at, m.role FROM spaces s
        JOIN space_members m ON m.space_id = s.id AND m.user_id = ?""";
    private static final String ADMIN_SELECT = "SELECT s.id, s.name, s.created_at, 'owner' AS role FROM spaces s";
    private static final String ORDER = " ORDER BY s.created_at, s.id";

    private final Jdbc jdbc;
    private final Clock clock;

    PostgresSpaceStore(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Space create(String name, String ownerUserId) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ownerUserId, "ownerUserId");
        var space = new Space(Tokens.newId(), name, Jdbc.micros(clock.instant()));
        return jdbc.inTransaction(c -> {
            if (Jdbc.queryOne(c, "SELECT 1 FROM users WHERE id = ?", rs -> 1, ownerUserId).isEmpty()) {
                throw new NotFoundException("user " + ownerUserId + " not found");
            }
            Jdbc.update(c, "INSERT INTO spaces (id, name, created_at, created_by) VALUES (?, ?, ?, ?)",
                space.id(), space.name(), space.createdAt(), ownerUserId);
            Jdbc.update(c, "INSERT INTO space_members (space_id, user_id, role) VALUES (?, ?, ?)",
                space.id(), ownerUserId, Role.OWNER.wire());
            return space;
        });
    }

    @Override
    public Optional<SpaceMembership> find(String spaceId, User user) {
        if (user.admin()) {
            return jdbc.queryOne(ADMIN_SELECT + " WHERE s.id = ?", PostgresSpaceStore::membership, spaceId);
        }
        return jdbc.queryOne(MEMBER_SELECT + " WHERE s.id = ?", PostgresSpaceStore::membership, user.id(), spaceId);
    }

    @Override
    public List<SpaceMembership> list(User user) {
        if (user.admin()) {
            return jdbc.query(ADMIN_SELECT + ORDER, PostgresSpaceStore::membership);
        }
        return jdbc.query(MEMBER_SELECT + ORDER, PostgresSpaceStore::membership, user.id());
    }

    @Override
    public void delete(String spaceId) {
        jdbc.inTransaction(c -> {
            // The row lock conflicts with the key-share lock a concurrent pipeline insert takes on its space.
            if (Jdbc.queryOne(c, "SELECT 1 FROM spaces WHERE id = ? FOR UPDATE", rs -> 1, spaceId).isEmpty()) {
                throw new NotFoundException("space " + spaceId + " not found");
            }
            long pipelines = Jdbc.queryOne(c, "SELECT count(*) FROM pipelines WHERE space_id = ?",
                rs -> rs.getLong(1), spaceId).orElse(0L);
            if (pipelines > 0) {
                throw new ConflictException("space is not empty: delete its " + pipelines + " pipelines first");
            }
            return Jdbc.update(c, "DELETE FROM spaces WHERE id = ?", spaceId);
        });
    }

    private static SpaceMembership membership(ResultSet rs) throws SQLException {
        var space = new Space(rs.getString("id"), rs.getString("name"), Jdbc.instant(rs, "created_at"));
        return new SpaceMembership(space, Role.parse(rs.getString("role")));
    }

    @Override
    public List<Member> members(String spaceId) {
        return jdbc.query("SELECT u.id, u.email, u.name, m.role FROM space_members m JOIN users u ON u.id = m.user_id"
            + " WHERE m.space_id = ? ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END,"
            + " u.email", PostgresSpaceStore::member, spaceId);
    }

    @Override
    public Member addMember(String spaceId, String userId, Role role) {
        Objects.requireNonNull(role, "role");
        return jdbc.inTransaction(c -> {
            if (Jdbc.queryOne(c, "SELECT 1 FROM spaces WHERE id = ?", rs -> 1, spaceId).isEmpty()) {
                throw new NotFoundException("space " + spaceId + " not found");
            }
            if (Jdbc.queryOne(c, "SELECT 1 FROM space_members WHERE space_id = ? AND user_id = ?", rs -> 1, spaceId,
                userId).isPresent()) {
                throw new ConflictException("the user is a member of this space already; change their role instead");
            }
            Jdbc.update(c, "INSERT INTO space_members (space_id, user_id, role) VALUES (?, ?, ?)", spaceId, userId,
                role.wire());
            return member(c, spaceId, userId);
        });
    }

    @Override
    public Member setRole(String spaceId, String userId, Role role) {
        Objects.requireNonNull(role, "role");
        return jdbc.inTransaction(c -> {
            var current = lockMembers(c, spaceId, userId);
            if (current == Role.OWNER && role != Role.OWNER) {
                requireAnotherOwner(c, spaceId);
            }
            Jdbc.update(c, "UPDATE space_members SET role = ? WHERE space_id = ? AND user_id = ?", role.wire(),
                spaceId, userId);
            return member(c, spaceId, userId);
        });
    }

    @Override
    public void removeMember(String spaceId, String userId) {
        jdbc.inTransaction(c -> {
            if (lockMembers(c, spaceId, userId) == Role.OWNER) {
                requireAnotherOwner(c, spaceId);
            }
            return Jdbc.update(c, "DELETE FROM space_members WHERE space_id = ? AND user_id = ?", spaceId, userId);
        });
    }

    /** Locks the space's member rows (so two demotions cannot both see another owner) and returns the user's role. */
    private static Role lockMembers(Connection c, String spaceId, String userId) throws SQLException {
        var roles = Jdbc.query(c, "SELECT user_id, role FROM space_members WHERE space_id = ? FOR UPDATE",
            rs -> new String[] {rs.getString(1), rs.getString(2)}, spaceId);
        return roles.stream().filter(r -> r[0].equals(userId)).findFirst().map(r -> Role.parse(r[1]))
            .orElseThrow(() -> new NotFoundException("user '" + userId + "' is no member of space '" + spaceId + "'"));
    }

    private static void requireAnotherOwner(Connection c, String spaceId) throws SQLException {
        long owners = Jdbc.queryOne(c, "SELECT count(*) FROM space_members WHERE space_id = ? AND role = 'owner'",
            rs -> rs.getLong(1), spaceId).orElse(0L);
        if (owners <= 1) {
            throw new ConflictException("a space keeps at least one owner: make another member owner first");
        }
    }

    private static Member member(Connection c, String spaceId, String userId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT u.id, u.email, u.name, m.role FROM space_members m JOIN users u"
                + " ON u.id = m.user_id WHERE m.space_id = ? AND m.user_id = ?", PostgresSpaceStore::member, spaceId,
            userId).orElseThrow(() -> new NotFoundException("user '" + userId + "' not found"));
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getString(1), rs.getString(2), rs.getString(3), Role.parse(rs.getString(4)));
    }
}

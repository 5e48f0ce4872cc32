package io.riffle.store;

import io.riffle.core.ConflictException;
import io.riffle.core.NotFoundException;
import io.riffle.core.Role;
import io.riffle.core.Space;
import io.riffle.core.SpaceMembership;
import io.riffle.core.SpaceStore;
import io.riffle.core.Tokens;
import io.riffle.core.User;
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
}

package io.riffle.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.riffle.core.AuditEntry;
import io.riffle.core.AuditLog;
import io.riffle.core.AuditQuery;
import io.riffle.core.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@link AuditLog} over {@code audit_log}. */
final class PostgresAuditLog implements AuditLog {
    private final Jdbc jdbc;
    private final Clock clock;

    PostgresAuditLog(Jdbc jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void record(User actor, String action, String targetType, String targetId, String spaceId,
                       JsonNode details) {
        var json = Json.write(details);
        jdbc.update("INSERT INTO audit_log (at, actor_id, actor_email, action, target_type, target_id, space_id,"
                + " details) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)", clock.instant(),
            actor == null ? null : actor.id(), actor == null ? null : actor.email(), action, targetType, targetId,
            spaceId, json == null ? "{}" : json);
    }

    @Override
    public List<AuditEntry> forSpace(String spaceId, int limit) {
        return jdbc.query("SELECT id, at, actor_id, actor_email, action, target_type, target_id, space_id,"
            + " details::text AS details FROM audit_log WHERE space_id = ? ORDER BY id DESC LIMIT ?",
            PostgresAuditLog::entry, spaceId, limit);
    }

    @Override
    public List<AuditEntry> search(AuditQuery query) {
        var where = new StringBuilder(" WHERE true");
        var params = new ArrayList<Object>();
        if (query.spaceId() != null) {
            where.append(" AND space_id = ?");
            params.add(query.spaceId());
        }
        if (query.actor() != null) {
            where.append(" AND (actor_id = ? OR lower(actor_email) = lower(?))");
            params.add(query.actor());
            params.add(query.actor());
        }
        if (query.action() != null) {
            if (query.action().endsWith(".")) {
                where.append(" AND starts_with(action, ?)");
            } else {
                where.append(" AND action = ?");
            }
            params.add(query.action());
        }
        if (query.since() != null) {
            where.append(" AND at >= ?");
            params.add(query.since());
        }
        if (query.until() != null) {
            where.append(" AND at < ?");
            params.add(query.until());
        }
        if (query.beforeId() != null) {
            where.append(" AND id < ?");
            params.add(query.beforeId());
        }
        params.add(query.limit());
        return jdbc.query("SELECT id, at, actor_id, actor_email, action, target_type, target_id, space_id,"
            + " details::text AS details FROM audit_log" + where + " ORDER BY id DESC LIMIT ?",
            PostgresAuditLog::entry, params.toArray());
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), Jdbc.instant(rs, "at"), rs.getString("actor_id"),
            rs.getString("actor_email"), rs.getString("action"), rs.getString("target_type"),
            rs.getString("target_id"), rs.getString("space_id"), Json.read(rs.getString("details")));
    }
}

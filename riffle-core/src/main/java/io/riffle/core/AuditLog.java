package io.riffle.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Append-only record of changes. Thread-safe. */
public interface AuditLog {
    /** Appends an entry stamped with the current time; {@code details} may be null. */
    void record(User actor, String action, String targetType, String targetId, String spaceId, JsonNode details);

    /** The newest entries of a space first, at most {@code limit}. */
    List<AuditEntry> forSpace(String spaceId, int limit);

    /** Entries of the whole installation that match {@code query}, newest first. */
    List<AuditEntry> search(AuditQuery query);
}

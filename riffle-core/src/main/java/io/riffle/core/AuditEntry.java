package io.riffle.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One line of the audit log: who did what to which target, when.
 *
 * @param actorId    the user, or null for the system
 * @param action     e.g. {@code pipeline.create}, {@code member.update}
 * @param spaceId    the space the target belongs to, or null for installation-wide targets (secrets, tokens)
 * @param details    a JSON object with what changed; never secret values
 */
public record AuditEntry(long id, Instant at, String actorId, String actorEmail, String action, String targetType,
                         String targetId, String spaceId, JsonNode details) {
}

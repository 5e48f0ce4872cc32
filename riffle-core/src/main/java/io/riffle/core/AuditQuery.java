package io.riffle.core;

import java.time.Instant;

/**
 * A filter over the whole audit log, newest first. Every filter may be null (no filter).
 *
 * @param spaceId  entries of this space only
 * @param actor    entries by this user, given by id or email
 * @param action   an exact action ({@code pipeline.create}) or a family ending in a dot ({@code pipeline.})
 * @param since    at or after this time
 * @param until    before this time
 * @param beforeId entries with a smaller id only (the page token of the previous page)
 * @param limit    at most this many entries
 */
public record AuditQuery(String spaceId, String actor, String action, Instant since, Instant until, Long beforeId,
                         int limit) {
    public AuditQuery {
        if (limit < 1) {
            throw new InvalidInputException("limit must be 1 or more; got " + limit);
        }
    }
}

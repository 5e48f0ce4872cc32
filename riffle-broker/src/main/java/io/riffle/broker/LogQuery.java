package io.riffle.broker;

import java.time.Instant;

/**
 * A page request over a pipeline's function logs.
 *
 * @param pageSize    entries per page (1..1000)
 * @param pageToken   where to continue (the {@code next} of the previous page), or null from the start
 * @param minSeverity lowest severity code to include (100 debug, 200 info, 400 warning, 500 error)
 * @param start       earliest timestamp to include, or null
 * @param end         latest timestamp to include, or null
 */
public record LogQuery(int pageSize, String pageToken, int minSeverity, Instant start, Instant end) {
}

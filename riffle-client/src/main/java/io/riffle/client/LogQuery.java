package io.riffle.client;

import java.time.Instant;

/**
 * Which logs to read.
 *
 * @param pageSize     1..1000
 * @param pageToken    the {@code next} of a previous page, or null for the oldest
 * @param severityCode lowest severity to include: 100 debug, 200 info, 400 warning, 500 error
 * @param startTime    null = no lower bound
 * @param endTime      null = no upper bound
 */
public record LogQuery(int pageSize, String pageToken, int severityCode, Instant startTime, Instant endTime) {
    public static final int DEBUG = 100;
    public static final int INFO = 200;
    public static final int WARNING = 400;
    public static final int ERROR = 500;

    public LogQuery {
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be between 1 and 1000; got " + pageSize);
        }
    }

    /** 100 entries of every severity from the oldest. */
    public static LogQuery all() {
        return new LogQuery(100, null, DEBUG, null, null);
    }

    public LogQuery after(String token) {
        return new LogQuery(pageSize, token, severityCode, startTime, endTime);
    }
}

package io.riffle.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** {@code --since 10m|2h|1d|RFC3339}: a start time relative to now, or absolute. */
final class Since {
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhd])");

    private Since() {
    }

    static Instant parse(String text, Instant now) {
        var m = RELATIVE.matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            var d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new CliException("--since takes a duration such as 10m, 2h, 1d or an RFC 3339 time such as "
                + "2026-01-31T12:00:00Z; got '" + text + "'");
        }
    }
}

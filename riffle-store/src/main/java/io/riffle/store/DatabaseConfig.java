package io.riffle.store;

import io.riffle.core.InvalidInputException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Where the PostgreSQL database is and how many connections to keep.
 *
 * @param jdbcUrl     {@code jdbc:postgresql://...} ({@code RIFFLE_DATABASE_URL}); a {@code currentSchema} parameter
 *                    puts Riffle's tables in that schema
 * @param user        user name, or null when the URL carries it
 * @param password    password, or null when the URL carries it (or none is needed)
 * @param maxPoolSize most connections open at once (1..100)
 */
public record DatabaseConfig(String jdbcUrl, String user, String password, int maxPoolSize) {
    /** Connections in the pool unless configured otherwise: the server and workers mostly wait on NATS. */
    public static final int DEFAULT_MAX_POOL_SIZE = 8;
    private static final String PREFIX = "jdbc:postgresql:";
    private static final String SCHEMA_PARAMETER = "currentSchema=";

    public DatabaseConfig {
        if (jdbcUrl == null || !jdbcUrl.startsWith(PREFIX)) {
            throw new InvalidInputException("RIFFLE_DATABASE_URL must start with '" + PREFIX + "'; got '"
                + redact(jdbcUrl) + "'");
        }
        if (maxPoolSize < 1 || maxPoolSize > 100) {
            throw new InvalidInputException("database pool size must be between 1 and 100; got " + maxPoolSize);
        }
    }

    /** A config for {@code jdbcUrl} with credentials in the URL and the default pool size. */
    public static DatabaseConfig of(String jdbcUrl) {
        return new DatabaseConfig(jdbcUrl, null, null, DEFAULT_MAX_POOL_SIZE);
    }

    /** The schemas named by the URL's {@code currentSchema} parameter, first the default one; empty when unset. */
    public List<String> schemas() {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return List.of();
        }
        for (var parameter : jdbcUrl.substring(query + 1).split("&")) {
            if (parameter.startsWith(SCHEMA_PARAMETER)) {
                var value = URLDecoder.decode(parameter.substring(SCHEMA_PARAMETER.length()), StandardCharsets.UTF_8);
                return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            }
        }
        return List.of();
    }

    @Override
    public String toString() {
        return "DatabaseConfig[jdbcUrl=" + redact(jdbcUrl) + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
    }

    /** The URL without credentials: no user info, no query string (either may hold a password). */
    private static String redact(String url) {
        if (url == null) {
            return null;
        }
        var shown = url.replaceAll("//[^/@]*@", "//***@");
        int query = shown.indexOf('?');
        return query < 0 ? shown : shown.substring(0, query) + "?...";
    }
}

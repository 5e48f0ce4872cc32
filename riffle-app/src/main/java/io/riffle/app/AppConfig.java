package io.riffle.app;

import io.riffle.core.InvalidInputException;
import io.riffle.server.IdentityConfig;
import io.riffle.server.OidcLoginConfig;
import io.riffle.server.SessionConfig;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Map;

/**
 * Riffle's configuration, read once from {@code RIFFLE_*} environment variables and validated.
 *
 * @param databaseUrl null = embedded PostgreSQL under the data dir
 * @param natsUrl     null = a nats-server started by Riffle under the data dir
 * @param masterKey   base64 key; null = the key file in the data dir (created on first start)
 * @param minFreeDiskBytes with the embedded NATS: publishes are refused while the data dir has less free; 0 = off
 * @param identity    rate limits, OIDC and login settings
 */
record AppConfig(Path dataDir, String httpHost, int httpPort, String databaseUrl, String natsUrl, String natsPrefix,
                 int natsReplicas, String masterKey, int maxEventBytes, long maxStreamBytes, long minFreeDiskBytes,
                 Map<String, String> environment, IdentityConfig identity) {
    static final int DEFAULT_HTTP_PORT = 8080;
    /** Free space of the data dir below which publishes are refused (507) while NATS stores its events there. */
    static final long DEFAULT_MIN_FREE_DISK_BYTES = 64L << 20;

    static AppConfig fromEnvironment(Map<String, String> env) {
        var home = env.getOrDefault("HOME", System.getProperty("user.home"));
        var dataDir = Path.of(env.getOrDefault("RIFFLE_DATA_DIR", Path.of(home, ".riffle").toString()))
            .toAbsolutePath().normalize();
        return new AppConfig(dataDir,
            env.getOrDefault("RIFFLE_HTTP_HOST", "127.0.0.1"),
            intVar(env, "RIFFLE_HTTP_PORT", DEFAULT_HTTP_PORT, 0, 65_535),
            blankToNull(env.get("RIFFLE_DATABASE_URL")),
            blankToNull(env.get("RIFFLE_NATS_URL")),
            env.getOrDefault("RIFFLE_NATS_PREFIX", "RIFFLE"),
            intVar(env, "RIFFLE_NATS_REPLICAS", 1, 1, 5),
            blankToNull(env.get("RIFFLE_MASTER_KEY")),
            intVar(env, "RIFFLE_MAX_EVENT_BYTES", 1 << 20, 1024, 8 << 20),
            longVar(env, "RIFFLE_MAX_STREAM_BYTES", 1L << 30, 64L << 10),
            longVar(env, "RIFFLE_MIN_FREE_DISK_BYTES", DEFAULT_MIN_FREE_DISK_BYTES, 0),
            Map.copyOf(env),
            identity(env));
    }

    /**
     * The engine's settings: {@code RIFFLE_WORKER_PIPELINES} (comma-separated pipeline ids this engine alone runs;
     * unset: all) and {@code RIFFLE_WORKER_RUNNERS} (runners per pipeline without autoscaling, for pods that KEDA
     * scales; 0 or unset: autoscale).
     */
    static io.riffle.engine.EngineConfig engine(Map<String, String> env) {
        var ids = new java.util.TreeSet<String>();
        var text = env.get("RIFFLE_WORKER_PIPELINES");
        if (text != null) {
            for (var id : text.split(",")) {
                var trimmed = id.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (!trimmed.matches("[A-Za-z0-9_-]{1,64}")) {
                    throw new InvalidInputException("RIFFLE_WORKER_PIPELINES must be pipeline ids separated by "
                        + "commas; got '" + trimmed + "'");
                }
                ids.add(trimmed);
            }
        }
        return io.riffle.engine.EngineConfig.DEFAULTS.withPipelines(ids).withFixedRunners(intVar(env,
            "RIFFLE_WORKER_RUNNERS", 0, 0, io.riffle.engine.EngineConfig.MAX_FIXED_RUNNERS));
    }

    /**
     * {@code RIFFLE_RATE_LIMIT_*}, {@code RIFFLE_OIDC_*}, {@code RIFFLE_LOGIN_TOKEN_DAYS} and
     * {@code RIFFLE_SESSION_*}.
     */
    static IdentityConfig identity(Map<String, String> env) {
        return new IdentityConfig(
            longVar(env, "RIFFLE_RATE_LIMIT_PER_SECOND", (long) IdentityConfig.DEFAULT_RATE_LIMIT_PER_SECOND, 0),
            intVar(env, "RIFFLE_RATE_LIMIT_BURST", IdentityConfig.DEFAULT_RATE_LIMIT_BURST, 1, 1_000_000),
            blankToNull(env.get("RIFFLE_OIDC_ISSUER")),
            blankToNull(env.get("RIFFLE_OIDC_AUDIENCE")),
            Duration.ofDays(intVar(env, "RIFFLE_LOGIN_TOKEN_DAYS",
                (int) IdentityConfig.DEFAULT_LOGIN_TOKEN_TTL.toDays(), 1, 366)),
            new SessionConfig(
                Duration.ofMinutes(intVar(env, "RIFFLE_SESSION_IDLE_MINUTES",
                    (int) SessionConfig.DEFAULT_IDLE.toMinutes(), 1, 525_600)),
                Duration.ofHours(intVar(env, "RIFFLE_SESSION_MAX_HOURS",
                    (int) SessionConfig.DEFAULT_ABSOLUTE.toHours(), 1, 8_784))),
            new OidcLoginConfig(blankToNull(env.get("RIFFLE_OIDC_CLIENT_ID")),
                blankToNull(env.get("RIFFLE_OIDC_CLIENT_SECRET")), blankToNull(env.get("RIFFLE_OIDC_REDIRECT_URL")),
                blankToNull(env.get("RIFFLE_OIDC_CLI_CLIENT_ID")),
                env.getOrDefault("RIFFLE_OIDC_SCOPES", OidcLoginConfig.DEFAULT_SCOPES).trim()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int intVar(Map<String, String> env, String key, int fallback, int min, int max) {
        return (int) longVar(env, key, fallback, min, max);
    }

    private static long longVar(Map<String, String> env, String key, long fallback, long min) {
        return longVar(env, key, fallback, min, Long.MAX_VALUE);
    }

    private static long longVar(Map<String, String> env, String key, long fallback, long min, long max) {
        var text = env.get(key);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key + " must be a whole number between " + min + " and " + max
                + "; got '" + text + "'");
        }
    }
}

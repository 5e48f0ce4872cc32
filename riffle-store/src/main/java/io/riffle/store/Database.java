package io.riffle.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.riffle.core.AuditLog;
import io.riffle.core.PipelineStore;
import io.riffle.core.RiffleException;
import io.riffle.core.SecretBox;
import io.riffle.core.SecretStore;
import io.riffle.core.SessionStore;
import io.riffle.core.SpaceStore;
import io.riffle.core.TokenStore;
import io.riffle.core.UnavailableException;
import io.riffle.core.UserStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Riffle's PostgreSQL database: a small connection pool, the schema migrated on open, and the stores over it.
 * Thread-safe; close it last, after everything that uses its stores.
 */
public final class Database implements AutoCloseable {
    /** How long a caller waits for a pooled connection before the database counts as unavailable. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final SpaceStore spaces;
    private final PipelineStore pipelines;
    private final TokenStore tokens;
    private final UserStore users;
    private final PostgresSecretStore secretStore;
    private final AuditLog audit;
    private final SessionStore sessions;

    private Database(HikariDataSource pool, SecretBox secrets, Clock clock) {
        this.pool = pool;
        var jdbc = new Jdbc(pool);
        this.spaces = new PostgresSpaceStore(jdbc, clock);
        this.pipelines = new PostgresPipelineStore(jdbc, secrets, clock);
        this.tokens = new PostgresTokenStore(jdbc, secrets, clock);
        this.users = new PostgresUserStore(jdbc, clock);
        this.secretStore = new PostgresSecretStore(jdbc, secrets, clock);
        this.audit = new PostgresAuditLog(jdbc, clock);
        this.sessions = new PostgresSessionStore(jdbc, clock);
    }

    /**
     * Connects, migrates the schema to the latest version (a no-op when it is current) and returns the database.
     *
     * @param secrets seals pipeline tokens at rest
     * @throws UnavailableException when PostgreSQL cannot be reached
     * @throws RiffleException      when the migration fails, or {@code secrets} holds another master key than the
     *                              one the database was set up with
     */
    public static Database open(DatabaseConfig config, SecretBox secrets) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(secrets, "secrets");
        var pool = pool(config, CONNECTION_TIMEOUT);
        try {
            migrate(config, pool);
            var db = new Database(pool, secrets, Clock.systemUTC());
            db.secretStore.checkMasterKey();
            return db;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Longest a statement may wait for PostgreSQL's answer, in seconds (pgjdbc's {@code socketTimeout}). */
    static final int SOCKET_TIMEOUT_SECONDS = 20;

    /** A pool that does not connect until first used, so callers see connection failures where they happen. */
    static HikariDataSource pool(DatabaseConfig config, Duration connectionTimeout) {
        var hikari = new HikariConfig();
        hikari.setPoolName("riffle-db");
        hikari.setJdbcUrl(config.jdbcUrl());
        if (config.user() != null) {
            hikari.setUsername(config.user());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password());
        }
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setMinimumIdle(Math.min(2, config.maxPoolSize()));
        hikari.setConnectionTimeout(connectionTimeout.toMillis());
        hikari.setInitializationFailTimeout(-1);
        if (!config.jdbcUrl().contains("socketTimeout=")) {
            // a query sent just before the network to PostgreSQL hangs (nothing refused, nothing answered) would
            // otherwise wait for the kernel's TCP timeout, minutes; this way the call fails and answers 503
            hikari.addDataSourceProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
        }
        return new HikariDataSource(hikari);
    }

    private static void migrate(DatabaseConfig config, HikariDataSource pool) {
        var flyway = Flyway.configure(Database.class.getClassLoader())
            .dataSource(pool)
            .locations("classpath:db/migration");
        var schemas = config.schemas();
        if (!schemas.isEmpty()) {
            flyway.schemas(schemas.toArray(String[]::new)).createSchemas(true);
        }
        try {
            var result = flyway.load().migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("Database schema migrated from version {} to {}",
                    result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
                    result.targetSchemaVersion);
            }
        } catch (FlywayException e) {
            if (Jdbc.isConnectionFailure(e)) {
                throw new UnavailableException("database unavailable: " + rootMessage(e), e);
            }
            throw new RiffleException("database migration failed: " + e.getMessage(), e);
        } catch (HikariPool.PoolInitializationException e) {
            throw new UnavailableException("database unavailable: " + rootMessage(e), e);
        }
    }

    public SpaceStore spaces() {
        return spaces;
    }

    public PipelineStore pipelines() {
        return pipelines;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public UserStore users() {
        return users;
    }

    /** Installation-wide secrets; also the {@link io.riffle.core.SecretResolver} workers resolve env refs with. */
    public SecretStore secrets() {
        return secretStore;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Browser sessions and OIDC sign-ins in flight. */
    public SessionStore sessions() {
        return sessions;
    }

    /** True when a valid connection is had within one second. Never throws. */
    public boolean healthy() {
        if (pool.isClosed()) {
            return false;
        }
        // The pool waits up to CONNECTION_TIMEOUT for a connection; the probe answers within HEALTH_TIMEOUT.
        var probe = CompletableFuture.supplyAsync(this::probe, Thread.ofVirtual().name("riffle-db-health")::start);
        try {
            return probe.get(HEALTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private boolean probe() {
        try (var c = pool.getConnection()) {
            return c.isValid((int) HEALTH_TIMEOUT.toSeconds());
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        var root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}

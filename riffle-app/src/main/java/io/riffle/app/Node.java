package io.riffle.app;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.riffle.broker.BrokerConfig;
import io.riffle.broker.InputRouting;
import io.riffle.broker.JetStreamBroker;
import io.riffle.connectors.ConnectorRegistry;
import io.riffle.engine.ConnectorRuntime;
import io.riffle.engine.Engine;
import io.riffle.runtime.FunctionRuntime;
import io.riffle.runtime.RuntimeConfig;
import io.riffle.server.Platform;
import io.riffle.server.RiffleServer;
import io.riffle.server.ServerConfig;
import io.riffle.store.Database;
import io.riffle.store.DatabaseConfig;
import io.riffle.store.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Riffle process: starts what its mode needs, in order, and closes it in reverse order.
 */
final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private RiffleServer server;
    private Path adminTokenFile;
    private String natsUrl;
    private String isolation;

    enum Mode { UP, SERVER, WORKER }

    static Node start(AppConfig config, Mode mode) {
        var node = new Node();
        try {
            node.boot(config, mode);
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private void boot(AppConfig config, Mode mode) {
        createDataDir(config.dataDir());
        track(DataDirLock.acquire(config.dataDir()));
        var secrets = Secrets.masterKey(config);
        var dbUrl = config.databaseUrl();
        if (dbUrl == null) {
            if (mode == Mode.WORKER) {
                throw new io.riffle.core.InvalidInputException("a worker needs RIFFLE_DATABASE_URL and "
                    + "RIFFLE_NATS_URL of the server it works for");
            }
            PidFiles.stopLeftover(config.dataDir().resolve("postgres").resolve("postmaster.pid"), "postgres");
            var embedded = track(EmbeddedDatabase.start(config.dataDir()));
            dbUrl = embedded.jdbcUrl();
        }
        natsUrl = config.natsUrl();
        if (natsUrl == null) {
            var nats = track(EmbeddedNats.start(config.dataDir().resolve("nats"),
                EmbeddedNats.findBinary(config.environment())));
            natsUrl = nats.url();
        }
        var db = track(Database.open(DatabaseConfig.of(dbUrl), secrets));
        var broker = track(JetStreamBroker.connect(new BrokerConfig(natsUrl, config.natsPrefix(),
            config.natsReplicas(), config.maxStreamBytes(), config.maxStreamBytes(), BrokerConfig.DEFAULT_MAX_AGE,
            BrokerConfig.DEFAULT_DEDUPE_WINDOW, BrokerConfig.DEFAULT_ACK_WAIT)));
        if (config.natsUrl() == null && config.minFreeDiskBytes() > 0) {
            broker.guardDisk(config.dataDir(), config.minFreeDiskBytes());
        }
        var pipelines = db.pipelines();
        broker.useRouting(id -> pipelines.find(id).map(p -> InputRouting.of(p.settings())).orElse(InputRouting.NONE));
        var runtime = FunctionRuntime.create(RuntimeConfig.fromEnvironment(config.dataDir(), config.environment()));
        var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        track(new JvmGcMetrics()).bindTo(metrics);
        var connectors = ConnectorRegistry.load();
        Engine engine = null;
        if (mode != Mode.SERVER) {
            isolation = runtime.isolation();
            engine = track(Engine.start(AppConfig.engine(config.environment()), db.pipelines(), broker, runtime,
                db.secrets(), metrics));
            track(ConnectorRuntime.start(engine, db.pipelines(), broker, connectors, db.secrets(), metrics));
        }
        if (mode != Mode.WORKER) {
            adminTokenFile = AdminBootstrap.ensureAdmin(db, config.dataDir());
            server = track(RiffleServer.start(new ServerConfig(config.httpHost(), config.httpPort(),
                config.maxEventBytes(), ServerConfig.DEFAULT_MAX_BODY_BYTES),
                new Platform(db, broker, runtime, engine, metrics, connectors), config.identity()));
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    private static void createDataDir(Path dir) {
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        } catch (IOException e) {
            throw new io.riffle.core.RiffleException("cannot create the data dir " + dir + " (RIFFLE_DATA_DIR): "
                + e.getMessage(), e);
        }
    }

    int httpPort() {
        return server == null ? -1 : server.port();
    }

    /** The admin token file written at this start, or null. */
    Path adminTokenFile() {
        return adminTokenFile;
    }

    String natsUrl() {
        return natsUrl;
    }

    /** How function workers are isolated (null when this node runs none). */
    String isolation() {
        return isolation;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            var r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
    }
}

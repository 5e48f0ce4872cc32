package io.riffle.server;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of Riffle: GlassFlow's REST surface under {@code /v1} and Riffle's additions, health and metrics.
 * Blocking handlers on virtual threads. Close it to stop listening; the platform parts it was given stay open.
 */
public final class RiffleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RiffleServer.class);
    private final Javalin app;
    private final FunctionBuilds builds;
    private final MetricsHistory history;

    private RiffleServer(Javalin app, FunctionBuilds builds, MetricsHistory history) {
        this.app = app;
        this.builds = builds;
        this.history = history;
    }

    /** Starts listening with the default identity settings (no OIDC, the default rate limit). */
    public static RiffleServer start(ServerConfig config, Platform platform) {
        return start(config, platform, IdentityConfig.DEFAULTS);
    }

    /** Starts listening; resumes function builds that were interrupted by a previous stop. */
    public static RiffleServer start(ServerConfig config, Platform platform, IdentityConfig identity) {
        var clock = Clock.systemUTC();
        var onChange = (Runnable) () -> {
            if (platform.engine() != null) {
                platform.engine().reconcileSoon();
            }
        };
        var metrics = new ServerMetrics(platform.metrics());
        var builds = new FunctionBuilds(platform.database(), platform.runtime(), platform.broker(), onChange, metrics);
        var api = new Api(platform, new Auth(platform.database(), clock, identity), builds, config, metrics,
            identity);
        var routes = new CopyOnWriteArrayList<AdminRoutes.Route>();
        var history = new MetricsHistory(platform.database(), platform.broker(), platform.engine(),
            Clock.systemUTC());
        var app = Javalin.create(cfg -> {
            cfg.useVirtualThreads = true;
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.jsonMapper(new JavalinJackson(Wire.JSON, true));
            cfg.jetty.defaultHost = config.host();
            cfg.jetty.defaultPort = config.port();
            cfg.events(events -> events.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) {
                    routes.add(new AdminRoutes.Route(h.getHttpMethod().name(), h.getPath()));
                }
            }));
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
        });
        ErrorMapper.install(app);
        metrics.install(app);
        HealthRoutes.install(app, api);
        SpaceRoutes.install(app, api);
        PipelineRoutes.install(app, api);
        HistoryRoutes.install(app, api);
        FunctionRoutes.install(app, api);
        DataRoutes.install(app, api);
        DeadLetterRoutes.install(app, api);
        MetricsRoutes.install(app, api, history);
        LogStreamRoutes.install(app, api);
        MemberRoutes.install(app, api);
        var passwords = new PasswordLogin(platform.database(), new LoginGuard(clock));
        IdentityRoutes.install(app, api, passwords, clock);
        SessionRoutes.install(app, api, passwords);
        OidcLoginRoutes.install(app, api, clock);
        SecretRoutes.install(app, api);
        AdminRoutes.install(app, api, routes);
        app.start();
        builds.resumePending();
        history.start();
        LOG.info("Riffle API listening on http://{}:{}", config.host(), app.port());
        if (identity.oidc()) {
            LOG.info("OIDC sign-in: issuer {}, audience {}, {}", identity.oidcIssuer(), identity.oidcAudience(),
                identity.oidcLogin());
        }
        return new RiffleServer(app, builds, history);
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        history.close();
        builds.close();
    }
}
